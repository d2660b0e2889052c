import CLanes
import RetailStats

/// What one chunk of households did in one week.
struct ChunkTally: Sendable {
    var trips = [Int](repeating: 0, count: Segment.count * Option.count)
    var revenue = [Double](repeating: 0, count: Segment.count * Option.count)
    /// Hours waited, summed over the orders of each option (0 for stores).
    var waitHours = [Double](repeating: 0, count: Option.count)
    /// Amazon-like orders and spend of Prime-like members, dollars.
    var primeOrders = 0
    var primeSpend = 0.0
    /// Walmart-like online orders (WO + WP) of Walmart+-like members, and their spend, dollars.
    var plusOrders = 0
    var plusSpend = 0.0
    /// Of them, the grocery trips and spend, by segment and option.
    var groceryTrips = [Int](repeating: 0, count: Segment.count * Option.count)
    var groceryRevenue = [Double](repeating: 0, count: Segment.count * Option.count)
    /// Grocery spend of Amazon-like and Walmart-like online orders waiting a day or more (shipped), dollars.
    var shippedGroceryRevenue = 0.0
    /// Spend of Walmart-like online orders delivered from a store (the menu's store way), dollars.
    var storeDeliveredRevenue = 0.0
    /// Other sellers' shelf-stable grocery orders and their spend, dollars
    /// (they wait as general merchandise does; 0 when every grocery trip is fresh).
    var shelfStableOtherOnlineTrips = 0
    var shelfStableOtherOnlineRevenue = 0.0
    /// Where slots bind: pairs of store id and orders delivered from it;
    /// where pickup's bind, of store id and orders picked up there.
    var storeOrders: [Int32] = []
    var pickupOrders: [Int32] = []
}

/// Step 1 and 2 of a week (docs/MODEL.md section 2) for one chunk: each household
/// draws its trips, chooses among the options by multinomial logit, and updates
/// its habits and order count. Reads only the household's own state and the
/// week's context, so chunks are independent.
///
/// Eight households a vector, their uniforms from the chunk's eight taus2 lanes
/// (`RandomLanes`), block by block of `WeekScratch.vectors` vectors in three
/// stages whose scratch stays in L1 (docs/PERFORMANCE.md): choice weights;
/// trip counts and the trips' choices; habits, orders and the tally by segment.
/// Never inlined, so that `make bench-instructions` can count it by name.
@inline(never)
func chooseWeek(shoppers s: Households, range: Range<Int>, context ctx: ChoiceContext, habitDecay: Float,
                lanes: UnsafeMutablePointer<RandomLanes>) -> ChunkTally {
    let scratch = WeekScratch()
    defer { scratch.deallocate() }
    var generator = lanes.pointee
    var sums = WeekSums()
    let width = RandomLanes.width
    var first = range.lowerBound
    while first < range.upperBound {
        let size = min(WeekScratch.vectors * width, range.upperBound - first)
        let whole = size / width
        if whole > 0 {
            scratch.run(HouseholdLanes(s, from: first), vectors: whole, valid: width, context: ctx, habitDecay: habitDecay,
                        generator: &generator, sums: &sums)
        }
        let rest = size - whole * width
        if rest > 0 {
            // The run's last households, short of a vector: worked on in a padded copy.
            let tail = HouseholdTail()
            let columns = tail.load(from: s, first: first + whole * width, count: rest)
            scratch.run(columns, vectors: 1, valid: rest, context: ctx, habitDecay: habitDecay, generator: &generator, sums: &sums)
            tail.store(to: s, first: first + whole * width, count: rest)
        }
        first += size
    }
    lanes.pointee = generator
    return sums.tally(prices: ctx.prices)
}

/// Trips by option for eight households, and their sums over blocks.
extension PerOption where Value == LaneInts {
    static var zero: Self { PerOption(repeating: LaneInts()) }

    @inline(__always)
    mutating func add(_ t: Self) {
        a &+= t.a
        ws &+= t.ws
        wo &+= t.wo
        os &+= t.os
        oo &+= t.oo
        wp &+= t.wp
    }
}

/// Spend by option over blocks, in double precision.
extension PerOption where Value == WideLanes {
    static var zero: Self { PerOption(repeating: WideLanes()) }

    @inline(__always)
    mutating func add(_ s: PerOption<Lanes>) {
        a += widen(s.a)
        ws += widen(s.ws)
        wo += widen(s.wo)
        os += widen(s.os)
        oo += widen(s.oo)
        wp += widen(s.wp)
    }
}

