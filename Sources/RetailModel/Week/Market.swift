import Foundation
import RetailStats

/// One replicate's world: the country, the facilities, every household and the
/// two retailers, advanced one week at a time (docs/MODEL.md section 2).
///
/// The market is the model only; running replicates, collecting records and
/// writing files belong to the experiment layer.
public final class Market: @unchecked Sendable {
    /// The parameters in force this week: the scenario's, then each of
    /// `timeline`'s sets from its week on.
    public internal(set) var parameters: ModelParameters
    /// Parameter sets that take over at the start of a week of the run (a
    /// scenario's timeline, docs/MODEL.md section 2), in week order; set
    /// before week 1. Only what is read while the run goes may differ from
    /// `parameters` (the experiment layer's catalogue says which paths).
    public var timeline: [ScheduledParameters] = []
    /// Facilities opened or closed at a place from a week of the run, and
    /// places only watched (docs/MODEL.md section 4); set before week 1.
    /// The regions outcome reports distance bands around each.
    public var facilityChanges: [FacilityChange] = []
    /// Which calendar week each week of the run is (`run.start`): where the
    /// monthly and quarterly steps fall.
    public let calendar: WeekCalendar
    public let seed: UInt64
    public let replicate: Int
    /// Threads for chunked work; never changes the results.
    public let threads: Int
    public let geography: Geography
    package let shoppers: Households
    public let grid: HouseholdGrid
    public internal(set) var facilities: Facilities
    public internal(set) var state: MarketState
    /// Eight weekly random lanes per chunk of households, kept across weeks.
    let streams: WeeklyStreams
    /// Spend by option since the last strategy step.
    var quarterSpend = [Double](repeating: 0, count: Option.count)
    /// Where rural same-day sites may open: town centres, then cities without a
    /// site (synthetic); rural places outside the same-day metros (real).
    var ruralSites: CoverageCandidates
    /// State and degrees of each rural candidate (real country).
    var ruralSiteLabels: [Facilities.Label] = []
    /// What the real and the synthetic country do differently (`Country`).
    var country: Country
    /// Real country: hub reach at published points of the delivery path (docs/GEOGRAPHY.md section 6).
    public internal(set) var hubReachPath: [HubReachPoint] = []
    /// Memberships as they stand since the last monthly step.
    var census: MembershipCensus
    /// Who is within reach of each network, since the last strategy step.
    public internal(set) var reach: Reach
    /// Prices to follow instead of the pricing rules' (a claim's direct arm:
    /// the no-strategy arm's path); nil: the rules set them.
    public var pricePath: PricePath?
    /// `learn`: which chunks see the test price this quarter, and the Amazon-like
    /// quantity (dollars at price index 1) they bought at the higher and the lower test price.
    var testChunks: [Bool]
    var testQuantity = (up: 0.0, down: 0.0)
    /// Draws which chunks are tested, one quarter after another.
    let pricingStream: RandomStream
    /// Store delivery's and pickup's slots and the waits they make (unlimited
    /// unless `walmart.storeDelivery.slotsPerStoreWeek`, `walmart.pickup.slotsPerStoreWeek` are set).
    let slots = DeliverySlots(.delivery), pickup = DeliverySlots(.pickup)
    /// Years the week being simulated lies before `trend.anchor` (0 at and
    /// after it): how far the history's drivers move the market back.
    var trendYears = 0.0

    /// Builds the world of replicate `replicate` from `seed`; `regions` is the
    /// real country's table (nil for the synthetic one) and `stores` its
    /// published stores by state (needed when `walmart.network.siting` is "published").
    /// `warm` false leaves out the warm start: for a market about to be
    /// restored from a saved state (`restore(parameters:read:)`).
    public init(parameters p: ModelParameters, regions: RegionTable?, stores: StoreMap? = nil, calendar: WeekCalendar = WeekCalendar(),
                seed: UInt64, replicate: Int, threads: Int, warm: Bool = true) throws {
        if p.geography.kind == .us, p.walmart.network.siting == .published, stores == nil { throw MissingStoreMap() }
        parameters = p
        self.calendar = calendar
        self.seed = seed
        self.replicate = replicate
        self.threads = max(1, threads)
        let geoStream = try RandomStream(key: StreamKey(seed: seed, replicate: replicate, purpose: .geography))
        geography = try Geography(parameters: p, regions: regions, stores: stores, stream: geoStream)
        shoppers = try Settlement.populate(parameters: p, geography: geography, seed: seed,
                                           replicate: replicate, threads: self.threads)
        grid = shoppers.grid
        state = MarketState(parameters: p)
        streams = try WeeklyStreams(seed: seed, replicate: replicate, chunks: Parallel.chunkCount(shoppers: p.population.shoppers))
        let made = try geography.us.map { Country.us($0, parameters: p) }
            ?? Country.synthetic(geography, parameters: p, shoppers: shoppers, grid: grid, seed: seed, replicate: replicate, threads: self.threads)
        country = made.0
        let start = made.1
        facilities = start.facilities
        ruralSites = CoverageCandidates(points: start.ruralPlaces, open: start.ruralPlaces.map { _ in true },
                                        radiusKm: Float(p.amazon.sameDayRadiusKm), flag: .sameDay,
                                        widthKm: geography.widthKm, heightKm: geography.heightKm)
        ruralSiteLabels = start.ruralLabels
        // Memberships were drawn with the attributes; distances touch other flags.
        census = MembershipCensus(shoppers: shoppers, communities: geography.communityCount,
                                  chunks: streams.count, threads: self.threads)
        reach = Reach(counts: [], shoppers: [])
        testChunks = [Bool](repeating: false, count: streams.count)
        pricingStream = try RandomStream(key: StreamKey(seed: seed, replicate: replicate, purpose: .pricing))
        measureDistances()
        if let us = geography.us { hubReachPath = measureHubReachPath(USNetwork.shared(us: us, parameters: p)) }
        if warm { warmStart() }
        drawTestChunks()
    }

