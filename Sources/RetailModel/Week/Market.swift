import Foundation
import RetailStats

/// One replicate's world: the country, the facilities, every shopper and the
/// two retailers, advanced one week at a time (MODEL.md section 2).
///
/// The market is the model only; running replicates, collecting records and
/// writing files belong to the experiment layer.
public final class Market: @unchecked Sendable {
    public let parameters: ModelParameters
    public let seed: UInt64
    public let replicate: Int
    /// Threads for chunked work; never changes the results.
    public let threads: Int
    public let geography: Geography
    public let shoppers: Shoppers
    public let grid: ShopperGrid
    public private(set) var facilities: Facilities
    public private(set) var state: MarketState
    /// One weekly stream per chunk of shoppers, kept across weeks.
    private let streams: [RandomStream]
    /// Spend by option since the last strategy step.
    private var quarterSpend = [Double](repeating: 0, count: Option.count)
    /// Where rural same-day sites may open: town centres, then cities without a site.
    private var ruralSites: CoverageCandidates
    /// Stores that may become hubs.
    private var hubStores: CoverageCandidates
    /// Memberships as they stand since the last monthly step.
    private var census: MembershipCensus
    /// Who is within reach of each network, since the last strategy step.
    public private(set) var reach: Reach

    /// Builds the world of replicate `replicate` from `seed`.
    public init(parameters p: ModelParameters, seed: UInt64, replicate: Int, threads: Int) throws {
        parameters = p
        self.seed = seed
        self.replicate = replicate
        self.threads = max(1, threads)
        let geoStream = try RandomStream(key: StreamKey(seed: seed, replicate: replicate, purpose: .geography))
        geography = Geography(parameters: p, stream: geoStream)
        shoppers = try Settlement.populate(parameters: p, geography: geography, seed: seed,
                                           replicate: replicate, threads: self.threads)
        grid = shoppers.grid
        facilities = try Market.siteFacilities(parameters: p, geography: geography, shoppers: shoppers, grid: grid,
                                               seed: seed, replicate: replicate, threads: self.threads)
        state = MarketState(parameters: p)
        streams = try (0..<Parallel.chunkCount(shoppers: p.population.shoppers)).map { c throws(GSLError) in
            try RandomStream(key: StreamKey(seed: seed, replicate: replicate, purpose: .weekly, chunk: c))
        }
        let sameDayCities = min(p.amazon.sameDaySites, geography.cities.count)
        let ruralPlaces = geography.towns.map(\.centre) + geography.cities.dropFirst(sameDayCities).map(\.centre)
        ruralSites = CoverageCandidates(points: ruralPlaces, open: ruralPlaces.map { _ in true },
                                        radiusKm: Float(p.amazon.sameDayRadiusKm), flag: .sameDay,
                                        widthKm: geography.widthKm, heightKm: geography.heightKm)
        hubStores = CoverageCandidates(points: facilities.stores, open: facilities.isHub.map { !$0 },
                                       radiusKm: Float(p.walmart.hubRadiusKm), flag: .hub,
                                       widthKm: geography.widthKm, heightKm: geography.heightKm)
        // Memberships were drawn with the attributes; distances touch other flags.
        census = MembershipCensus(shoppers: shoppers, communities: geography.cities.count + 1,
                                  chunks: streams.count, threads: self.threads)
        reach = Reach(counts: [], shoppers: [])
        measureDistances()
        reach = Reach.count(shoppers: shoppers, chunks: streams.count, threads: self.threads)
    }

