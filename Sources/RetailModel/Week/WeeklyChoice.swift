import Foundation
import RetailStats

/// What one chunk of shoppers did in one week.
struct ChunkTally: Sendable {
    var trips = [Int](repeating: 0, count: Segment.count * Option.count)
    var revenue = [Double](repeating: 0, count: Segment.count * Option.count)
    /// Hours waited, summed over the orders of each option (0 for stores).
    var waitHours = [Double](repeating: 0, count: Option.count)
    /// Amazon-like orders and spend of Prime-like members, dollars.
    var primeOrders = 0
    var primeSpend = 0.0
    /// Walmart-like online orders of Walmart+-like members.
    var plusOrders = 0
}

/// Step 1 and 2 of a week (docs/MODEL.md section 2) for one chunk: each shopper
/// draws its trips, chooses among the options by multinomial logit, and updates
/// its habits and order count. Reads only the shopper's own state and the
/// week's context, so chunks are independent.
///
/// Block by block of `UtilityBlock.capacity` shoppers, each stage a loop over
/// the block that the compiler vectorises (no calls, selects for branches):
/// utilities, choice weights, trip counts, the first `vectorTrips` trips'
/// choices, habits and order counts. Only the rare longer weeks and the tally
/// by segment are scalar, and the tally has no branches.
func chooseWeek(shoppers s: Shoppers, range: Range<Int>, context ctx: ChoiceContext, habitDecay: Float,
                stream: RandomStream) -> ChunkTally {
    let block = WeekBlock()
    defer { block.deallocate() }
    // Plain buffers, not arrays: no uniqueness or bounds checks in the loop.
    let cells = Segment.count * Option.count
    let revenue = UnsafeMutablePointer<Double>.allocate(capacity: cells)
    let counts = UnsafeMutablePointer<Int>.allocate(capacity: cells)
    revenue.initialize(repeating: 0, count: cells)
    counts.initialize(repeating: 0, count: cells)
    defer { revenue.deallocate(); counts.deallocate() }
    var waitA = 0.0, waitWO = 0.0
    var primeOrders = 0, primeSpend = 0.0, plusOrders = 0

    var first = range.lowerBound
    while first < range.upperBound {
        let size = min(UtilityBlock.capacity, range.upperBound - first)
        block.utilities.fill(first: first, count: size, shoppers: s, context: ctx)
        block.countTrips(first: first, size: size, shoppers: s, stream: stream)
        block.chooseTrips(size: size, stream: stream)
        block.updateShoppers(first: first, size: size, shoppers: s, context: ctx, habitDecay: habitDecay)

        // The week's tally, by segment: scalar, but without branches.
        let segment = s.segment.baseAddress! + first, basket = s.basket.baseAddress! + first
        let flags = s.flags.baseAddress! + first
        let t = block.trips
        let price = ctx.prices
        let priceA = Double(price.0), priceW = Double(price.1), priceO = Double(price.3)
        let primeBit = ShopperFlags.prime.rawValue, plusBit = ShopperFlags.plus.rawValue
        let capacity = UtilityBlock.capacity
        for k in 0..<size {
            let base = Int(segment[k]) &* Option.count
            let a = Int(t[k]), ws = Int(t[capacity + k]), wo = Int(t[2 * capacity + k])
            let os = Int(t[3 * capacity + k]), oo = Int(t[4 * capacity + k])
            counts[base] &+= a
            counts[base + 1] &+= ws
            counts[base + 2] &+= wo
            counts[base + 3] &+= os
            counts[base + 4] &+= oo
            let spend = Double(basket[k])
            revenue[base] += Double(a) * spend * priceA
            revenue[base + 1] += Double(ws) * spend * priceW
            revenue[base + 2] += Double(wo) * spend * priceW
            revenue[base + 3] += Double(os) * spend * priceO
            revenue[base + 4] += Double(oo) * spend * priceO
            let f = flags[k]
            let member = f & primeBit != 0 ? a : 0
            primeOrders &+= member
            primeSpend += Double(member) * spend * priceA
            plusOrders &+= f & plusBit != 0 ? wo : 0
            waitA += Double(a) * Double(ctx.amazonWaitHours(flags: f))
            waitWO += Double(wo) * Double(ctx.walmartOnlineWaitHours(flags: f))
        }
        first += size
    }
    var tally = ChunkTally()
    tally.trips = Array(UnsafeBufferPointer(start: counts, count: cells))
    tally.revenue = Array(UnsafeBufferPointer(start: revenue, count: cells))
    tally.waitHours[Option.amazon.rawValue] = waitA
    tally.waitHours[Option.walmartOnline.rawValue] = waitWO
    tally.primeOrders = primeOrders
    tally.primeSpend = primeSpend
    tally.plusOrders = plusOrders
    return tally
}