    /// Habits at each household's fixed point, then `start.burnInWeeks` weeks
    /// with strategies and prices frozen (memberships and habits move), so
    /// that week 1 starts in the steady state of the starting strategies.
    private func warmStart() {
        let s = shoppers
        trendYears = yearsBeforeAnchor(ofWeek: 1 - parameters.start.burnInWeeks)
        for _ in 0..<parameters.start.habitIterations {
            let ctx = choiceContext
            Parallel.forEach(chunkCount, threads: threads) { c in
                settleHabits(shoppers: s, range: Parallel.range(ofChunk: c, shoppers: s.count), context: ctx)
            }
        }
        for _ in 0..<parameters.start.burnInWeeks { _ = simulateWeek(burnIn: true) }
        // Week 1 follows; the burn-in's weeks are not the run's.
        state.week = 0
        state.cumulativeAmazonOrders = 0
        quarterSpend = [Double](repeating: 0, count: Option.count)
        census = takeCensus()
    }

    /// A timeline's parameters from this week on. What the state took from
    /// the parameters at the start follows them: a changed price index is the
    /// retailer's price from now (the price rules go on from it), and the
    /// in-stock rate and hub wait are re-read at the current augmentation.
    private func adopt(_ p: ModelParameters, week: Int) {
        let old = parameters
        parameters = p
        adoptNetwork(from: old, to: p, week: week)
        if p.amazon.priceIndex != old.amazon.priceIndex { state.amazonPrice = p.amazon.priceIndex }
        if p.walmart.priceIndex != old.walmart.priceIndex { state.walmartPrice = p.walmart.priceIndex }
        if p.walmart.inStock != old.walmart.inStock || p.walmart.hours != old.walmart.hours { augment(to: state.augmentation) }
        // A programme no longer offered has no members: they leave at once, not by churn.
        let ended = Programme.allCases.filter { old[$0].enabled && !p[$0].enabled }
        if !ended.isEmpty {
            for g in ended { endMemberships(g) }
            census = takeCensus()
        }
    }

    /// Every member of programme `g` leaves it (its flag and tenure cleared).
    private func endMemberships(_ g: Programme) {
        let flag: HouseholdFlags = g == .prime ? .prime : .plus
        let s = shoppers, first = g.rawValue * s.count
        Parallel.forEach(chunkCount, threads: threads) { c in
            let flags = s.flags, tenure = s.tenure
            for i in Parallel.range(ofChunk: c, shoppers: s.count) {
                flags[i] &= ~flag.rawValue
                tenure[first + i] = 0
            }
        }
    }

    /// Each household's distance to the nearest store and which delivery radii it is inside,
    /// its serving store, and the reach counts; the stores' slots are pooled again when next needed.
    /// Whatever moves the network measures again here, so distances and reach never disagree.
    func measureDistances() {
        Distances.measure(shoppers: shoppers, facilities: facilities, parameters: parameters, threads: threads)
        reach = Reach.count(shoppers: shoppers, chunks: chunkCount, threads: threads)
        slots.stale = true
        pickup.stale = true
    }

    var chunkCount: Int { streams.count }

    /// Years from the first day of week `week` (below 1: the burn-in's) to `trend.anchor`, 0 once past it.
    func yearsBeforeAnchor(ofWeek week: Int) -> Double {
        max(0, Double(parameters.trend.anchor - calendar.firstDay(ofWeek: week)) / 365.25)
    }