    /// Stores at the homes of people drawn from the settlement law (so siting
    /// follows population), hubs at the stores with the most shoppers nearby, and the
    /// Amazon-like network at the largest cities (MODEL.md section 4).
    private static func siteFacilities(parameters p: ModelParameters, geography: Geography, shoppers: Shoppers,
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

    /// Each shopper's distance to the nearest store and which delivery radii it is inside.
    private func measureDistances() {
        Distances.measure(shoppers: shoppers, facilities: facilities, parameters: parameters, threads: threads)
    }

    public var chunkCount: Int { streams.count }

    /// The choice context at the current state.
    public var choiceContext: ChoiceContext { ChoiceContext(parameters: parameters, state: state) }

    /// Counts memberships now.
    private func takeCensus() -> MembershipCensus {
        MembershipCensus(shoppers: shoppers, communities: geography.cities.count + 1, chunks: chunkCount, threads: threads)
    }

    /// Runs one week (MODEL.md section 2) and returns its record.
    public func advanceWeek() -> WeekRecord {
        let week = state.week + 1
        let members = census.bySegment
        let s = shoppers, ctx = choiceContext, streams = streams
        let decay = Float(parameters.choice.habitDecay)
        // Steps 1-2: trips, choices, habits and orders, chunk by chunk.
        let tallies = Parallel.map(chunkCount, threads: threads) { c in
            chooseWeek(shoppers: s, range: Parallel.range(ofChunk: c, shoppers: s.count), context: ctx,
                       habitDecay: decay, stream: streams[c])
        }
        // Step 3: the week's aggregates, summed in chunk order.
        var trips = [Int](repeating: 0, count: Segment.count * Option.count)
        var revenue = [Double](repeating: 0, count: Segment.count * Option.count)
        var waitHours = [Double](repeating: 0, count: Option.count)
        var primeOrders = 0, primeSpend = 0.0
        for t in tallies {
            primeOrders += t.primeOrders
            primeSpend += t.primeSpend
            for k in trips.indices {
                trips[k] += t.trips[k]
                revenue[k] += t.revenue[k]
            }
            for k in waitHours.indices { waitHours[k] += t.waitHours[k] }
        }
        // Other online shops take the same time for everyone.
        let otherOnlineOrders = Segment.allCases.reduce(0) { $0 + trips[$1.rawValue * Option.count + Option.otherOnline.rawValue] }
        waitHours[Option.otherOnline.rawValue] = Double(otherOnlineOrders) * parameters.choice.otherOnlineHours
        let customers = week % 4 == 0 ? CustomerMonth.close(shoppers: s, chunks: chunkCount, threads: threads) : nil
        let record = WeekRecord(week: week, trips: trips, revenue: revenue, members: members, waitHours: waitHours,
                                amazon: retailerWeek(.amazon, revenue: revenue, members: members),
                                walmart: retailerWeek(.walmart, revenue: revenue, members: members),
                                primeOrders: primeOrders, primeSpend: primeSpend, customers: customers, reach: reach)
        state.cumulativeAmazonOrders += Double(record.trips(.amazon))
        for o in Option.allCases { quarterSpend[o.rawValue] += record.revenue(o) }
        state.week = week

        // Step 4: memberships every 4th week.
        if week % 4 == 0 && parameters.membership.enabled {
            updateMemberships()
            census = takeCensus()
        }
        // Step 5: strategies every 13th week.
        if week % 13 == 0 {
            strategyStep()
            reach = Reach.count(shoppers: shoppers, chunks: chunkCount, threads: threads)
        }
        return record
    }

    /// The ledger line of one retailer for the week just simulated.
    private func retailerWeek(_ r: RetailerID, revenue: [Double], members: [Int]) -> RetailerWeek {
        let p = parameters
        let scale = Double(p.population.shoppers) / p.population.people
        func spend(_ o: Option) -> Double { Segment.allCases.reduce(0) { $0 + revenue[$1.rawValue * Option.count + o.rawValue] } }
        func memberCount(_ g: Programme) -> Double {
            Double(Segment.allCases.reduce(0) { $0 + members[$1.rawValue * Programme.count + g.rawValue] })
        }
        switch r {
        case .amazon:
            let sales = spend(.amazon)
            let sites = facilities.fulfillmentCenters.count + facilities.sameDaySites.count
            let fixed = Double(sites) * p.amazon.facilityCostDollarsPerQuarter / 13 * scale
            let fees = memberCount(.prime) * p[.prime].monthlyFee / 4
            return RetailerWeek(priceIndex: state.amazonPrice, facilities: sites, hubs: facilities.sameDaySites.count,
                                personalization: state.personalization, inStock: nil, revenue: sales,
                                profit: p.amazon.grossMargin * sales + fees - fixed)
        case .walmart:
            let sales = spend(.walmartStore) + spend(.walmartOnline)
            let fixed = (Double(facilities.stores.count) * p.walmart.storeCostDollarsPerQuarter
                + Double(facilities.hubCount) * p.walmart.hubCostDollarsPerQuarter) / 13 * scale
            let fees = memberCount(.plus) * p[.plus].monthlyFee / 4
            return RetailerWeek(priceIndex: state.walmartPrice, facilities: facilities.stores.count,
                                hubs: facilities.hubCount, personalization: nil, inStock: state.inStock,
                                revenue: sales, profit: p.walmart.grossMargin * sales + fees - fixed)
        }
    }

    private func updateMemberships() {
        let m = parameters.membership
        // A programme not offered has nobody to join it.
        let hazards = Programme.allCases.map { g in
            let offered = parameters[g].enabled
            return MembershipHazards(innovation: offered ? m.innovation : 0, imitation: offered ? m.imitation : 0,
                                     valueWeight: offered ? m.valueWeight : 0, churn: m.churn,
                                     churnValueWeight: m.churnValueWeight, fee: parameters[g].monthlyFee)
        }
        let shares = census.localShares(scope: m.localScope)
        let s = shoppers, ctx = choiceContext, streams = streams
        Parallel.forEach(chunkCount, threads: threads) { c in
            decideMemberships(shoppers: s, range: Parallel.range(ofChunk: c, shoppers: s.count), context: ctx,
                              hazards: hazards, localShare: shares, stream: streams[c])
        }
    }

    /// Step 5: each retailer acts on its strategy card (MODEL.md section 7).
    private func strategyStep() {
        let p = parameters
        let spend = quarterSpend
        quarterSpend = [Double](repeating: 0, count: Option.count)
        if p.amazon.strategy.enabled {
            if p.amazon.strategy.dynamicPricing {
                state.amazonPrice = AmazonStrategy.nextPrice(current: state.amazonPrice, quarterSpend: spend, parameters: p.amazon)
            }
            let picks = ruralSites.choose(count: p.amazon.strategy.ruralSitesPerQuarter, shoppers: shoppers, grid: grid, threads: threads)
            facilities.addSameDaySites(picks.map { ruralSites.points[$0] })
            state.personalization = AmazonStrategy.personalization(
                ordersPerShopper: state.cumulativeAmazonOrders / Double(shoppers.count), parameters: p.amazon)
        }
        if p.walmart.strategy.enabled {
            let picks = hubStores.choose(count: p.walmart.strategy.hubsPerQuarter, shoppers: shoppers, grid: grid, threads: threads)
            facilities.convertToHubs(picks)
            if p.walmart.strategy.augmentation {
                let a = WalmartStrategy.augmentation(week: state.week, parameters: p.walmart)
                state.augmentation = a
                state.inStock = p.walmart.inStock.before + (p.walmart.inStock.after - p.walmart.inStock.before) * a
                state.hubHours = p.walmart.hours.hub + (p.walmart.hours.hubAugmented - p.walmart.hours.hub) * a
            }
        }
    }
}
