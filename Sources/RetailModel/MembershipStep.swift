import Foundation
import RetailStats

/// The joining and leaving hazards of MODEL.md section 6, for one programme.
public struct MembershipHazards: Sendable {
    public var innovation: Double
    public var imitation: Double
    public var valueWeight: Double
    public var churn: Double
    public var churnValueWeight: Double
    /// Monthly fee, dollars.
    public var fee: Double

    /// P(join) this month for a non-member whose membership is worth
    /// `valueDollars` a month, with `localShare` of its community members.
    @inline(__always)
    public func joinProbability(valueDollars: Double, localShare: Double) -> Double {
        Double(-expm1(Float(-(innovation + imitation * localShare + valueWeight * max(0, valueDollars - fee) / fee))))
    }

    /// P(leave) this month for a member.
    @inline(__always)
    public func leaveProbability(valueDollars: Double) -> Double {
        Double(-expm1(Float(-(churn + churnValueWeight * max(0, fee - valueDollars) / fee))))
    }
}

/// Monthly value of each programme to shopper `i`, dollars: the change in
/// expected consumer surplus from the logit log-sum (McFadden's compensating
/// variation), for 4 weeks of trips, holding the other programme as it is.
/// Only the programme's own option changes with membership, so the utilities
/// as they stand serve for one side and only the other side is computed.
@inline(__always)
func membershipValues(of i: Int, in s: Shoppers, context ctx: ChoiceContext) -> (prime: Double, plus: Double) {
    let f = s.flags[i]
    let isPrime = f & ShopperFlags.prime.rawValue != 0, isPlus = f & ShopperFlags.plus.rawValue != 0
    let v = ctx.utilities(of: i, in: s)
    let aOther = ctx.amazonUtility(of: i, in: s, prime: !isPrime)
    let woOther = ctx.walmartOnlineUtility(of: i, in: s, plus: !isPlus)
    let m = max(max(max(v.a, v.ws), max(v.wo, v.os)), max(v.oo, max(aOther, woOther)))
    let eA = exp(v.a - m), eWO = exp(v.wo - m)
    let rest = exp(v.ws - m) + exp(v.os - m) + exp(v.oo - m)
    let now = rest + eA + eWO
    let withOtherA = rest + exp(aOther - m) + eWO, withOtherWO = rest + eA + exp(woOther - m)
    // Log-sum as member minus as non-member; single precision leaves an error
    // far below a cent a month.
    let primeGain = isPrime ? log(now / withOtherA) : log(withOtherA / now)
    let plusGain = isPlus ? log(now / withOtherWO) : log(withOtherWO / now)
    let scale = 4 * s.tripRate[i] / s.bPrice[i]
    return (Double(scale * primeGain), Double(scale * plusGain))
}

/// Step 4 of a week (every 4th week) for one chunk: every shopper decides on
/// both programmes from the start-of-month state. `localShare[community * 2 +
/// programme]` is the member share of each community at the start of the month.
func decideMemberships(shoppers s: Shoppers, range: Range<Int>, context ctx: ChoiceContext,
                       hazards: [MembershipHazards], localShare: [Double], stream: RandomStream) {
    let draws = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * range.count)
    defer { draws.deallocate() }
    stream.fillUniform(draws)
    let prime = hazards[Programme.prime.rawValue], plus = hazards[Programme.plus.rawValue]
    let primeBit = ShopperFlags.prime.rawValue, plusBit = ShopperFlags.plus.rawValue
    var k = 0
    localShare.withUnsafeBufferPointer { share in
        for i in range {
            let flags = s.flags[i]
            var newFlags = flags
            let values = membershipValues(of: i, in: s, context: ctx)
            let community = Int(s.community[i]) * Programme.count
            let uPrime = draws[k], uPlus = draws[k + 1]
            k += 2
            if flags & primeBit != 0 {
                if uPrime < prime.leaveProbability(valueDollars: values.prime) { newFlags &= ~primeBit }
            } else if uPrime < prime.joinProbability(valueDollars: values.prime, localShare: share[community]) {
                newFlags |= primeBit
            }
            if flags & plusBit != 0 {
                if uPlus < plus.leaveProbability(valueDollars: values.plus) { newFlags &= ~plusBit }
            } else if uPlus < plus.joinProbability(valueDollars: values.plus, localShare: share[community + 1]) {
                newFlags |= plusBit
            }
            s.flags[i] = newFlags
        }
    }
}