    /// The choice context at the current state.
    public var choiceContext: ChoiceContext {
        var ctx = ChoiceContext(parameters: parameters, state: state)
        ctx.weeksPerMonth = Float(calendar.weeksPerMonth)
        // Before the anchor, online options lack the trend's utility for the years between.
        let lag = Float(trendYears * parameters.trend.onlineUtilityPerYear)
        let walmartLag = lag + Float(trendYears * parameters.trend.walmartOnlineUtilityPerYear)
        if lag != 0 || walmartLag != 0 {
            ctx.constants.a -= lag
            ctx.constants.oo -= lag
            ctx.constants.wo -= walmartLag
            ctx.constants.wp -= walmartLag
        }
        ctx.pickupLimited = facilities.pickupLimited
        if slots.bind(parameters) { ctx.slotWaits = ChoiceContext.SlotWaits(extraHours: slots.extraHours) }
        if pickup.bind(parameters) { ctx.pickupWaits = ChoiceContext.SlotWaits(extraHours: pickup.extraHours) }
        return ctx
    }

    /// Counts memberships now.
    private func takeCensus() -> MembershipCensus {
        MembershipCensus(shoppers: shoppers, communities: geography.communityCount, chunks: chunkCount, threads: threads)
    }

    /// Runs one week (docs/MODEL.md section 2) and returns its record.
    public func advanceWeek() -> WeekRecord { simulateWeek(burnIn: false) }

