import Foundation
import RetailStats

/// Each retailer's demand at given prices and the households' current state,
/// summed over every household in one pass (docs/MODEL.md section 7): what the
/// profit-seeking price rules, the Lerner diagnostic and the welfare measure
/// read. Sums run chunk by chunk and are added in chunk order, so they do not
/// depend on the number of threads.
///
/// With T_i trips a week, basket b_i, price weight beta_i and P_ir the nested
/// logit probability of retailer r's options (A; WS + WO):
/// - quantity Q_r = sum T_i b_i P_ir, dollars a week at price index 1 (revenue is p_r Q_r);
/// - slope S_r = -dQ_r/dp_r = sum T_i beta_i b_i^2 P_ir (1 - P_ir) for the
///   plain logit; for Walmart's nest (all its options move with p_W, the
///   store's at w = `choice.storePriceWeight` times the others')
///   (P_iW - (1 - w) P_iWS) (1 - P_iW), since dP_W/dV_j = P_j (1 - P_W);
///   for A in its nest of lambda L, P_iA (1/L - (1/L - 1) P_i(A | nest) - P_iA);
/// - memberSlope dN_r/dp_r: how the steady-state members of r's programme
///   change with p_r, through the value of membership (section 6);
/// - welfare: sum T_i / beta_i ln sum_j exp V_ij plus each member's benefit
///   beyond delivery less its fee, dollars a week (McFadden's consumer
///   surplus up to a constant).
public struct Demand: Sendable, Equatable {
    public var quantity = [0.0, 0.0]
    package var slope = [0.0, 0.0]
    var memberSlope = [0.0, 0.0]
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
    public func responsePrice(_ r: RetailerID, cost: Double, monthlyFee: Double, weeksPerMonth: Double) -> Double {
        let s = slope[r.rawValue]
        guard s > 0 else { return cost }
        return cost + max(0, quantity[r.rawValue] + monthlyFee / weeksPerMonth * memberSlope[r.rawValue]) / s
    }

    /// Measures demand with the Amazon-like and Walmart-like price indices set to
    /// `prices`, everything else as `context` has it.
    static func measure(shoppers s: Households, context: ChoiceContext, prices: (amazon: Double, walmart: Double),
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

    /// One chunk's sums, eight households a vector in double-precision lanes,
    /// then over the lanes in lane order.
    private static func measureChunk(shoppers s: Households, range: Range<Int>, context ctx: ChoiceContext,
                                     hazards: [MembershipHazards], tables: MembershipTables) -> Demand {
        let prime = ProgrammeHazards(hazards[Programme.prime.rawValue]), plus = ProgrammeHazards(hazards[Programme.plus.rawValue])
        var sums = DemandLanes()
        // A chunk's last households short of a vector are a padded copy whose padding counts for nothing.
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

    /// Adds households k ..< k + 8 of `c`, those of them in `live`.
    @inline(__always)
    mutating func add(_ c: HouseholdLanes, _ k: Int, context ctx: ChoiceContext, prime: ProgrammeHazards, plus: ProgrammeHazards,
                      tables: MembershipTables, live: LaneMask) {
        typealias C = HouseholdLanes
        let f = C.load(c.flags, k)
        let t = C.load(c.tripRate, k), b = C.load(c.basket, k), beta = C.load(c.bPrice, k)
        let isPrime = has(f, .prime), isPlus = has(f, .plus)
        let g = memberTables(c, k, tables)
        let zero = Lanes()
        let weeksPerMonth = ctx.weeksPerMonth
        let storeLess = 1 - ctx.storePriceWeight
        // A trip's expected quantities, slopes, log-sum and gains: each category's, weighted by its chance.
        var qA = zero, qW = zero, sA = zero, sW = zero, logSum = zero, gainPrime = zero, gainPlus = zero, dA = zero, dW = zero
        let terms = ctx.householdTerms(c, k)
        ctx.forEachCategory { trip, _, weight in
            let sums = ctx.membershipLogSums(terms, flags: f, trip: trip)
            let e = sums.own, total = sums.now
            let pA = e.a / total, pW = (e.ws + e.wo + e.wp) / total
            // What a dollar on p_W takes from the log-sum, over beta b: the store's share counts storePriceWeight times.
            let pricedW = pW - storeLess * (e.ws / total)
            let logTotal = sums.logNow
            // The other side of each membership: only the programme's own option changes.
            let gain = sums.gains(logNow: logTotal)
            // d value / d p: the log-sum falls by beta b P_r in each state (Walmart: its priced share).
            let pAOther = sums.primeOther / sums.primeSide
            let pWOther = (sums.plusOther - storeLess * sums.plusOtherStore) / sums.plusSide
            // dP_A/dV_A in the nested logit: P_A (1/lambda - (1/lambda - 1) P(A | its nest) - P_A);
            // Walmart's options move together, so its nest's slope is the plain logit's at its priced share.
            let inverse = 1 / ctx.nests.online
            let slopeFactor = inverse - (inverse - 1) * (e.a / (e.a + e.oo)) - pA
            qA += weight * (t * b * pA)
            qW += weight * (t * b * pW)
            sA += weight * (t * beta * b * b * pA * slopeFactor)
            sW += weight * (t * beta * b * b * pricedW * (1 - pW))
            logSum += weight * (sums.largest + logTotal)
            gainPrime += weight * gain.prime
            gainPlus += weight * gain.plus
            dA += weight * (-weeksPerMonth * t * b * select(isPrime, pA - pAOther, pAOther - pA))
            dW += weight * (-weeksPerMonth * t * b * select(isPlus, pricedW - pWOther, pWOther - pricedW))
        }
        // A member pays the fee and enjoys the benefit beyond delivery, a month's over its weeks.
        let householdWelfare = t / beta * logSum + select(isPrime, (g.primeBenefit - prime.fee) / weeksPerMonth, zero)
            + select(isPlus, (g.plusBenefit - plus.fee) / weeksPerMonth, zero)
        let valueA = membershipValue(gain: gainPrime, member: isPrime, tripRate: t, bPrice: beta, benefit: g.primeBenefit, weeksPerMonth: ctx.weeksPerMonth)
        let valueW = membershipValue(gain: gainPlus, member: isPlus, tripRate: t, bPrice: beta, benefit: g.plusBenefit, weeksPerMonth: ctx.weeksPerMonth)
        func add(_ sum: inout WideLanes, _ x: Lanes) { sum += widen(select(live, x, zero)) }
        add(&quantityA, qA)
        add(&quantityW, qW)
        add(&slopeA, sA)
        add(&slopeW, sW)
        add(&welfare, householdWelfare)
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