/// One option's sums over a block, by segment.
struct OptionSums {
    var trips: (LaneInts, LaneInts, LaneInts)
    var spend: (Lanes, Lanes, Lanes)
    /// Of them, the grocery trips and spend, by segment.
    var groceryTrips: (LaneInts, LaneInts, LaneInts), grocerySpend: (Lanes, Lanes, Lanes)
}

/// A block's tally in vector registers, by segment, emptied into the chunk's
/// `WeekSums` after each block (single-precision lanes over 32 vectors, then
/// double precision).
struct LaneTally {
    var trips = (PerOption<LaneInts>.zero, PerOption<LaneInts>.zero, PerOption<LaneInts>.zero)
    var spend = (PerOption(repeating: Lanes()), PerOption(repeating: Lanes()), PerOption(repeating: Lanes()))
    var primeOrders = LaneInts(), plusOrders = LaneInts()
    var primeSpend = Lanes(), plusSpend = Lanes(), waitA = Lanes(), waitWO = Lanes(), waitWP = Lanes()
    var groceryTrips = (PerOption<LaneInts>.zero, PerOption<LaneInts>.zero, PerOption<LaneInts>.zero)
    var grocerySpend = (PerOption(repeating: Lanes()), PerOption(repeating: Lanes()), PerOption(repeating: Lanes()))
    /// Grocery baskets of A and WO orders waiting a day or more.
    var shippedA = Lanes(), shippedWO = Lanes()
    /// Baskets of WO orders delivered from a store.
    var storeDelivered = Lanes()
    /// OO orders on shelf-stable grocery trips, and their baskets.
    var shelfOO = LaneInts(), shelfOOSpend = Lanes()
}

/// The chunk's week so far: counts in integer lanes, dollars and hours in
/// double-precision lanes (each block's single-precision lanes added in),
/// summed over the lanes in lane order at the end: the same for any vector width.
struct WeekSums {
    var trips = (PerOption<LaneInts>.zero, PerOption<LaneInts>.zero, PerOption<LaneInts>.zero)
    var spend = (PerOption<WideLanes>.zero, PerOption<WideLanes>.zero, PerOption<WideLanes>.zero)
    var primeOrders = LaneInts(), plusOrders = LaneInts()
    var primeSpend = WideLanes(), plusSpend = WideLanes(), waitA = WideLanes(), waitWO = WideLanes(), waitWP = WideLanes()
    var groceryTrips = (PerOption<LaneInts>.zero, PerOption<LaneInts>.zero, PerOption<LaneInts>.zero)
    var grocerySpend = (PerOption<WideLanes>.zero, PerOption<WideLanes>.zero, PerOption<WideLanes>.zero)
    var shippedA = WideLanes(), shippedWO = WideLanes(), storeDelivered = WideLanes()
    var shelfOO = LaneInts(), shelfOOSpend = WideLanes()
    /// Where slots bind: pairs of store id and orders delivered from it, a household's at a time;
    /// where pickup's bind, of store id and orders picked up there.
    var storeOrders: [Int32] = []
    var pickupOrders: [Int32] = []

    @inline(__always)
    mutating func add(_ t: LaneTally) {
        trips.0.add(t.trips.0)
        trips.1.add(t.trips.1)
        trips.2.add(t.trips.2)
        spend.0.add(t.spend.0)
        spend.1.add(t.spend.1)
        spend.2.add(t.spend.2)
        primeOrders &+= t.primeOrders
        plusOrders &+= t.plusOrders
        primeSpend += widen(t.primeSpend)
        plusSpend += widen(t.plusSpend)
        waitA += widen(t.waitA)
        waitWO += widen(t.waitWO)
        waitWP += widen(t.waitWP)
        groceryTrips.0.add(t.groceryTrips.0)
        groceryTrips.1.add(t.groceryTrips.1)
        groceryTrips.2.add(t.groceryTrips.2)
        grocerySpend.0.add(t.grocerySpend.0)
        grocerySpend.1.add(t.grocerySpend.1)
        grocerySpend.2.add(t.grocerySpend.2)
        shippedA += widen(t.shippedA)
        shippedWO += widen(t.shippedWO)
        storeDelivered += widen(t.storeDelivered)
        shelfOO &+= t.shelfOO
        shelfOOSpend += widen(t.shelfOOSpend)
    }