    /// One week; in the burn-in, without strategy steps, price tests or price paths.
    private func simulateWeek(burnIn: Bool) -> WeekRecord {
        let week = state.week + 1
        // The burn-in's weeks come before week 1 on the calendar.
        let dated = burnIn ? week - parameters.start.burnInWeeks : week
        if !burnIn, let next = timeline.first(where: { $0.week == week }) { adopt(next.parameters, week: week) }
        trendYears = yearsBeforeAnchor(ofWeek: dated)
        if !burnIn { applyFacilityChanges(week: week) }
        if !burnIn, let prices = pricePath?.prices(inWeek: week) {
            state.amazonPrice = prices.amazon
            state.walmartPrice = prices.walmart
        }
        for queue in [slots, pickup] where queue.bind(parameters) { queue.zone(shoppers: shoppers, facilities: facilities, parameters: parameters) }
        let members = census.bySegment, both = census.both
        let s = shoppers, ctx = choiceContext, streams = streams
        let decay = Float(parameters.choice.habitDecay)
        // `learn`: tested chunks see the price up in even weeks and down in odd ones.
        let testing = !burnIn && pricePath == nil && parameters.amazon.strategy.enabled
            && parameters.amazon.strategy.pricing == .learn
        let step = parameters.amazon.strategy.testStep
        let testPrice = state.amazonPrice * (week % 2 == 0 ? 1 + step : 1 - step)
        var testContext = ctx
        testContext.amazonPrice = Float(testPrice)
        let tested = testChunks
        let testCtx = testContext
        // Steps 1-2: trips, choices, habits and orders, chunk by chunk.
        let tallies = Parallel.map(chunkCount, threads: threads) { c in
            chooseWeek(shoppers: s, range: Parallel.range(ofChunk: c, shoppers: s.count), context: testing && tested[c] ? testCtx : ctx,
                       habitDecay: decay, lanes: streams.lanes(ofChunk: c))
        }
        // Step 3: the week's aggregates, summed in chunk order.
        var trips = [Int](repeating: 0, count: Segment.count * Option.count)
        var revenue = [Double](repeating: 0, count: Segment.count * Option.count)
        var waitHours = [Double](repeating: 0, count: Option.count)
        var primeOrders = 0, primeSpend = 0.0, plusOrders = 0, plusSpend = 0.0
        var groceryTrips = [Int](repeating: 0, count: Segment.count * Option.count)
        var groceryRevenue = [Double](repeating: 0, count: Segment.count * Option.count)
        var testSpend = 0.0, shippedGroceryRevenue = 0.0, storeDeliveredRevenue = 0.0, shelfOrders = 0, shelfRevenue = 0.0
        for (c, t) in tallies.enumerated() {
            shippedGroceryRevenue += t.shippedGroceryRevenue
            storeDeliveredRevenue += t.storeDeliveredRevenue
            shelfOrders += t.shelfStableOtherOnlineTrips
            shelfRevenue += t.shelfStableOtherOnlineRevenue
            primeOrders += t.primeOrders
            primeSpend += t.primeSpend
            plusOrders += t.plusOrders
            plusSpend += t.plusSpend
            for k in trips.indices {
                trips[k] += t.trips[k]
                revenue[k] += t.revenue[k]
            }
            for k in waitHours.indices { waitHours[k] += t.waitHours[k] }
            for k in groceryTrips.indices {
                groceryTrips[k] += t.groceryTrips[k]
                groceryRevenue[k] += t.groceryRevenue[k]
            }
            if testing && tested[c] {
                testSpend += Segment.allCases.reduce(0) { $0 + t.revenue[$1.rawValue * Option.count + Option.amazon.rawValue] }
            }
        }
        // The week's store-delivered and picked-up orders move each store's waits for the next.
        for (queue, pairs) in [(slots, \ChunkTally.storeOrders), (pickup, \ChunkTally.pickupOrders)] where queue.bind(parameters) {
            var orders = [Int](repeating: 0, count: facilities.stores.count)
            for t in tallies {
                let tally = t[keyPath: pairs]
                for n in stride(from: 0, to: tally.count, by: 2) where Int(tally[n]) < orders.count {
                    orders[Int(tally[n])] += Int(tally[n + 1])
                }
            }
            queue.update(orders: orders, facilities: facilities, parameters: parameters, scale: parameters.agentScale)
        }
        if testing {
            if week % 2 == 0 { testQuantity.up += testSpend / testPrice } else { testQuantity.down += testSpend / testPrice }
        }
        // Other online shops take the same time for everyone: fresh groceries
        // their grocery wait, shelf-stable ones and general merchandise their general wait.
        let otherOnlineOrders = Segment.allCases.reduce(0) { $0 + trips[$1.rawValue * Option.count + Option.otherOnline.rawValue] }
        let otherFreshOrders = Segment.allCases.reduce(0) { $0 + groceryTrips[$1.rawValue * Option.count + Option.otherOnline.rawValue] }
            - shelfOrders
        let groceryHours = parameters.choice.grocery.otherOnlineHours, generalHours = parameters.choice.otherOnlineHours
        waitHours[Option.otherOnline.rawValue] = Double(otherOnlineOrders - otherFreshOrders) * generalHours
            + Double(otherFreshOrders) * groceryHours
        if groceryHours >= 24 {
            shippedGroceryRevenue += Segment.allCases.reduce(0) { $0 + groceryRevenue[$1.rawValue * Option.count + Option.otherOnline.rawValue] }
                - shelfRevenue
        }
        if generalHours >= 24 { shippedGroceryRevenue += shelfRevenue }
        let customerMonth = calendar.endsMonth(dated) ? CustomerMonth.close(shoppers: s, chunks: chunkCount, threads: threads) : nil
        var record = WeekRecord(week: week, trips: trips, revenue: revenue, members: members, waitHours: waitHours,
                                amazon: retailerWeek(.amazon, revenue: revenue, members: members),
                                walmart: retailerWeek(.walmart, revenue: revenue, members: members),
                                primeOrders: primeOrders, primeSpend: primeSpend, plusOrders: plusOrders, plusSpend: plusSpend, bothMembers: both,
                                groceryTrips: groceryTrips, groceryRevenue: groceryRevenue,
                                shippedGroceryRevenue: shippedGroceryRevenue, storeDeliveredRevenue: storeDeliveredRevenue, welfare: nil, customers: customerMonth, reach: reach)
        state.week = week
        if !burnIn {
            // The flywheel counts orders from the calibrated present (`trend.anchor`) on.
            if calendar.firstDay(ofWeek: week) >= parameters.trend.anchor { state.cumulativeAmazonOrders += Double(record.trips(.amazon)) }
            for o in Option.allCases { quarterSpend[o.rawValue] += record.revenue(o) }
        }

        // Step 4: memberships after a calendar month's last week.
        if calendar.endsMonth(dated) && parameters.membership.enabled {
            updateMemberships()
            census = takeCensus()
        }
        // Step 5: strategies after a calendar quarter's last week.
        if !burnIn && calendar.endsQuarter(week) {
            record.welfare = strategyStep()
            reach = Reach.count(shoppers: shoppers, chunks: chunkCount, threads: threads)
        }
        return record
    }
}

/// One entry of a market's timeline: the whole parameter set in force from
/// the start of `week` (1 = the run's first week, after the burn-in).
public struct ScheduledParameters: Sendable, Equatable {
    public var week: Int
    public var parameters: ModelParameters

    public init(week: Int, parameters: ModelParameters) {
        self.week = week
        self.parameters = parameters
    }
}

/// Prices week by week from `firstWeek`, followed in place of the pricing
/// rules' (a claim's direct arm follows its off arm's, which may start after
/// a fork rather than at week 1).
public struct PricePath: Sendable {
    public var firstWeek: Int
    public var prices: [(amazon: Double, walmart: Double)]

    public init(firstWeek: Int = 1, prices: [(amazon: Double, walmart: Double)]) {
        (self.firstWeek, self.prices) = (firstWeek, prices)
    }

    /// The prices of `week`, or nil outside the path (the rules set them).
    public func prices(inWeek week: Int) -> (amazon: Double, walmart: Double)? {
        prices.indices.contains(week - firstWeek) ? prices[week - firstWeek] : nil
    }
}
