import RetailStats

/// What differs between the real country and the synthetic one, behind one
/// type (docs/GEOGRAPHY.md): the network at week 1, where rural same-day
/// sites may open, and how the Walmart-like retailer adds delivery stores.
/// Everything else (choices, memberships, prices, outputs) is the same code
/// for both; parameters that act in one country only are listed by the
/// catalogue, and `run` warns when a scenario sets one for the other.
struct Country {
    /// How stores become delivery hubs, quarter by quarter: the only state
    /// the market keeps of its country's difference.
    var hubs: HubConversion

    /// The network at week 1 and where rural same-day sites may open; the
    /// market builds its own facilities and candidates from them once.
    struct Start {
        let facilities: Facilities
        /// Rural candidates and (real country) their state and degrees.
        let ruralPlaces: [Point]
        let ruralLabels: [Facilities.Label]
    }

    /// The real country: its published network (`USNetwork`); hubs follow
    /// the delivery path, each with its own express radius.
    static func us(_ us: USGeography, parameters p: ModelParameters) -> (Country, Start) {
        let network = USNetwork.shared(us: us, parameters: p)
        let queue = network.deliveryOrder.dropFirst(min(p.walmart.network.deliveryStores, network.deliveryOrder.count))
        return (Country(hubs: .deliveryPath(queue)),
                Start(facilities: Market.usFacilities(network, us: us, parameters: p), ruralPlaces: network.ruralCandidates.map(\.point),
                      ruralLabels: network.ruralCandidates.map { Facilities.Label(state: $0.state, latitude: $0.latitude, longitude: $0.longitude) }))
    }

    /// The synthetic country: stores at drawn homes, the Amazon-like network
    /// at the largest cities; hubs by greedy coverage in `walmart.hubRadiusKm`.
    static func synthetic(_ geography: Geography, parameters p: ModelParameters, shoppers: Households, grid: HouseholdGrid,
                          seed: UInt64, replicate: Int, threads: Int) throws -> (Country, Start) {
        let f = try Market.siteFacilities(parameters: p, geography: geography, shoppers: shoppers, grid: grid,
                                          seed: seed, replicate: replicate, threads: threads)
        let sameDayCities = min(p.amazon.sameDaySites, geography.cities.count)
        let hubs = CoverageCandidates(points: f.stores, open: f.isHub.map { !$0 }, radiusKm: Float(p.walmart.hubRadiusKm),
                                      flag: .hub, widthKm: geography.widthKm, heightKm: geography.heightKm)
        return (Country(hubs: .greedyCoverage(hubs)),
                Start(facilities: f, ruralPlaces: geography.towns.map(\.centre) + geography.cities.dropFirst(sameDayCities).map(\.centre),
                      ruralLabels: []))
    }
}

/// How the Walmart-like retailer turns stores into delivery hubs.
enum HubConversion {
    /// Real country: the stores still to offer delivery, in the path's order (largest trade area first).
    case deliveryPath(ArraySlice<Int>)
    /// Synthetic country: the stores that would cover the most households not yet covered.
    case greedyCoverage(CoverageCandidates)
}

extension Market {
    /// Converts this quarter's `count` stores into hubs, flags the households
    /// now inside an express radius and serves them from the nearest; the slots are pooled again when next needed.
    func convertHubs(count: Int) {
        switch country.hubs {
        case .deliveryPath(let queue):
            let picks = Array(queue.prefix(count))
            country.hubs = .deliveryPath(queue.dropFirst(picks.count))
            facilities.convertToHubs(picks, week: state.week)
            Distances.serve(picks, shoppers: shoppers, facilities: facilities)
        case .greedyCoverage(var candidates):
            let picks = candidates.choose(count: count, shoppers: shoppers, grid: grid, threads: threads)
            country.hubs = .greedyCoverage(candidates)
            facilities.convertToHubs(picks, week: state.week)
            // The choice flagged the households it covers; which store serves them is the nearer one's.
            Distances.serve(picks, shoppers: shoppers, facilities: facilities)
        }
        slots.stale = true
    }
}

extension HubConversion: Codable {
    private enum CodingKeys: String, CodingKey { case deliveryPath, greedyCoverage }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let queue = try c.decodeIfPresent([Int].self, forKey: .deliveryPath) {
            self = .deliveryPath(ArraySlice(queue))
        } else {
            self = .greedyCoverage(try c.decode(CoverageCandidates.self, forKey: .greedyCoverage))
        }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .deliveryPath(let queue): try c.encode(Array(queue), forKey: .deliveryPath)
        case .greedyCoverage(let candidates): try c.encode(candidates, forKey: .greedyCoverage)
        }
    }
}