    private static func total(_ v: WideLanes) -> Double {
        var x = 0.0
        for j in 0..<RandomLanes.width { x += v[j] }
        return x
    }

    private static func total(_ v: LaneInts) -> Int { Int(v.wrappedSum()) }

    func tally(prices: PerOption<Float>) -> ChunkTally {
        let price = prices.all.map(Double.init)
        var t = ChunkTally()
        func put(_ segment: Int, _ n: PerOption<LaneInts>, _ s: PerOption<WideLanes>, _ gn: PerOption<LaneInts>, _ gs: PerOption<WideLanes>) {
            let base = segment * Option.count
            for o in Option.allCases {
                t.trips[base + o.rawValue] = WeekSums.total(n[o])
                t.revenue[base + o.rawValue] = WeekSums.total(s[o]) * price[o.rawValue]
                t.groceryTrips[base + o.rawValue] = WeekSums.total(gn[o])
                t.groceryRevenue[base + o.rawValue] = WeekSums.total(gs[o]) * price[o.rawValue]
            }
        }
        put(0, trips.0, spend.0, groceryTrips.0, grocerySpend.0)
        put(1, trips.1, spend.1, groceryTrips.1, grocerySpend.1)
        put(2, trips.2, spend.2, groceryTrips.2, grocerySpend.2)
        t.waitHours[Option.amazon.rawValue] = WeekSums.total(waitA)
        t.waitHours[Option.walmartOnline.rawValue] = WeekSums.total(waitWO)
        t.waitHours[Option.walmartPickup.rawValue] = WeekSums.total(waitWP)
        t.primeOrders = WeekSums.total(primeOrders)
        t.primeSpend = WeekSums.total(primeSpend) * price[Option.amazon.rawValue]
        t.plusOrders = WeekSums.total(plusOrders)
        t.plusSpend = WeekSums.total(plusSpend) * price[Option.walmartOnline.rawValue]
        t.shippedGroceryRevenue = WeekSums.total(shippedA) * price[Option.amazon.rawValue]
            + WeekSums.total(shippedWO) * price[Option.walmartOnline.rawValue]
        t.storeDeliveredRevenue = WeekSums.total(storeDelivered) * price[Option.walmartOnline.rawValue]
        t.shelfStableOtherOnlineTrips = WeekSums.total(shelfOO)
        t.shelfStableOtherOnlineRevenue = WeekSums.total(shelfOOSpend) * price[Option.otherOnline.rawValue]
        t.storeOrders = storeOrders
        t.pickupOrders = pickupOrders
        return t
    }
}

/// Eight lanes in double precision.
typealias WideLanes = SIMD8<Double>

@inline(__always) func widen(_ a: Lanes) -> WideLanes { retailsim_widen(a) }

/// Scratch for one block of the weekly choice, a few kilobytes that stay in L1.
struct WeekScratch {
    /// Vectors of eight households a block.
    static let vectors = 32
    /// Trips a week whose choices are drawn in the vector stage for every
    /// household; a vector with a longer week (under 3 % of households at the
    /// baseline) carries on slot by slot with its other lanes masked.
    static let vectorTrips = 4

    /// Cumulative choice weights c0 ... c4 and their total, `weights[6 v + o]`.
    let weights: UnsafeMutablePointer<Lanes>
    /// Trips by option, `trips[6 v + o]`, and trips in all.
    let trips: UnsafeMutablePointer<LaneInts>
    let counts: UnsafeMutablePointer<LaneInts>
    /// Each vector's segment masks (urban, suburban, rural), `segmentMasks[3 v + segment]`.
    let segmentMasks: UnsafeMutablePointer<LaneMask>
    /// The same narrowed to the grocery lanes, `groceryMasks[3 v + segment]`.
    let groceryMasks: UnsafeMutablePointer<LaneMask>
    /// Each vector's grocery lanes: the households whose week is grocery;
    /// and of them the fresh lanes (the others' groceries are shelf-stable),
    /// written only when some grocery trips are shelf-stable.
    let grocery: UnsafeMutablePointer<LaneMask>
    let fresh: UnsafeMutablePointer<LaneMask>
    /// Each vector's lanes whose Walmart-like online orders come from a store
    /// this week (the better of the menu's two ways); the others are shipped.
    let fromStore: UnsafeMutablePointer<LaneMask>
    /// The block's uniforms, `uniforms[5 v + j]`: vector v's trip count (j = 0)
    /// and its first `vectorTrips` trips' choices.
    let uniforms: UnsafeMutablePointer<Lanes>
    static let uniformsPerVector = 1 + WeekScratch.vectorTrips