/// Scratch for one block of shoppers in the weekly choice.
private struct WeekBlock {
    /// Trips a week whose choices are drawn in the vectorised stage; a shopper
    /// with more (under 3 % at the baseline) has the rest drawn one by one.
    static let vectorTrips = 4

    let utilities = UtilityBlock()
    /// Per shopper: the uniform that sets its trip count.
    let countUniforms: UnsafeMutablePointer<Double>
    /// `vectorTrips` uniforms per shopper for the trips' choices, trip-major.
    let choiceUniforms: UnsafeMutablePointer<Double>
    /// Trips this week.
    let tripCount: UnsafeMutablePointer<Int32>
    /// Trips by option, `trips[option * capacity + k]`.
    let trips: UnsafeMutablePointer<Int32>
    /// Where the branch-free part of the Poisson inversion stopped: the last
    /// probability and the cumulative one, for the rare longer weeks.
    let lastProbability: UnsafeMutablePointer<Float>
    let lastCumulative: UnsafeMutablePointer<Float>

    init() {
        let capacity = UtilityBlock.capacity
        countUniforms = .allocate(capacity: capacity)
        choiceUniforms = .allocate(capacity: WeekBlock.vectorTrips * capacity)
        tripCount = .allocate(capacity: capacity)
        trips = .allocate(capacity: Option.count * capacity)
        lastProbability = .allocate(capacity: capacity)
        lastCumulative = .allocate(capacity: capacity)
    }

    func deallocate() {
        utilities.deallocate()
        countUniforms.deallocate()
        choiceUniforms.deallocate()
        tripCount.deallocate()
        trips.deallocate()
        lastProbability.deallocate()
        lastCumulative.deallocate()
    }

    /// Turns the block's utilities into cumulative choice weights (in place: the
    /// amazon column holds the first weight, ..., the other-online column the
    /// total) and draws each shopper's trips by inverting the Poisson CDF:
    /// the count is how many of F(0), F(1), ... the uniform passes, found
    /// without branches up to 7 trips and carried on one by one beyond.
    func countTrips(first: Int, size: Int, shoppers s: Shoppers, stream: RandomStream) {
        let u = utilities
        let vA = u.column(.amazon), vWS = u.column(.walmartStore), vWO = u.column(.walmartOnline)
        let vOS = u.column(.otherStore), vOO = u.column(.otherOnline)
        let rate = s.tripRate.baseAddress! + first
        stream.fillUniform(UnsafeMutableBufferPointer(start: countUniforms, count: size))
        let draws = countUniforms, counts = tripCount, lastP = lastProbability, lastF = lastCumulative
        for k in 0..<size {
            let m = max(max(max(vA[k], vWS[k]), max(vWO[k], vOS[k])), vOO[k])
            let c0 = FastExponential.exp(vA[k] - m)
            let c1 = c0 + FastExponential.exp(vWS[k] - m)
            let c2 = c1 + FastExponential.exp(vWO[k] - m)
            let c3 = c2 + FastExponential.exp(vOS[k] - m)
            vOO[k] = c3 + FastExponential.exp(vOO[k] - m)
            vA[k] = c0
            vWS[k] = c1
            vWO[k] = c2
            vOS[k] = c3
            let mean = rate[k], x = Float(draws[k])
            var p = FastExponential.exp(-mean), cumulative = p
            var count: Int32 = x >= cumulative ? 1 : 0
            // Unrolled, with 1/j as constants, so that the loop vectorises.
            p *= mean; cumulative += p; count &+= x >= cumulative ? 1 : 0
            p *= mean * (1 / 2); cumulative += p; count &+= x >= cumulative ? 1 : 0
            p *= mean * (1 / 3); cumulative += p; count &+= x >= cumulative ? 1 : 0
            p *= mean * (1 / 4); cumulative += p; count &+= x >= cumulative ? 1 : 0
            p *= mean * (1 / 5); cumulative += p; count &+= x >= cumulative ? 1 : 0
            p *= mean * (1 / 6); cumulative += p; count &+= x >= cumulative ? 1 : 0
            p *= mean * (1 / 7); cumulative += p; count &+= x >= cumulative ? 1 : 0
            counts[k] = count
            lastP[k] = p
            lastF[k] = cumulative
        }
        for k in 0..<size where counts[k] == 8 {
            let mean = rate[k], x = Float(draws[k])
            var p = lastP[k], cumulative = lastF[k], count = 8
            while count < 10_000 && p > 0 {
                p *= mean / Float(count)
                cumulative += p
                if x < cumulative { break }
                count += 1
            }
            counts[k] = Int32(count)
        }
    }

