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
                        hazards: [MembershipHazards], tables: MembershipTables, chunks: Int, threads: Int) -> Demand {
        var ctx = context
        ctx.amazonPrice = Float(prices.amazon)
        ctx.walmartPrice = Float(prices.walmart)
        let c = ctx
        let parts = Parallel.map(chunks, threads: threads) { k in
            measureChunk(shoppers: s, range: Parallel.range(ofChunk: k, shoppers: s.count), context: c, hazards: hazards, tables: tables)
        }
        return parts.reduce(Demand(), +)
    }

    /// One chunk's sums, eight shoppers a vector in double-precision lanes,
    /// then over the lanes in lane order.
    private static func measureChunk(shoppers s: Shoppers, range: Range<Int>, context ctx: ChoiceContext,
                                     hazards: [MembershipHazards], tables: MembershipTables) -> Demand {
        let prime = SlopeHazards(hazards[0]), plus = SlopeHazards(hazards[1])
        var sums = DemandLanes()
        // A chunk's last shoppers short of a vector are a padded copy whose padding counts for nothing.
        forEachVector(of: s, in: range) { c, k, live in
            sums.add(c, k, context: ctx, prime: prime, plus: plus, tables: tables, live: live)
        }
        return sums.demand
    }
}

/// A chunk's demand sums, lane by lane in double precision.
private struct DemandLanes {
    var quantityA = WideLanes(), quantityW = WideLanes(), slopeA = WideLanes(), slopeW = WideLanes()
    var memberSlopeA = WideLanes(), memberSlopeW = WideLanes(), welfare = WideLanes()
    var primeMembers = LaneInts(), plusMembers = LaneInts()

    /// Adds shoppers k ..< k + 8 of `c`, those of them in `live`.
    @inline(__always)
    mutating func add(_ c: ShopperColumns, _ k: Int, context ctx: ChoiceContext, prime: SlopeHazards, plus: SlopeHazards,
                      tables: MembershipTables, live: LaneMask) {
        typealias C = ShopperColumns
        let f = C.load(c.flags, k)
        let both = Int32(ShopperFlags.prime.rawValue | ShopperFlags.plus.rawValue)
        let own = ctx.laneUtilities(c, k, flags: f), other = ctx.laneUtilities(c, k, flags: f ^ splat(both))
        let t = C.load(c.tripRate, k), b = C.load(c.basket, k), beta = C.load(c.bPrice, k)
        let m = maximum(maximum(maximum(own.a, own.ws), maximum(own.wo, own.os)), maximum(own.oo, maximum(other.a, other.wo)))
        let eA = FastExponential.exp(own.a - m), eWS = FastExponential.exp(own.ws - m), eWO = FastExponential.exp(own.wo - m)
        let total = eA + eWS + eWO + FastExponential.exp(own.os - m) + FastExponential.exp(own.oo - m)
        let pA = eA / total, pW = (eWS + eWO) / total
        let isPrime = has(f, .prime), isPlus = has(f, .plus)
        let logTotal = FastExponential.log(total)
        let g = memberTables(c, k, tables)
        let zero = Lanes()
        // A member pays the fee and enjoys the benefit beyond delivery (4-week months).
        let shopperWelfare = t / beta * (m + logTotal) + select(isPrime, (g.primeBenefit - prime.fee) / 4, zero)
            + select(isPlus, (g.plusBenefit - plus.fee) / 4, zero)
        // The other side of each membership: only the programme's own option changes.
        let eAOther = FastExponential.exp(other.a - m), eWOOther = FastExponential.exp(other.wo - m)
        let totalA = total - eA + eAOther, totalWO = total - eWO + eWOOther
        let scale = 4 * t / beta
        let gainA = FastExponential.log(totalA) - logTotal, gainW = FastExponential.log(totalWO) - logTotal
        let valueA = scale * select(isPrime, -gainA, gainA) + g.primeBenefit
        let valueW = scale * select(isPlus, -gainW, gainW) + g.plusBenefit
        // d value / d p: the log-sum falls by beta b P_r in each state.
        let pAOther = eAOther / totalA, pWOther = (eWS + eWOOther) / totalWO
        let dA = -4 * t * b * select(isPrime, pA - pAOther, pAOther - pA)
        let dW = -4 * t * b * select(isPlus, pW - pWOther, pWOther - pW)
        func add(_ sum: inout WideLanes, _ x: Lanes) { sum += widen(select(live, x, zero)) }
        add(&quantityA, t * b * pA)
        add(&quantityW, t * b * pW)
        add(&slopeA, t * beta * b * b * pA * (1 - pA))
        add(&slopeW, t * beta * b * b * pW * (1 - pW))
        add(&welfare, shopperWelfare)
        add(&memberSlopeA, prime.slope(value: valueA, localShare: g.primeShare) * dA)
        add(&memberSlopeW, plus.slope(value: valueW, localShare: g.plusShare) * dW)
        primeMembers &-= isPrime & live
        plusMembers &-= isPlus & live
    }

    var demand: Demand {
        func total(_ v: WideLanes) -> Double { (0..<RandomLanes.width).reduce(0.0) { $0 + v[$1] } }
        var d = Demand()
        d.quantity = [total(quantityA), total(quantityW)]
        d.slope = [total(slopeA), total(slopeW)]
        d.memberSlope = [total(memberSlopeA), total(memberSlopeW)]
        d.members = [Double(primeMembers.wrappedSum()), Double(plusMembers.wrappedSum())]
        d.welfare = total(welfare)
        return d
    }
}

/// d/dv of the long-run chance of membership, join / (join + leave), at a
/// monthly value of v dollars (later-year churn), in single precision:
/// join = 1 - exp(-a), a = p + q s + theta max(0, v - F) / F, and
/// leave = 1 - exp(-b), b = c + phi max(0, F - v) / F.
struct SlopeHazards {
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
    func slope(value v: Lanes, localShare s: Lanes) -> Lanes {
        let zero = Lanes()
        let above = below(splat(fee), v)
        let ea = FastExponential.exp(-(innovation + imitation * s + joinPerDollar * maximum(zero, v - fee)))
        let eb = FastExponential.exp(-(churn + leavePerDollar * maximum(zero, fee - v)))
        let join = 1 - ea, leave = 1 - eb
        let dJoin = select(above, ea * joinPerDollar, zero)
        let dLeave = select(above, zero, -eb * leavePerDollar)
        let sum = join + leave
        return select(below(zero, sum), (dJoin * leave - join * dLeave) / (sum * sum), zero)
    }
}