    init() {
        uniforms = .allocate(capacity: WeekScratch.uniformsPerVector * WeekScratch.vectors)
        segmentMasks = .allocate(capacity: Segment.count * WeekScratch.vectors)
        groceryMasks = .allocate(capacity: Segment.count * WeekScratch.vectors)
        grocery = .allocate(capacity: WeekScratch.vectors)
        fresh = .allocate(capacity: WeekScratch.vectors)
        fromStore = .allocate(capacity: WeekScratch.vectors)
        weights = .allocate(capacity: Option.count * WeekScratch.vectors)
        trips = .allocate(capacity: Option.count * WeekScratch.vectors)
        counts = .allocate(capacity: WeekScratch.vectors)
    }

    func deallocate() {
        uniforms.deallocate()
        segmentMasks.deallocate()
        groceryMasks.deallocate()
        grocery.deallocate()
        fresh.deallocate()
        fromStore.deallocate()
        weights.deallocate()
        trips.deallocate()
        counts.deallocate()
    }

    /// The week of `vectors` vectors of households from `c`, of which the last
    /// has `valid` real lanes (the others are padding and count for nothing).
    func run(_ c: HouseholdLanes, vectors: Int, valid: Int, context ctx: ChoiceContext, habitDecay: Float,
             generator: inout RandomLanes, sums: inout WeekSums) {
        drawCategories(vectors: vectors, context: ctx, generator: &generator)
        weigh(c, vectors: vectors, context: ctx)
        drawTrips(c, vectors: vectors, generator: &generator)
        if valid < RandomLanes.width {
            let last = vectors - 1
            for j in valid..<RandomLanes.width {
                counts[last][j] = 0
                for o in 0..<Option.count { trips[Option.count * last + o][j] = 0 }
            }
        }
        var tally = LaneTally()
        update(c, vectors: vectors, context: ctx, habitDecay: habitDecay, tally: &tally)
        sums.add(tally)
        if ctx.slotWaits != nil { tallyStoreOrders(c.hubStore, .walmartOnline, onlyFromStore: true, vectors: vectors, into: &sums.storeOrders) }
        if ctx.pickupWaits != nil { tallyStoreOrders(c.pickupStore, .walmartPickup, onlyFromStore: false, vectors: vectors, into: &sums.pickupOrders) }
    }

    /// The orders of `option` each household placed at its `store` (delivered
    /// from it, or picked up there), for the store's slots: the few lanes that
    /// have any, one by one.
    private func tallyStoreOrders(_ store: UnsafeMutablePointer<UInt16>, _ option: Option, onlyFromStore: Bool, vectors: Int,
                                  into orders: inout [Int32]) {
        for v in 0..<vectors {
            let placed = trips[Option.count &* v &+ option.rawValue] & (onlyFromStore ? fromStore[v] : LaneMask(repeating: -1))
            guard anyLane(above(placed, LaneInts())) else { continue }
            let k = v &* RandomLanes.width
            for j in 0..<RandomLanes.width where placed[j] > 0 {
                orders.append(Int32(store[k + j]))
                orders.append(placed[j])
            }
        }
    }

    /// Each household's category this week: grocery with the category's
    /// chance, a uniform a household drawn before the week's others, and
    /// fresh grocery below the fresh chance on the same uniform; no draw
    /// without the category, so that its stream is the one-category model's.
    private func drawCategories(vectors: Int, context ctx: ChoiceContext, generator g: inout RandomLanes) {
        guard ctx.grocery.enabled else {
            for v in 0..<vectors { grocery[v] = LaneMask() }
            return
        }
        g.fill(uniforms, count: vectors)
        let share = splat(ctx.grocery.share), freshChance = splat(ctx.grocery.freshChance)
        for v in 0..<vectors { grocery[v] = below(uniforms[v], share) }
        // All grocery fresh (the default): `fresh` is not read.
        guard ctx.grocery.shelfStable else { return }
        for v in 0..<vectors { fresh[v] = below(uniforms[v], freshChance) }
    }

