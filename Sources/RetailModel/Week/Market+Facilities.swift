import RetailStats

extension Market {
    /// Stores at the homes of people drawn from the settlement law (so siting
    /// follows population), hubs at the stores with the most shoppers nearby, and the
    /// Amazon-like network at the largest cities (docs/MODEL.md section 4).
    static func siteFacilities(parameters p: ModelParameters, geography: Geography, shoppers: Shoppers,
                                       grid: ShopperGrid, seed: UInt64, replicate: Int, threads: Int) throws -> Facilities {
        let stream = try RandomStream(key: StreamKey(seed: seed, replicate: replicate, purpose: .facilities))
        let storeCount = Market.storeCount(p)
        // At the homes of people drawn from the settlement law, not of the
        // simulated shoppers: no shopper lives in a store, so distances (and
        // shares) do not depend on how many shoppers simulate the population.
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
        return Facilities(stores: stores, isHub: isHub,
                          fulfillmentCenters: Array(centres.prefix(p.amazon.fulfillmentCenters)),
                          sameDaySites: Array(centres.prefix(p.amazon.sameDaySites)),
                          widthKm: geography.widthKm, heightKm: geography.heightKm)
    }

    /// Walmart-like stores: one per `peoplePerStore` people, at least one.
    public static func storeCount(_ p: ModelParameters) -> Int {
        max(1, Int((p.population.people / p.walmart.peoplePerStore).rounded()))
    }
}
