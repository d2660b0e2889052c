/// The retailers' physical networks (docs/MODEL.md section 4; docs/GEOGRAPHY.md
/// section 4 in the real country), with spatial indexes.
public struct Facilities: Sendable {
    /// Walmart-like stores.
    public let stores: [Point]
    /// Whether each store is a delivery hub (or dark store).
    public private(set) var isHub: [Bool]
    /// Express (delivery) radius of each store once it is a hub, km.
    public let hubRadiusKm: [Float]
    /// Amazon-like fulfilment centres (next-day radius).
    public let fulfillmentCenters: [Point]
    /// Amazon-like same-day sites.
    public private(set) var sameDaySites: [Point]

    public let storeIndex: FacilityIndex
    public let fulfillmentIndex: FacilityIndex
    public private(set) var hubIndex: FacilityIndex
    /// Radius of each hub in `hubIndex`, by its id there.
    private(set) var hubIndexRadiusKm: [Float]
    public private(set) var sameDayIndex: FacilityIndex

    /// Where each facility is, for `--write-facilities`: state and degrees in
    /// the real country, empty in the synthetic one.
    public var storeLabels: [Label] = []
    /// Each store's format when sited from published counts (else empty).
    public var storeFormats: [StoreFormat] = []
    public var fulfillmentLabels: [Label] = []
    public private(set) var sameDayLabels: [Label] = []
    /// The week each store became a hub (0: at the start; -1: never) and each same-day site opened.
    public private(set) var hubWeek: [Int]
    public private(set) var sameDayWeek: [Int]

    public struct Label: Sendable, Equatable {
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
        (self.fulfillmentCenters, self.sameDaySites, self.widthKm, self.heightKm) = (fulfillmentCenters, sameDaySites, widthKm, heightKm)
        storeIndex = FacilityIndex(points: stores, widthKm: widthKm, heightKm: heightKm, cellKm: 25)
        fulfillmentIndex = FacilityIndex(points: fulfillmentCenters, widthKm: widthKm, heightKm: heightKm, cellKm: 100)
        (hubIndex, hubIndexRadiusKm) = Facilities.hubs(stores, isHub, hubRadiusKm, widthKm, heightKm)
        sameDayIndex = FacilityIndex(points: sameDaySites, widthKm: widthKm, heightKm: heightKm, cellKm: 50)
        hubWeek = isHub.map { $0 ? 0 : -1 }
        sameDayWeek = sameDaySites.map { _ in 0 }
    }

    private static func hubs(_ stores: [Point], _ isHub: [Bool], _ radius: [Float], _ widthKm: Double,
                             _ heightKm: Double) -> (FacilityIndex, [Float]) {
        let ids = stores.indices.filter { isHub[$0] }
        return (FacilityIndex(points: ids.map { stores[$0] }, widthKm: widthKm, heightKm: heightKm, cellKm: 25), ids.map { radius[$0] })
    }

    package var hubCount: Int { hubIndex.count }

    /// Turns stores into hubs in week `week`.
    mutating func convertToHubs(_ storeIDs: [Int], week: Int = 0) {
        guard !storeIDs.isEmpty else { return }
        for s in storeIDs where !isHub[s] {
            isHub[s] = true
            hubWeek[s] = week
        }
        (hubIndex, hubIndexRadiusKm) = Facilities.hubs(stores, isHub, hubRadiusKm, widthKm, heightKm)
    }

    /// Opens same-day sites in week `week`.
    mutating func addSameDaySites(_ points: [Point], labels: [Label] = [], week: Int = 0) {
        guard !points.isEmpty else { return }
        sameDaySites += points
        sameDayWeek += points.map { _ in week }
        sameDayLabels += labels
        sameDayIndex = FacilityIndex(points: sameDaySites, widthKm: widthKm, heightKm: heightKm, cellKm: 50)
    }

    /// Labels for the starting same-day sites.
    mutating func labelSameDaySites(_ labels: [Label]) {
        precondition(labels.count == sameDaySites.count)
        sameDayLabels = labels
    }
}
