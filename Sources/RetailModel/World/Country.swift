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
    /// Real country: its published network, whose paths a timeline's counts
    /// follow (`walmart.network.deliveryStores`, ...); made again from the
    /// scenario on restore, never saved. Nil in the synthetic country.
    let network: USNetwork?

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
        return (Country(hubs: .deliveryPath(queue), network: network),
                Start(facilities: Market.usFacilities(network, us: us, parameters: p), ruralPlaces: network.ruralCandidates.map(\.point),
                      ruralLabels: network.ruralCandidates.map(\.label)))
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
        return (Country(hubs: .greedyCoverage(hubs), network: nil),
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
    func convertHubs(count: Int, week: Int? = nil) {
        switch country.hubs {
        case .deliveryPath(let queue):
            let picks = Array(queue.prefix(count))
            country.hubs = .deliveryPath(queue.dropFirst(picks.count))
            facilities.convertToHubs(picks, week: week ?? state.week)
            Distances.serve(picks, shoppers: shoppers, facilities: facilities)
        case .greedyCoverage(var candidates):
            let picks = candidates.choose(count: count, shoppers: shoppers, grid: grid, threads: threads)
            country.hubs = .greedyCoverage(candidates)
            facilities.convertToHubs(picks, week: week ?? state.week)
            // The choice flagged the households it covers; which store serves them is the nearer one's.
            Distances.serve(picks, shoppers: shoppers, facilities: facilities)
        }
        slots.stale = true
    }
}

extension Market {
    /// A timeline's new network counts (real country), from the start of
    /// `week`: delivery stores and same-day metros grow along their paths
    /// (the delivery order; the metros by households), pickup follows the
    /// delivery order, and a new count of fulfilment centres is sited afresh
    /// by the rule of the starting network. Distances and reach are then
    /// measured again, as after an intervention (docs/MODEL.md section 4).
    func adoptNetwork(from old: ModelParameters, to p: ModelParameters, week: Int) {
        guard let network = country.network, let us = geography.us else { return }
        let (o, n) = ((old.walmart.network, old.amazon.network), (p.walmart.network, p.amazon.network))
        var moved = false
        if n.0.deliveryStores > o.0.deliveryStores, case .deliveryPath(let queue) = country.hubs {
            let delivering = network.deliveryOrder.count - queue.count
            if n.0.deliveryStores > delivering { convertHubs(count: n.0.deliveryStores - delivering, week: week) }
        }
        if n.0.pickupStores != o.0.pickupStores {
            facilities.offerPickup(first: n.0.pickupStores, of: network.deliveryOrder)
            moved = true
        }
        if n.1.fulfillmentCenters != o.1.fulfillmentCenters {
            let sites = USNetwork.fulfillment(count: n.1.fulfillmentCenters, us: us, parameters: p)
            facilities.replaceFulfillmentCenters(sites.map(\.point), labels: sites.map(\.label))
            moved = true
        }
        if n.1.sameDayMetros > o.1.sameDayMetros {
            let sites = network.sameDaySites(metros: o.1.sameDayMetros..<n.1.sameDayMetros, us: us, parameters: p)
            facilities.addSameDaySites(sites.map(\.point), labels: sites.map(\.label), week: week)
            moved = true
        }
        if moved {
            measureDistances()
        }
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