    /// Each trip's option by inverting the choice CDF: the first `vectorTrips`
    /// trips of every shopper in one vectorised pass (a trip beyond a
    /// shopper's count counts for nothing), the rest one by one.
    func chooseTrips(size: Int, stream: RandomStream) {
        let capacity = UtilityBlock.capacity
        let u = utilities
        let c0 = u.column(.amazon), c1 = u.column(.walmartStore), c2 = u.column(.walmartOnline)
        let c3 = u.column(.otherStore), total = u.column(.otherOnline)
        let tA = trips, tWS = trips + capacity, tWO = trips + 2 * capacity, tOS = trips + 3 * capacity
        let tOO = trips + 4 * capacity
        let counts = tripCount, draws = choiceUniforms
        stream.fillUniform(UnsafeMutableBufferPointer(start: draws, count: WeekBlock.vectorTrips * size))
        for k in 0..<size {
            tA[k] = 0
            tWS[k] = 0
            tWO[k] = 0
            tOS[k] = 0
            tOO[k] = 0
        }
        for trip in 0..<WeekBlock.vectorTrips {
            let d = draws + trip &* size, ordinal = Int32(trip)
            for k in 0..<size {
                let on: Int32 = counts[k] > ordinal ? 1 : 0
                let t = Float(d[k]) * total[k]
                let g0: Int32 = t >= c0[k] ? 1 : 0, g1: Int32 = t >= c1[k] ? 1 : 0
                let g2: Int32 = t >= c2[k] ? 1 : 0, g3: Int32 = t >= c3[k] ? 1 : 0
                tA[k] &+= on & (1 &- g0)
                tWS[k] &+= on & (g0 &- g1)
                tWO[k] &+= on & (g1 &- g2)
                tOS[k] &+= on & (g2 &- g3)
                tOO[k] &+= on & g3
            }
        }
        for k in 0..<size where counts[k] > Int32(WeekBlock.vectorTrips) {
            for _ in WeekBlock.vectorTrips..<Int(counts[k]) {
                let t = Float(stream.uniform()) * total[k]
                let option = (t >= c0[k] ? 1 : 0) + (t >= c1[k] ? 1 : 0) + (t >= c2[k] ? 1 : 0) + (t >= c3[k] ? 1 : 0)
                trips[option * capacity + k] += 1
            }
        }
    }

    /// Habits (an exponentially weighted share of each week's trips, kept in
    /// fixed point and rounded to the nearest step), the order decay and the
    /// month's order flag, for the shoppers that made trips.
    func updateShoppers(first: Int, size: Int, shoppers s: Shoppers, context ctx: ChoiceContext, habitDecay: Float) {
        let capacity = UtilityBlock.capacity, n = s.count
        let counts = tripCount
        let weight = UnsafeMutablePointer<Float>(mutating: lastProbability), keep = lastCumulative
        let unit = Shoppers.unit
        for k in 0..<size {
            let any = counts[k] > 0
            // A shopper with no trips keeps its habits: weight 0, keep 1.
            weight[k] = any ? habitDecay * unit / Float(max(counts[k], 1)) : 0
            keep[k] = any ? 1 - habitDecay : 1
        }
        for o in 0..<Option.count {
            let habit = s.habit.baseAddress! + (o &* n &+ first), t = trips + o &* capacity
            for k in 0..<size {
                habit[k] = fixedPoint(keep[k] * Float(habit[k]) + weight[k] * Float(t[k]))
            }
        }
        let decay = s.amazonOrderDecay.baseAddress! + first, flags = s.flags.baseAddress! + first
        let perOrder = -1 / ctx.ordersScale
        let ordered = ShopperFlags.orderedAmazonThisMonth.rawValue
        let tA = trips, tWO = trips + 2 * capacity
        let amazonWeeks = s.amazonWeeks.baseAddress! + first, walmartWeeks = s.walmartOnlineWeeks.baseAddress! + first
        let record = Shoppers.recordMask
        for k in 0..<size {
            let orders = tA[k]
            decay[k] = fixedPoint(Float(decay[k]) * FastExponential.exp(Float(orders) * perOrder))
            flags[k] |= orders > 0 ? ordered : 0
            // The 13-week records move on a week; bit 0 is this week.
            amazonWeeks[k] = ((amazonWeeks[k] &<< 1) | (orders > 0 ? 1 : 0)) & record
            walmartWeeks[k] = ((walmartWeeks[k] &<< 1) | (tWO[k] > 0 ? 1 : 0)) & record
        }
    }
}

/// The nearest fixed-point step to x in [0, 65535]: adding 2^23 leaves the
/// rounded integer in the low bits of the sum (no checked conversion, so the
/// loops that use it vectorise).
@inline(__always)
private func fixedPoint(_ x: Float) -> UInt16 {
    UInt16(truncatingIfNeeded: (min(max(x, 0), Shoppers.unit) + 8_388_608).bitPattern)
}
