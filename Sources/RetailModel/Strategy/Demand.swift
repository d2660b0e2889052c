import Foundation
import RetailStats

/// Each retailer's demand at given prices and the shoppers' current state,
/// summed over every shopper in one pass (docs/MODEL.md section 7): what the
/// profit-seeking price rules, the Lerner diagnostic and the welfare measure
/// read. Sums run chunk by chunk and are added in chunk order, so they do not
/// depend on the number of threads.
///
/// With T_i trips a week, basket b_i, price weight beta_i and P_ir the logit
/// probability of retailer r's options (A; WS + WO):
/// - quantity Q_r = sum T_i b_i P_ir, dollars a week at price index 1 (revenue is p_r Q_r);
/// - slope S_r = -dQ_r/dp_r = sum T_i beta_i b_i^2 P_ir (1 - P_ir);
/// - memberSlope dN_r/dp_r: how the steady-state members of r's programme
///   change with p_r, through the value of membership (section 6);
/// - welfare: sum T_i / beta_i ln sum_j exp V_ij plus each member's benefit
///   beyond delivery less its fee, dollars a week (McFadden's consumer
///   surplus up to a constant).
public struct Demand: Sendable, Equatable {
    public var quantity = [0.0, 0.0]
    public var slope = [0.0, 0.0]
    public var memberSlope = [0.0, 0.0]
    public var members = [0.0, 0.0]
    public var welfare = 0.0

    public init() {}


    static func + (a: Demand, b: Demand) -> Demand {
        var c = a
        for k in 0..<2 {
            c.quantity[k] += b.quantity[k]
            c.slope[k] += b.slope[k]
            c.memberSlope[k] += b.memberSlope[k]
            c.members[k] += b.members[k]
        }
        c.welfare += b.welfare
        return c
    }

    /// The price that maximises r's weekly profit (p - c) Q + F N / 4 with Q, S
    /// and dN/dp as they are now: p = c + (Q + F/4 dN/dp) / S, the logit
    /// first-order condition (at a fixed point of it, the Bertrand best response).
    public func responsePrice(_ r: RetailerID, cost: Double, monthlyFee: Double) -> Double {
        let s = slope[r.rawValue]
        guard s > 0 else { return cost }
        return cost + max(0, quantity[r.rawValue] + monthlyFee / 4 * memberSlope[r.rawValue]) / s
    }

    /// Measures demand with the Amazon-like and Walmart-like price indices set to
    /// `prices`, everything else as `context` has it.
    static func measure(shoppers s: Shoppers, context: ChoiceContext, prices: (amazon: Double, walmart: Double),
                        hazards: [MembershipHazards], benefits: [Float], localShare: [Double],
                        chunks: Int, threads: Int) -> Demand {
        precondition(benefits.count == Programme.count * 256)
        var ctx = context
        ctx.amazonPrice = Float(prices.amazon)
        ctx.walmartPrice = Float(prices.walmart)
        let c = ctx
        let parts = Parallel.map(chunks, threads: threads) { k in
            measureChunk(shoppers: s, range: Parallel.range(ofChunk: k, shoppers: s.count), context: c,
                         hazards: hazards, benefits: benefits, localShare: localShare)
        }
        return parts.reduce(Demand(), +)
    }

    /// Per-shopper terms of one block, written by vectorised loops and summed
    /// in shopper order afterwards (a summing loop does not vectorise, the
    /// exponentials and logarithms do).
    private struct Scratch {
        static let columns = 11
        let terms = UnsafeMutablePointer<Float>.allocate(capacity: Scratch.columns * UtilityBlock.capacity)
        func column(_ k: Int) -> UnsafeMutablePointer<Float> { terms + k * UtilityBlock.capacity }
        func deallocate() { terms.deallocate() }
    }

