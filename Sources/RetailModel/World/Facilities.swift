/// The retailers' physical networks (docs/MODEL.md section 4; docs/GEOGRAPHY.md
/// section 4 in the real country), with spatial indexes.
public struct Facilities: Sendable, Codable {
    /// Walmart-like stores and dark stores, open or closed: a store keeps its
    /// id when it closes, so labels, formats and the delivery path stay aligned.
    public private(set) var stores: [Point]
    /// Whether each store is a delivery hub (or dark store).
    public private(set) var isHub: [Bool]
    /// Express (delivery) radius of each store once it is a hub, km.
    public private(set) var hubRadiusKm: [Float]
    /// Whether each store is open (false once an intervention closed it).
    public private(set) var isOpen: [Bool]
    /// Whether households shop in each store (false for a dark store, which only delivers).
    public private(set) var walkIn: [Bool]
    /// Whether each store takes online orders for pickup (real country:
    /// `walmart.network.pickupStores` of the delivery path; else every store).
    public private(set) var offersPickup: [Bool]
    /// The week an intervention closed each store (-1: open). (The week a
    /// store began delivering is `hubWeek`; the scenario says when one opened.)
    public private(set) var closeWeek: [Int]
    /// Amazon-like fulfilment centres (next-day radius).
    public private(set) var fulfillmentCenters: [Point]
    /// Amazon-like same-day sites.
    public private(set) var sameDaySites: [Point]

    /// The open walk-in stores (what a household's store distance is measured to).
    public private(set) var storeIndex: FacilityIndex
    /// The store id of each store in `storeIndex`, by its id there.
    private(set) var storeIndexStores: [Int]
    public private(set) var fulfillmentIndex: FacilityIndex
    public private(set) var hubIndex: FacilityIndex
    /// Radius of each hub in `hubIndex`, by its id there.
    private(set) var hubIndexRadiusKm: [Float]
    /// The store id of each hub in `hubIndex`, by its id there (a store keeps its id; the index's change).
    private(set) var hubIndexStores: [Int]
    public private(set) var sameDayIndex: FacilityIndex

    /// Where each facility is, for `--write-facilities`: state and degrees in
    /// the real country, empty in the synthetic one.
    public var storeLabels: [Label] = []
    /// Each store's format when sited from published counts (else empty).
    public var storeFormats: [StoreFormat] = []
    public private(set) var fulfillmentLabels: [Label] = []
    public private(set) var sameDayLabels: [Label] = []
    /// The week each store became a hub (0: at the start; -1: never) and each same-day site opened.
    public private(set) var hubWeek: [Int]
    public private(set) var sameDayWeek: [Int]

    public struct Label: Sendable, Equatable, Codable {
        public let state: String
        public let latitude: Double
        public let longitude: Double