    /// Stage 1: each household's logit weights for its week's category, cumulated in `Option` order.
    private func weigh(_ c: HouseholdLanes, vectors: Int, context ctx: ChoiceContext) {
        // Whether slots bind, once a block: without them the hub wait is a constant of the loop.
        if !ctx.slotsBind { weigh(c, vectors: vectors, context: ctx, slotsBind: false) } else { weigh(c, vectors: vectors, context: ctx, slotsBind: true) }
    }

    @inline(__always)
    private func weigh(_ c: HouseholdLanes, vectors: Int, context ctx: ChoiceContext, slotsBind: Bool) {
        for v in 0..<vectors {
            let k = v &* RandomLanes.width
            let trip = TripCategory(grocery: grocery[v], fresh: ctx.grocery.shelfStable ? fresh[v] : grocery[v])
            let u = ctx.utilities(ctx.householdTerms(c, k, slotsBind: slotsBind), flags: HouseholdLanes.load(c.flags, k), trip: trip,
                                  fromStore: &fromStore[v])
            let e = LogitWeights(u, nests: ctx.nests).weights
            let w = weights + Option.count &* v
            w[0] = e.a
            w[1] = w[0] + e.ws
            w[2] = w[1] + e.wo
            w[3] = w[2] + e.os
            w[4] = w[3] + e.oo
            w[5] = w[4] + e.wp
        }
    }

    /// Stage 2: each household's trips by inverting the Poisson CDF (the count is
    /// how many of F(0), F(1), ... the uniform passes, without branches up to 7
    /// trips and one by one beyond), then each trip's option by inverting the
    /// choice CDF, the first `vectorTrips` trips of every lane at once.
    private func drawTrips(_ c: HouseholdLanes, vectors: Int, generator g: inout RandomLanes) {
        let perVector = WeekScratch.uniformsPerVector
        g.fill(uniforms, count: perVector * vectors)
        for v in 0..<vectors {
            let k = v &* RandomLanes.width
            let rate = HouseholdLanes.load(c.tripRate, k)
            let u = uniforms + perVector &* v
            let x = u[0]
            var p = FastExponential.exp(-rate), cumulative = p
            var passed = atLeast(x, cumulative)
            // Unrolled, with 1/j as constants, as the scalar inversion (`poissonByInversion`).
            p *= rate; cumulative += p; passed &+= atLeast(x, cumulative)
            p *= rate * (1 / 2); cumulative += p; passed &+= atLeast(x, cumulative)
            p *= rate * (1 / 3); cumulative += p; passed &+= atLeast(x, cumulative)
            p *= rate * (1 / 4); cumulative += p; passed &+= atLeast(x, cumulative)
            p *= rate * (1 / 5); cumulative += p; passed &+= atLeast(x, cumulative)
            p *= rate * (1 / 6); cumulative += p; passed &+= atLeast(x, cumulative)
            p *= rate * (1 / 7); cumulative += p; passed &+= atLeast(x, cumulative)
            var count = LaneInts() &- passed
            if anyLane(equal(count, splat(8))) {
                // A week of 8 trips or more (about 1 household in 10,000 at the baseline): on one by one.
                for j in 0..<RandomLanes.width where count[j] == 8 {
                    var pj = p[j], fj = cumulative[j], n: Int32 = 8
                    let mean = rate[j], xj = x[j]
                    while n < 10_000 && pj > 0 {
                        pj *= mean / Float(n)
                        fj += pj
                        if xj < fj { break }
                        n += 1
                    }
                    count[j] = n
                }
            }
            counts[v] = count
        }
        // The trips' options, in a loop of its own: the count's chain of
        // multiplications above overlaps across vectors when its loop is short.
        for v in 0..<vectors {
            let u = uniforms + perVector &* v
            let count = counts[v]
            let w = weights + Option.count &* v
            let c0 = w[0], c1 = w[1], c2 = w[2], c3 = w[3], c4 = w[4], total = w[5]
            // passedK: minus the trips whose point t passed c_k; an idle slot's t is -1.
            // Without pickup its weight is 0, c4 is the total and no point passes it.
            var passed0 = LaneInts(), passed1 = LaneInts(), passed2 = LaneInts(), passed3 = LaneInts(), passed4 = LaneInts()
            @inline(__always) func slot(_ ordinal: Int32, _ u: Lanes) {
                let t = select(above(count, splat(ordinal)), u * total, splat(-1))
                passed0 &+= atLeast(t, c0)
                passed1 &+= atLeast(t, c1)
                passed2 &+= atLeast(t, c2)
                passed3 &+= atLeast(t, c3)
                passed4 &+= atLeast(t, c4)
            }
            slot(0, u[1])
            slot(1, u[2])
            slot(2, u[3])
            slot(3, u[4])
            if anyLane(above(count, splat(Int32(WeekScratch.vectorTrips)))) {
                // The longer weeks of this vector: more slots, the other lanes idle.
                for ordinal in Int32(WeekScratch.vectorTrips)..<count.max() { slot(ordinal, g.next()) }
            }
            let t = trips + Option.count &* v
            t[0] = count &+ passed0
            t[1] = passed1 &- passed0
            t[2] = passed2 &- passed1
            t[3] = passed3 &- passed2
            t[4] = passed4 &- passed3
            t[5] = LaneInts() &- passed4
        }
    }