    private static func measureChunk(shoppers s: Shoppers, range: Range<Int>, context ctx: ChoiceContext,
                                     hazards: [MembershipHazards], benefits: [Float], localShare: [Double]) -> Demand {
        let own = UtilityBlock(), flipped = UtilityBlock(), scratch = Scratch()
        defer { own.deallocate(); flipped.deallocate(); scratch.deallocate() }
        var d = Demand()
        let n = s.count
        let primeBit = ShopperFlags.prime.rawValue, plusBit = ShopperFlags.plus.rawValue
        let prime = SlopeHazards(hazards[0]), plus = SlopeHazards(hazards[1])
        let qA = scratch.column(0), qW = scratch.column(1), sA = scratch.column(2), sW = scratch.column(3)
        let welfare = scratch.column(4), nA = scratch.column(5), nW = scratch.column(6), shares = scratch.column(7)
        let plusShares = scratch.column(8), primeBenefit = scratch.column(9), plusBenefit = scratch.column(10)
        let table = UnsafeMutablePointer<Float>.allocate(capacity: benefits.count)
        let localShares = UnsafeMutablePointer<Float>.allocate(capacity: localShare.count)
        defer { table.deallocate(); localShares.deallocate() }
        for k in benefits.indices { table[k] = benefits[k] }
        for k in localShare.indices { localShares[k] = Float(localShare[k]) }
        let vA = own.column(.amazon), vWS = own.column(.walmartStore), vWO = own.column(.walmartOnline)
        let vOS = own.column(.otherStore), vOO = own.column(.otherOnline)
        let aOther = flipped.column(.amazon), woOther = flipped.column(.walmartOnline)
        var first = range.lowerBound
        while first < range.upperBound {
            let size = min(UtilityBlock.capacity, range.upperBound - first)
            own.fill(first: first, count: size, shoppers: s, context: ctx)
            flipped.fill(first: first, count: size, shoppers: s, context: ctx, flipped: true)
            let rate = s.tripRate.baseAddress! + first, basket = s.basket.baseAddress! + first
            let bPrice = s.bPrice.baseAddress! + first, flags = s.flags.baseAddress! + first
            let primeRank = s.benefitRank.baseAddress! + first, plusRank = s.benefitRank.baseAddress! + (n &+ first)
            let community = s.community.baseAddress! + first
            // Gathers first (local shares, benefits), so that the main loop is arithmetic only.
            for k in 0..<size {
                let c = Int(community[k]) &* Programme.count
                shares[k] = localShares[c]
                plusShares[k] = localShares[c &+ 1]
                primeBenefit[k] = table[Int(primeRank[k])]
                plusBenefit[k] = table[256 &+ Int(plusRank[k])]
            }
            for k in 0..<size {
                let t = rate[k], b = basket[k], beta = bPrice[k], f = flags[k]
                let m = max(max(max(vA[k], vWS[k]), max(vWO[k], vOS[k])), max(vOO[k], max(aOther[k], woOther[k])))
                let eA = FastExponential.exp(vA[k] - m), eWS = FastExponential.exp(vWS[k] - m)
                let eWO = FastExponential.exp(vWO[k] - m)
                let total = eA + eWS + eWO + FastExponential.exp(vOS[k] - m) + FastExponential.exp(vOO[k] - m)
                let pA = eA / total, pW = (eWS + eWO) / total
                qA[k] = t * b * pA
                qW[k] = t * b * pW
                sA[k] = t * beta * b * b * pA * (1 - pA)
                sW[k] = t * beta * b * b * pW * (1 - pW)
                let isPrime = f & primeBit != 0, isPlus = f & plusBit != 0
                let logTotal = FastExponential.log(total)
                // A member pays the fee and enjoys the benefit beyond delivery (4-week months).
                welfare[k] = t / beta * (m + logTotal) + (isPrime ? (primeBenefit[k] - prime.fee) / 4 : 0)
                    + (isPlus ? (plusBenefit[k] - plus.fee) / 4 : 0)
                // The other side of each membership: only the programme's own option changes.
                let eAOther = FastExponential.exp(aOther[k] - m), eWOOther = FastExponential.exp(woOther[k] - m)
                let totalA = total - eA + eAOther, totalWO = total - eWO + eWOOther
                let scale = 4 * t / beta
                let gainA = FastExponential.log(totalA) - logTotal, gainW = FastExponential.log(totalWO) - logTotal
                let valueA = scale * (isPrime ? -gainA : gainA) + primeBenefit[k]
                let valueW = scale * (isPlus ? -gainW : gainW) + plusBenefit[k]
                // d value / d p: the log-sum falls by beta b P_r in each state.
                let pAOther = eAOther / totalA, pWOther = (eWS + eWOOther) / totalWO
                let dA = -4 * t * b * (isPrime ? pA - pAOther : pAOther - pA)
                let dW = -4 * t * b * (isPlus ? pW - pWOther : pWOther - pW)
                nA[k] = prime.slope(value: valueA, localShare: shares[k]) * dA
                nW[k] = plus.slope(value: valueW, localShare: plusShares[k]) * dW
                shares[k] = (isPrime ? 1 : 0) + (isPlus ? 2 : 0)
            }
            for k in 0..<size {
                d.quantity[0] += Double(qA[k])
                d.quantity[1] += Double(qW[k])
                d.slope[0] += Double(sA[k])
                d.slope[1] += Double(sW[k])
                d.welfare += Double(welfare[k])
                d.memberSlope[0] += Double(nA[k])
                d.memberSlope[1] += Double(nW[k])
                let member = Int(shares[k])
                d.members[0] += Double(member & 1)
                d.members[1] += Double(member >> 1)
            }
            first += size
        }
        return d
    }
}

/// d/dv of the long-run chance of membership, join / (join + leave), at a
/// monthly value of v dollars (later-year churn), in single precision:
/// join = 1 - exp(-a), a = p + q s + theta max(0, v - F) / F, and
/// leave = 1 - exp(-b), b = c + phi max(0, F - v) / F.
private struct SlopeHazards {
    let innovation: Float, imitation: Float, joinPerDollar: Float, churn: Float, leavePerDollar: Float, fee: Float

    init(_ h: MembershipHazards) {
        innovation = Float(h.innovation)
        imitation = Float(h.imitation)
        joinPerDollar = h.fee > 0 ? Float(h.valueWeight / h.fee) : 0
        churn = Float(h.churn)
        leavePerDollar = h.fee > 0 ? Float(h.churnValueWeight / h.fee) : 0
        fee = Float(h.fee)
    }

    @inline(__always)
    func slope(value v: Float, localShare s: Float) -> Float {
        let above = v > fee
        let ea = FastExponential.exp(-(innovation + imitation * s + joinPerDollar * max(0, v - fee)))
        let eb = FastExponential.exp(-(churn + leavePerDollar * max(0, fee - v)))
        let join = 1 - ea, leave = 1 - eb
        let dJoin: Float = above ? ea * joinPerDollar : 0
        let dLeave: Float = above ? 0 : -eb * leavePerDollar
        let sum = join + leave
        return sum > 0 ? (dJoin * leave - join * dLeave) / (sum * sum) : 0
    }
}