        public init(state: String, latitude: Double, longitude: Double) {
            self.state = state
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    let widthKm: Double
    let heightKm: Double

    public init(stores: [Point], isHub: [Bool], hubRadiusKm: [Float], fulfillmentCenters: [Point], sameDaySites: [Point],
                widthKm: Double, heightKm: Double) {
        precondition(stores.count == isHub.count && stores.count == hubRadiusKm.count)
        (self.stores, self.isHub, self.hubRadiusKm) = (stores, isHub, hubRadiusKm)
        (isOpen, walkIn, offersPickup) = (stores.map { _ in true }, stores.map { _ in true }, stores.map { _ in true })
        closeWeek = stores.map { _ in -1 }
        (self.fulfillmentCenters, self.sameDaySites, self.widthKm, self.heightKm) = (fulfillmentCenters, sameDaySites, widthKm, heightKm)
        storeIndex = FacilityIndex(points: stores, widthKm: widthKm, heightKm: heightKm, cellKm: 25)
        storeIndexStores = Array(stores.indices)
        fulfillmentIndex = FacilityIndex(points: fulfillmentCenters, widthKm: widthKm, heightKm: heightKm, cellKm: 100)
        (hubIndex, hubIndexRadiusKm, hubIndexStores) = Facilities.hubs(stores, isHub, hubRadiusKm, widthKm, heightKm)
        sameDayIndex = FacilityIndex(points: sameDaySites, widthKm: widthKm, heightKm: heightKm, cellKm: 50)
        hubWeek = isHub.map { $0 ? 0 : -1 }
        sameDayWeek = sameDaySites.map { _ in 0 }
    }

    private static func hubs(_ stores: [Point], _ isHub: [Bool], _ radius: [Float], _ widthKm: Double,
                             _ heightKm: Double) -> (FacilityIndex, [Float], [Int]) {
        let ids = stores.indices.filter { isHub[$0] }
        return (FacilityIndex(points: ids.map { stores[$0] }, widthKm: widthKm, heightKm: heightKm, cellKm: 25), ids.map { radius[$0] }, ids)
    }

    package var hubCount: Int { hubIndex.count }
    /// Open stores, dark stores included (what the retailer pays for).
    package var openStoreCount: Int { isOpen.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Turns stores into hubs in week `week` (a closed store stays closed).
    mutating func convertToHubs(_ storeIDs: [Int], week: Int = 0) {
        guard !storeIDs.isEmpty else { return }
        for s in storeIDs where !isHub[s] && isOpen[s] {
            isHub[s] = true
            hubWeek[s] = week
        }
        (hubIndex, hubIndexRadiusKm, hubIndexStores) = Facilities.hubs(stores, isHub, hubRadiusKm, widthKm, heightKm)
    }

    /// Opens same-day sites in week `week`.
    mutating func addSameDaySites(_ points: [Point], labels: [Label] = [], week: Int = 0) {
        guard !points.isEmpty else { return }
        sameDaySites += points
        sameDayWeek += points.map { _ in week }
        sameDayLabels += labels
        sameDayIndex = FacilityIndex(points: sameDaySites, widthKm: widthKm, heightKm: heightKm, cellKm: 50)
    }

    /// Opens a store (or, `walkIn` false, a dark store) at `point` in week
    /// `week`; it delivers within `radiusKm` when `delivers`. Returns its id.
    mutating func openStore(at point: Point, radiusKm: Float, walkIn shops: Bool, delivers: Bool, label: Label?,
                            format: StoreFormat?, week: Int) -> Int {
        stores.append(point)
        isHub.append(delivers)
        hubRadiusKm.append(radiusKm)
        isOpen.append(true)
        walkIn.append(shops)
        offersPickup.append(shops)
        closeWeek.append(-1)
        hubWeek.append(delivers ? week : -1)
        if let label, !storeLabels.isEmpty { storeLabels.append(label) }
        if let format, !storeFormats.isEmpty { storeFormats.append(format) }
        rebuildStoreIndexes()
        return stores.count - 1
    }

    /// Closes store `id` in week `week`: no walk-in trips, no deliveries from it.
    mutating func closeStore(_ id: Int, week: Int) {
        guard isOpen[id] else { return }
        isOpen[id] = false
        closeWeek[id] = week
        rebuildStoreIndexes()
    }

    private mutating func rebuildStoreIndexes() {
        let shops = stores.indices.filter { isOpen[$0] && walkIn[$0] }
        storeIndex = FacilityIndex(points: shops.map { stores[$0] }, widthKm: widthKm, heightKm: heightKm, cellKm: 25)
        storeIndexStores = shops
        (hubIndex, hubIndexRadiusKm, hubIndexStores) = Facilities.hubs(stores, stores.indices.map { isHub[$0] && isOpen[$0] }, hubRadiusKm, widthKm, heightKm)
    }

    /// Whether some open walk-in store takes no pickup orders (then a
    /// household whose store is one has no pickup option).
    package var pickupLimited: Bool { stores.indices.contains { isOpen[$0] && walkIn[$0] && !offersPickup[$0] } }

    /// Pickup at the first `count` stores of `order` and at none of its others.
    mutating func offerPickup(first count: Int, of order: [Int]) {
        for (rank, s) in order.enumerated() { offersPickup[s] = rank < count }
    }

    /// The fulfilment centres become `points` (a network sited afresh).
    mutating func replaceFulfillmentCenters(_ points: [Point], labels: [Label]) {
        fulfillmentCenters = points
        fulfillmentLabels = labels.count == points.count ? labels : []
        fulfillmentIndex = FacilityIndex(points: fulfillmentCenters, widthKm: widthKm, heightKm: heightKm, cellKm: 100)
    }

    /// Opens a fulfilment centre at `point`.
    mutating func openFulfillmentCenter(at point: Point, label: Label?) {
        fulfillmentCenters.append(point)
        if let label, !fulfillmentLabels.isEmpty { fulfillmentLabels.append(label) }
        fulfillmentIndex = FacilityIndex(points: fulfillmentCenters, widthKm: widthKm, heightKm: heightKm, cellKm: 100)
    }

    /// Closes fulfilment centre `id` (it leaves the network and the list).
    mutating func closeFulfillmentCenter(_ id: Int) {
        fulfillmentCenters.remove(at: id)
        if id < fulfillmentLabels.count { fulfillmentLabels.remove(at: id) }
        fulfillmentIndex = FacilityIndex(points: fulfillmentCenters, widthKm: widthKm, heightKm: heightKm, cellKm: 100)
    }

    /// Closes same-day site `id` (it leaves the network and the list).
    mutating func closeSameDaySite(_ id: Int) {
        sameDaySites.remove(at: id)
        sameDayWeek.remove(at: id)
        if id < sameDayLabels.count { sameDayLabels.remove(at: id) }
        sameDayIndex = FacilityIndex(points: sameDaySites, widthKm: widthKm, heightKm: heightKm, cellKm: 50)
    }

    /// The open facility of `kind` nearest to `point` (dark stores for
    /// `.darkStore`, walk-in stores for `.store`), and its distance, km.
    package func nearest(_ kind: FacilityKind, to point: Point) -> (id: Int, km: Float)? {
        let points: [Point]
        var eligible: (Int) -> Bool = { _ in true }
        switch kind {
        case .store, .darkStore:
            points = stores
            let dark = kind == .darkStore
            eligible = { self.isOpen[$0] && self.walkIn[$0] != dark }
        case .fulfillmentCenter: points = fulfillmentCenters
        case .sameDaySite: points = sameDaySites
        }
        var best: (id: Int, km: Float)?
        for (id, q) in points.enumerated() where eligible(id) {
            let dx = q.x - point.x, dy = q.y - point.y
            let km = (dx * dx + dy * dy).squareRoot()
            if best == nil || km < best!.km { best = (id, km) }
        }
        return best
    }

    /// Labels for the starting same-day sites.
    mutating func labelSameDaySites(_ labels: [Label]) {
        precondition(labels.count == sameDaySites.count)
        sameDayLabels = labels
    }

    /// Labels for the starting fulfilment centres.
    mutating func labelFulfillmentCenters(_ labels: [Label]) {
        precondition(labels.count == fulfillmentCenters.count)
        fulfillmentLabels = labels
    }
}
