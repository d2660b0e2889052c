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
}

/// Step 1 and 2 of a week (MODEL.md section 2) for one chunk: each shopper
/// draws its trips, chooses among the options by multinomial logit, and updates
/// its habits and order count. Reads only the shopper's own state and the
/// week's context, so chunks are independent.
func chooseWeek(shoppers s: Shoppers, range: Range<Int>, context ctx: ChoiceContext, habitDecay: Float,
                stream: RandomStream) -> ChunkTally {
    var tally = ChunkTally()
    // Small refills: what is left in the buffer when a chunk ends is wasted.
    let bufferSize = 512
    let uniforms = UnsafeMutableBufferPointer<Double>.allocate(capacity: bufferSize)
    defer { uniforms.deallocate() }
    stream.fillUniform(uniforms)
    var next = 0
    @inline(__always) func uniform() -> Double {
        if next == bufferSize {
            stream.fillUniform(uniforms)
            next = 0
        }
        let u = uniforms[next]
        next += 1
        return u
    }

    let n = s.count
    let habit = s.habit
    let keep = 1 - habitDecay
    let prices = ctx.prices
    var trips = (0, 0, 0, 0, 0)
    // Plain buffers, not arrays: no uniqueness or bounds checks in the loop.
    let cells = Segment.count * Option.count
    let revenue = UnsafeMutablePointer<Double>.allocate(capacity: cells)
    let counts = UnsafeMutablePointer<Int>.allocate(capacity: cells)
    revenue.initialize(repeating: 0, count: cells)
    counts.initialize(repeating: 0, count: cells)
    defer { revenue.deallocate(); counts.deallocate() }
    let price = (Double(prices.0), Double(prices.1), Double(prices.2), Double(prices.3), Double(prices.4))
    var waitA = 0.0, waitWO = 0.0
    var primeOrders = 0, primeSpend = 0.0
    let orderedBit = ShopperFlags.orderedAmazonThisMonth.rawValue, primeBit = ShopperFlags.prime.rawValue
    let orderDecay = ctx.orderDecay
    for i in range {
        let tripCount = poissonByInversion(mean: s.tripRate[i], zeroChance: s.noTripChance[i], uniform: uniform())
        if tripCount == 0 { continue }
        let v = ctx.utilities(of: i, in: s)
        let m = max(max(max(v.a, v.ws), max(v.wo, v.os)), v.oo)
        let c0 = exp(v.a - m)
        let c1 = c0 + exp(v.ws - m)
        let c2 = c1 + exp(v.wo - m)
        let c3 = c2 + exp(v.os - m)
        let total = c3 + exp(v.oo - m)
        trips = (0, 0, 0, 0, 0)
        for _ in 0..<tripCount {
            // Inverse CDF without branches: the choices are unpredictable, so a
            // chain of ifs would mispredict on most trips.
            let t = Float(uniform()) * total
            let g0 = t >= c0 ? 1 : 0, g1 = t >= c1 ? 1 : 0, g2 = t >= c2 ? 1 : 0, g3 = t >= c3 ? 1 : 0
            trips.0 += 1 - g0
            trips.1 += g0 - g1
            trips.2 += g1 - g2
            trips.3 += g2 - g3
            trips.4 += g3
        }
        // Habit: exponentially weighted share of the shopper's trips.
        let weight = habitDecay / Float(tripCount)
        habit[i] = keep * habit[i] + weight * Float(trips.0)
        habit[n + i] = keep * habit[n + i] + weight * Float(trips.1)
        habit[2 * n + i] = keep * habit[2 * n + i] + weight * Float(trips.2)
        habit[3 * n + i] = keep * habit[3 * n + i] + weight * Float(trips.3)
        habit[4 * n + i] = keep * habit[4 * n + i] + weight * Float(trips.4)
        let basket = Double(s.basket[i])
        if trips.0 > 0 {
            s.amazonOrderDecay[i] *= trips.0 < orderDecay.count ? orderDecay[trips.0] : exp(-Float(trips.0) / ctx.ordersScale)
            let f = s.flags[i]
            s.flags[i] = f | orderedBit
            let member = f & primeBit != 0 ? 1 : 0
            primeOrders += member * trips.0
            primeSpend += Double(member * trips.0) * basket * price.0
        }

        let base = Int(s.segment[i]) * Option.count
        counts[base] += trips.0
        counts[base + 1] += trips.1
        counts[base + 2] += trips.2
        counts[base + 3] += trips.3
        counts[base + 4] += trips.4
        revenue[base] += Double(trips.0) * basket * price.0
        revenue[base + 1] += Double(trips.1) * basket * price.1
        revenue[base + 2] += Double(trips.2) * basket * price.2
        revenue[base + 3] += Double(trips.3) * basket * price.3
        revenue[base + 4] += Double(trips.4) * basket * price.4
        if trips.0 + trips.2 > 0 {
            let f = s.flags[i]
            waitA += Double(trips.0) * Double(ctx.amazonWaitHours(flags: f, prime: f & ShopperFlags.prime.rawValue != 0))
            waitWO += Double(trips.2) * Double(ctx.walmartOnlineWaitHours(flags: f))
        }
    }
    tally.trips = Array(UnsafeBufferPointer(start: counts, count: cells))
    tally.revenue = Array(UnsafeBufferPointer(start: revenue, count: cells))
    tally.waitHours[Option.amazon.rawValue] = waitA
    tally.waitHours[Option.walmartOnline.rawValue] = waitWO
    tally.primeOrders = primeOrders
    tally.primeSpend = primeSpend
    return tally
}