    /// Stage 3: habits (an exponentially weighted share of each week's trips,
    /// in fixed point, rounded to the nearest step), the order decay, the
    /// month's order flag and the 13-week records; then the week's tally.
    private func update(_ c: HouseholdLanes, vectors: Int, context ctx: ChoiceContext, habitDecay: Float,
                        tally: inout LaneTally) {
        typealias C = HouseholdLanes
        let unit = Households.unit, perOrder = -1 / ctx.ordersScale
        let ordered = Int32(HouseholdFlags.orderedAmazonThisMonth.rawValue)
        let record = Int32(Households.recordMask), groceryMonth = splat(Int32(Households.groceryMonthBit))
        let h = c.habit, n = c.stride
        for v in 0..<vectors {
            let k = v &* RandomLanes.width
            let count = counts[v]
            let t = trips + Option.count &* v
            let any = above(count, LaneInts())
            // A household with no trips keeps its habits: weight 0, keep 1.
            let weight = select(any, habitDecay * unit / floats(maximum(count, splat(1))), Lanes())
            let keep = select(any, splat(1 - habitDecay), splat(1))
            for o in 0..<Option.count {
                let column = h + o &* n
                C.store(fixedPoint(keep * floats(C.load(column, k)) + weight * floats(t[o])), column, k)
            }
            let orders = t[Option.amazon.rawValue]
            let walmartOrders = t[Option.walmartOnline.rawValue] &+ t[Option.walmartPickup.rawValue]
            let decay = floats(C.load(c.decay, k)) * FastExponential.exp(floats(orders) * perOrder)
            C.store(fixedPoint(decay), c.decay, k)
            let amazonNow = above(orders, LaneInts()), walmartNow = above(walmartOrders, LaneInts())
            let f = C.load(c.flags, k)
            C.store(f | (splat(ordered) & amazonNow), c.flags, k)
            // The 13-week records move on a week; bit 0 is this week.
            C.store(((C.load(c.amazonWeeks, k) &<< 1) | (LaneInts() &- amazonNow)) & record, c.amazonWeeks, k)
            // Its top bit, kept through the month, says groceries were bought online from Walmart.
            let w = C.load(c.walmartWeeks, k)
            C.store((((w &<< 1) | (LaneInts() &- walmartNow)) & record) | (w & groceryMonth) | (groceryMonth & walmartNow & grocery[v]),
                    c.walmartWeeks, k)

        }
        tallyBlock(c, vectors: vectors, context: ctx, tally: &tally)
    }

    /// Option o's trips and trips times basket over the block, by segment, and of them the grocery trips'.
    private func sums(_ o: Int, _ c: HouseholdLanes, _ vectors: Int, groceries: Bool) -> OptionSums {
        let all = sums(o, c, vectors, masks: segmentMasks)
        // The grocery part in a loop of its own, by the segment masks already
        // narrowed to grocery lanes: six sums a loop stay in registers.
        let part = groceries ? sums(o, c, vectors, masks: groceryMasks) : (trips: (LaneInts(), LaneInts(), LaneInts()), spend: (Lanes(), Lanes(), Lanes()))
        return OptionSums(trips: all.trips, spend: all.spend, groceryTrips: part.trips, grocerySpend: part.spend)
    }

