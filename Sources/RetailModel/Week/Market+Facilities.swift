import RetailStats

extension Market {
    /// Stores at the homes of people drawn from the settlement law (so siting
    /// follows population), hubs at the stores with the most households nearby, and the
    /// Amazon-like network at the largest cities (docs/MODEL.md section 4).
    static func siteFacilities(parameters p: ModelParameters, geography: Geography, shoppers: Households,
                                       grid: HouseholdGrid, seed: UInt64, replicate: Int, threads: Int) throws -> Facilities {
        let stream = try RandomStream(key: StreamKey(seed: seed, replicate: replicate, purpose: .facilities))
        let storeCount = Market.storeCount(p)
        // At the homes of people drawn from the settlement law, not of the
        // simulated households: no household lives in a store, so distances (and
        // shares) do not depend on how many households simulate the population.
        let law = try SettlementLaw(parameters: p, geography: geography)
        let stores = (0..<storeCount).map { _ in law.home(stream).point }
        let radius = Float(p.walmart.hubRadiusKm)
        let nearby = Parallel.map(stores.count, threads: threads) { s in
            grid.count(within: radius, of: stores[s], in: shoppers)
        }
        let hubCount = Int((p.walmart.initialHubShare * Double(storeCount)).rounded())
        let ranked = stores.indices.sorted { nearby[$0] != nearby[$1] ? nearby[$0] > nearby[$1] : $0 < $1 }
        var isHub = [Bool](repeating: false, count: storeCount)
        for s in ranked.prefix(hubCount) { isHub[s] = true }
        let centres = geography.cities.map(\.centre)
        return Facilities(stores: stores, isHub: isHub, hubRadiusKm: stores.map { _ in radius },
                          fulfillmentCenters: Array(centres.prefix(p.amazon.fulfillmentCenters)),
                          sameDaySites: Array(centres.prefix(p.amazon.sameDaySites)),
                          widthKm: geography.widthKm, heightKm: geography.heightKm)
    }

    /// Walmart-like stores: one per `peoplePerStore` people, at least one.
    static func storeCount(_ p: ModelParameters) -> Int {
        max(1, Int((p.population.people / p.walmart.peoplePerStore).rounded()))
    }
}

extension Market {
    /// The real country's facilities at week 1 from its network.
    static func usFacilities(_ network: USNetwork, us: USGeography, parameters p: ModelParameters) -> Facilities {
        let r = us.regions
        let hubs = Set(network.deliveryOrder.prefix(p.walmart.network.deliveryStores))
        var f = Facilities(stores: network.storeRegions.map(us.point), isHub: network.storeRegions.indices.map { hubs.contains($0) },
                           hubRadiusKm: network.hubRadiusKm, fulfillmentCenters: network.fulfillment.map(\.point),
                           sameDaySites: network.sameDay.map(\.point), widthKm: us.widthKm, heightKm: us.heightKm)
        f.storeFormats = network.storeFormats
        f.offerPickup(first: p.walmart.network.pickupStores, of: network.deliveryOrder)
        f.storeLabels = network.storeRegions.map {
            Facilities.Label(state: r.states[Int(r.state[$0])], latitude: r.latitude[$0], longitude: r.longitude[$0])
        }
        f.labelFulfillmentCenters(network.fulfillment.map(\.label))
        f.labelSameDaySites(network.sameDay.map(\.label))
        return f
    }

    /// Published points of the delivery path whose 3-hour reach is held out
    /// (WSJ: 76 % of households early 2023, 93 % March 2025): Walmart's
    /// delivery stores then (3,900 in February 2023; 4,500 from Q3 FY25 on).
    static let deliveryPathPoints: [(label: String, stores: Int)] = [("2023-02", 3900), ("2025-03", 4500)]

    /// The share of households inside an express radius of the first stores
    /// of the delivery order, at each published point of the path.
    func measureHubReachPath(_ network: USNetwork) -> [HubReachPoint] {
        // One pass: each household's first store in delivery order whose radius holds it.
        let counts = Market.deliveryPathPoints.map { min($0.stores, network.deliveryOrder.count) }
        let ids = Array(network.deliveryOrder.prefix(counts.max() ?? 0))
        let index = FacilityIndex(points: ids.map { facilities.stores[$0] }, widthKm: geography.widthKm,
                                  heightKm: geography.heightKm, cellKm: 25)
        let inside = Distances.countInside(shoppers: shoppers, index: index, radiusKm: ids.map { network.hubRadiusKm[$0] },
                                           prefixes: counts, threads: threads)
        return zip(Market.deliveryPathPoints, zip(counts, inside)).map { point, result in
            HubReachPoint(label: point.label, deliveryStores: result.0, share: Double(result.1) / Double(max(1, shoppers.count)))
        }
    }
}
