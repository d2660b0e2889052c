/// The retailers' physical networks (docs/MODEL.md section 4), with spatial indexes.
public struct Facilities: Sendable {
    /// Walmart-like stores.
    public let stores: [Point]
    /// Whether each store is a delivery hub (or dark store).
    public private(set) var isHub: [Bool]
    /// Amazon-like fulfilment centres (next-day radius).
    public let fulfillmentCenters: [Point]
    /// Amazon-like same-day sites.
    public private(set) var sameDaySites: [Point]

    public let storeIndex: FacilityIndex
    public let fulfillmentIndex: FacilityIndex
    public private(set) var hubIndex: FacilityIndex
    public private(set) var sameDayIndex: FacilityIndex

    let widthKm: Double
    let heightKm: Double

    public init(stores: [Point], isHub: [Bool], fulfillmentCenters: [Point], sameDaySites: [Point], widthKm: Double, heightKm: Double) {
        precondition(stores.count == isHub.count)
        self.stores = stores
        self.isHub = isHub
        self.fulfillmentCenters = fulfillmentCenters
        self.sameDaySites = sameDaySites
        self.widthKm = widthKm
        self.heightKm = heightKm
        storeIndex = FacilityIndex(points: stores, widthKm: widthKm, heightKm: heightKm, cellKm: 25)
        fulfillmentIndex = FacilityIndex(points: fulfillmentCenters, widthKm: widthKm, heightKm: heightKm, cellKm: 100)
        hubIndex = FacilityIndex(points: zip(stores, isHub).filter(\.1).map(\.0), widthKm: widthKm, heightKm: heightKm, cellKm: 25)
        sameDayIndex = FacilityIndex(points: sameDaySites, widthKm: widthKm, heightKm: heightKm, cellKm: 50)
    }

    public var hubCount: Int { hubIndex.count }

    /// Turns stores into hubs.
    public mutating func convertToHubs(_ storeIDs: [Int]) {
        guard !storeIDs.isEmpty else { return }
        for s in storeIDs { isHub[s] = true }
        hubIndex = FacilityIndex(points: zip(stores, isHub).filter(\.1).map(\.0), widthKm: widthKm, heightKm: heightKm, cellKm: 25)
    }

    /// Opens same-day sites.
    public mutating func addSameDaySites(_ points: [Point]) {
        guard !points.isEmpty else { return }
        sameDaySites += points
        sameDayIndex = FacilityIndex(points: sameDaySites, widthKm: widthKm, heightKm: heightKm, cellKm: 50)
    }
}