    /// Option o's trips and dollars over the block in the lanes of each segment's masks.
    @inline(__always)
    private func sums(_ o: Int, _ c: HouseholdLanes, _ vectors: Int, masks: UnsafeMutablePointer<LaneMask>)
        -> (trips: (LaneInts, LaneInts, LaneInts), spend: (Lanes, Lanes, Lanes)) {
        var n0 = LaneInts(), n1 = LaneInts(), n2 = LaneInts(), s0 = Lanes(), s1 = Lanes(), s2 = Lanes()
        for v in 0..<vectors {
            let t = trips[Option.count &* v &+ o], m = masks + 3 &* v
            let dollars = floats(t) * HouseholdLanes.load(c.basket, v &* RandomLanes.width)
            n0 &+= t & m[0]
            n1 &+= t & m[1]
            n2 &+= t & m[2]
            s0 += keep(m[0], dollars)
            s1 += keep(m[1], dollars)
            s2 += keep(m[2], dollars)
        }
        return ((n0, n1, n2), (s0, s1, s2))
    }

    /// The block's tally by segment: an option at a time over the block, so
    /// that the six sums of an option stay in registers.
    private func tallyBlock(_ c: HouseholdLanes, vectors: Int, context ctx: ChoiceContext, tally: inout LaneTally) {
        typealias C = HouseholdLanes
        let masks = segmentMasks
        for v in 0..<vectors {
            let segment = C.load(c.segment, v &* RandomLanes.width)
            masks[3 &* v] = equal(segment, splat(0))
            masks[3 &* v &+ 1] = equal(segment, splat(1))
            masks[3 &* v &+ 2] = equal(segment, splat(2))
            for k in 0..<Segment.count { groceryMasks[3 &* v &+ k] = masks[3 &* v &+ k] & grocery[v] }
        }
        let groceries = ctx.grocery.enabled
        for o in Option.allCases {
            let x = sums(o.rawValue, c, vectors, groceries: groceries)
            tally.trips.0[o] = x.trips.0
            tally.trips.1[o] = x.trips.1
            tally.trips.2[o] = x.trips.2
            tally.spend.0[o] = x.spend.0
            tally.spend.1[o] = x.spend.1
            tally.spend.2[o] = x.spend.2
            tally.groceryTrips.0[o] = x.groceryTrips.0
            tally.groceryTrips.1[o] = x.groceryTrips.1
            tally.groceryTrips.2[o] = x.groceryTrips.2
            tally.grocerySpend.0[o] = x.grocerySpend.0
            tally.grocerySpend.1[o] = x.grocerySpend.1
            tally.grocerySpend.2[o] = x.grocerySpend.2
        }
        // Members' orders and spend, and hours waited.
        for v in 0..<vectors {
            let k = v &* RandomLanes.width
            let f = C.load(c.flags, k), t = trips + Option.count &* v
            let orders = t[Option.amazon.rawValue], delivered = t[Option.walmartOnline.rawValue]
            let pickedUp = t[Option.walmartPickup.rawValue]
            let isPrime = has(f, .prime)
            tally.primeOrders &+= orders & isPrime
            tally.primeSpend += select(isPrime, floats(orders) * C.load(c.basket, k), Lanes())
            let isPlus = has(f, .plus)
            tally.plusOrders &+= (delivered &+ pickedUp) & isPlus
            tally.plusSpend += select(isPlus, floats(delivered &+ pickedUp) * C.load(c.basket, k), Lanes())
            let waitA = ctx.hours.amazon(flags: f), waitWO = ctx.hours.walmartOnline(fromStore: fromStore[v], hub: ctx.storeWait(.delivery, c, k).hours)
            tally.waitA += floats(orders) * waitA
            tally.waitWO += floats(delivered) * waitWO
            tally.waitWP += floats(pickedUp) * ctx.storeWait(.pickup, c, k).hours
            // Groceries shipped: an order waiting a day or more (Brick Meets Click's ship-to-home).
            let basket = C.load(c.basket, k), day = splat(Float(24))
            tally.shippedA += keep(grocery[v] & atLeast(waitA, day), floats(orders) * basket)
            tally.shippedWO += keep(grocery[v] & atLeast(waitWO, day), floats(delivered) * basket)
            tally.storeDelivered += keep(fromStore[v], floats(delivered) * basket)
        }
        // Other sellers' shelf-stable grocery orders, which wait as their general merchandise does.
        guard ctx.grocery.shelfStable else { return }
        for v in 0..<vectors {
            let shelf = grocery[v] & ~fresh[v], others = trips[Option.count &* v &+ Option.otherOnline.rawValue] & shelf
            tally.shelfOO &+= others
            tally.shelfOOSpend += floats(others) * C.load(c.basket, v &* RandomLanes.width)
        }
    }
}
