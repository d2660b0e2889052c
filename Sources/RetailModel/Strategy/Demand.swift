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
/// - welfare: sum T_i / beta_i ln sum_j exp V_ij less membership fees,
///   dollars a week (McFadden's consumer surplus up to a constant).
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

    /// r's own-price elasticity of quantity at price p: S p / Q.
    public func elasticity(_ r: RetailerID, price: Double) -> Double {
        quantity[r.rawValue] > 0 ? slope[r.rawValue] * price / quantity[r.rawValue] : 0
    }

    /// Measures demand with the Amazon-like and Walmart-like price indices set to
    /// `prices`, everything else as `context` has it.
    static func measure(shoppers s: Shoppers, context: ChoiceContext, prices: (amazon: Double, walmart: Double),
                        hazards: [MembershipHazards], benefits: [Float], localShare: [Double],
                        chunks: Int, threads: Int) -> Demand {
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

    private static func measureChunk(shoppers s: Shoppers, range: Range<Int>, context ctx: ChoiceContext,
                                     hazards: [MembershipHazards], benefits: [Float], localShare: [Double]) -> Demand {
        let own = UtilityBlock(), flipped = UtilityBlock()
        defer { own.deallocate(); flipped.deallocate() }
        var d = Demand()
        let n = s.count
        let primeBit = ShopperFlags.prime.rawValue, plusBit = ShopperFlags.plus.rawValue
        let fees = (hazards[0].fee, hazards[1].fee)
        var first = range.lowerBound
        while first < range.upperBound {
            let size = min(UtilityBlock.capacity, range.upperBound - first)
            own.fill(first: first, count: size, shoppers: s, context: ctx)
            flipped.fill(first: first, count: size, shoppers: s, context: ctx, flipped: true)
            for k in 0..<size {
                let i = first + k
                let t = Double(s.tripRate[i]), b = Double(s.basket[i]), beta = Double(s.bPrice[i])
                let f = s.flags[i]
                let vA = Double(own.column(.amazon)[k]), vWS = Double(own.column(.walmartStore)[k])
                let vWO = Double(own.column(.walmartOnline)[k]), vOS = Double(own.column(.otherStore)[k])
                let vOO = Double(own.column(.otherOnline)[k])
                let vAFlipped = Double(flipped.column(.amazon)[k]), vWOFlipped = Double(flipped.column(.walmartOnline)[k])
                let m = max(vA, vWS, vWO, vOS, vOO, vAFlipped, vWOFlipped)
                let eA = exp(vA - m), eWS = exp(vWS - m), eWO = exp(vWO - m)
                let total = eA + eWS + eWO + exp(vOS - m) + exp(vOO - m)
                let pA = eA / total, pW = (eWS + eWO) / total
                d.quantity[0] += t * b * pA
                d.quantity[1] += t * b * pW
                d.slope[0] += t * beta * b * b * pA * (1 - pA)
                d.slope[1] += t * beta * b * b * pW * (1 - pW)
                let isPrime = f & primeBit != 0, isPlus = f & plusBit != 0
                d.welfare += t / beta * (m + log(total)) - (isPrime ? fees.0 / 4 : 0) - (isPlus ? fees.1 / 4 : 0)
                // The other side of each membership: only the programme's own option changes.
                let eAOther = exp(vAFlipped - m), eWOOther = exp(vWOFlipped - m)
                let totalA = total - eA + eAOther, totalWO = total - eWO + eWOOther
                let scale = 4 * t / beta
                func account(_ g: Int, member: Bool, now: Double, other: Double, totalOther: Double) {
                    let gain = log(totalOther) - log(total)
                    let value = scale * (member ? -gain : gain) + Double(benefits[g * 256 + Int(s.benefitRank[g * n + i])])
                    // d value / d p: the log-sum falls by beta b P_r in each state.
                    let dValue = -4 * t * b * (member ? now - other : other - now)
                    let share = localShare[Int(s.community[i]) * Programme.count + g]
                    d.members[g] += member ? 1 : 0
                    d.memberSlope[g] += hazards[g].steadyStateSlope(value: value, localShare: share) * dValue
                }
                account(0, member: isPrime, now: pA, other: eAOther / totalA, totalOther: totalA)
                account(1, member: isPlus, now: pW, other: (eWS + eWOOther) / totalWO, totalOther: totalWO)
            }
            first += size
        }
        return d
    }
}

extension MembershipHazards {
    /// The long-run chance of being a member, join / (join + leave), at a
    /// monthly value of `value` dollars (later-year churn).
    func steadyStateShare(value: Double, localShare: Double) -> Double {
        let join = 1 - exp(-(innovation + imitation * localShare + valueWeight * max(0, value - fee) / fee))
        let leave = 1 - exp(-(churn + churnValueWeight * max(0, fee - value) / fee))
        return join + leave > 0 ? join / (join + leave) : 0
    }

    /// d steadyStateShare / d value, per dollar (a central difference of 50 cents).
    func steadyStateSlope(value: Double, localShare: Double) -> Double {
        guard fee > 0 else { return 0 }
        return (steadyStateShare(value: value + 0.5, localShare: localShare)
            - steadyStateShare(value: value - 0.5, localShare: localShare)) / 1.0
    }
}
