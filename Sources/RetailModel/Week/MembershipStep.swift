import Foundation
import RetailStats

/// The joining and leaving hazards of docs/MODEL.md section 6, for one programme.
public struct MembershipHazards: Sendable {
    public var innovation: Double
    public var imitation: Double
    public var valueWeight: Double
    /// Churn hazard after the first year, and in it, a month.
    public var churn: Double
    public var firstYearChurn: Double
    public var churnValueWeight: Double
    /// Monthly fee, dollars.
    public var fee: Double
}

/// Step 4 of a week (every 4th week) for one chunk: every shopper decides on
/// both programmes from the start-of-month state. `localShare[community * 2 +
/// programme]` is the member share of each community at the start of the month.
///
/// A programme's monthly value to a shopper, dollars, is the change in
/// expected consumer surplus from the logit log-sum (McFadden's compensating
/// variation) for 4 weeks of trips, holding the other programme as it is. Only
/// the programme's own option changes with membership, so the utilities as
/// they stand serve for one side and only the other side is computed.
///
/// To that delivery value each shopper adds its own non-delivery benefit,
/// `benefits[programme * 256 + rank]` dollars a month.
///
/// Block by block: both programmes' values for every shopper in the block
/// (vectorised), then each shopper's two decisions and tenures.
func decideMemberships(shoppers s: Shoppers, range: Range<Int>, context ctx: ChoiceContext,
                       hazards: [MembershipHazards], benefits: [Float], localShare: [Double], stream: RandomStream) {
    let draws = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * range.count)
    let own = UtilityBlock(), flipped = UtilityBlock()
    let values = UnsafeMutablePointer<Float>.allocate(capacity: 6 * UtilityBlock.capacity)
    defer { draws.deallocate(); own.deallocate(); flipped.deallocate(); values.deallocate() }
    stream.fillUniform(draws)
    let allDraws = draws.baseAddress!
    let primeBit = ShopperFlags.prime.rawValue, plusBit = ShopperFlags.plus.rawValue
    let vA = own.column(.amazon), vWS = own.column(.walmartStore), vWO = own.column(.walmartOnline)
    let vOS = own.column(.otherStore), vOO = own.column(.otherOnline)
    let aOther = flipped.column(.amazon), woOther = flipped.column(.walmartOnline)
    let primeValue = values, plusValue = values + UtilityBlock.capacity
    let primeShare = values + 2 * UtilityBlock.capacity, plusShare = values + 3 * UtilityBlock.capacity
    let primeChurn = values + 4 * UtilityBlock.capacity, plusChurn = values + 5 * UtilityBlock.capacity
    let prime = FastHazards(hazards[Programme.prime.rawValue]), plus = FastHazards(hazards[Programme.plus.rawValue])
    var d = 0
    let n = s.count
    let benefitTable = UnsafeMutablePointer<Float>.allocate(capacity: 2 * 256)
    let newFlags = UnsafeMutablePointer<UInt8>.allocate(capacity: UtilityBlock.capacity)
    defer { benefitTable.deallocate(); newFlags.deallocate() }
    for k in 0..<(2 * 256) { benefitTable[k] = k < benefits.count ? benefits[k] : 0 }
    localShare.withUnsafeBufferPointer { share in
        var first = range.lowerBound
        while first < range.upperBound {
            let size = min(UtilityBlock.capacity, range.upperBound - first)
            own.fill(first: first, count: size, shoppers: s, context: ctx)
            flipped.fill(first: first, count: size, shoppers: s, context: ctx, flipped: true)
            let flags = s.flags.baseAddress! + first, rate = s.tripRate.baseAddress! + first
            let bPrice = s.bPrice.baseAddress! + first
            let primeRank = s.benefitRank.baseAddress! + first, plusRank = s.benefitRank.baseAddress! + (n &+ first)
            // Gathers in a loop of their own (each shopper's benefits and its
            // community's shares), so that the loops after them vectorise.
            let community = s.community.baseAddress! + first
            for k in 0..<size {
                let c = Int(community[k]) &* Programme.count
                primeShare[k] = Float(share[c])
                plusShare[k] = Float(share[c &+ 1])
                primeValue[k] = benefitTable[Int(primeRank[k])]
                plusValue[k] = benefitTable[256 &+ Int(plusRank[k])]
            }
            // Each member's churn hazard by tenure: the first year's or a later one's.
            let primeTenure = s.tenure.baseAddress! + first, plusTenure = s.tenure.baseAddress! + (n &+ first)
            for k in 0..<size {
                primeChurn[k] = prime.churn(tenure: primeTenure[k])
                plusChurn[k] = plus.churn(tenure: plusTenure[k])
            }
            for k in 0..<size {
                let f = flags[k]
                let m = max(max(max(vA[k], vWS[k]), max(vWO[k], vOS[k])), max(vOO[k], max(aOther[k], woOther[k])))
                let eA = FastExponential.exp(vA[k] - m), eWO = FastExponential.exp(vWO[k] - m)
                let rest = FastExponential.exp(vWS[k] - m) + FastExponential.exp(vOS[k] - m) + FastExponential.exp(vOO[k] - m)
                let now = rest + eA + eWO
                let withOtherA = rest + FastExponential.exp(aOther[k] - m) + eWO
                let withOtherWO = rest + eA + FastExponential.exp(woOther[k] - m)
                // Log-sum as member minus as non-member; single precision leaves an error
                // far below a cent a month.
                let primeGain = FastExponential.log(withOtherA) - FastExponential.log(now)
                let plusGain = FastExponential.log(withOtherWO) - FastExponential.log(now)
                let scale = 4 * rate[k] / bPrice[k]
                primeValue[k] += scale * (f & primeBit != 0 ? -primeGain : primeGain)
                plusValue[k] += scale * (f & plusBit != 0 ? -plusGain : plusGain)
            }
            // The decisions themselves, in one loop without branches.
            let draws = allDraws + d
            d &+= 2 &* size
            for k in 0..<size {
                let f = flags[k]
                let uPrime = Float(draws[2 &* k]), uPlus = Float(draws[2 &* k &+ 1])
                let isPrime = f & primeBit != 0, isPlus = f & plusBit != 0
                let primeChance = isPrime ? prime.leaveChance(valueDollars: primeValue[k], churn: primeChurn[k])
                    : prime.joinChance(valueDollars: primeValue[k], localShare: primeShare[k])
                let plusChance = isPlus ? plus.leaveChance(valueDollars: plusValue[k], churn: plusChurn[k])
                    : plus.joinChance(valueDollars: plusValue[k], localShare: plusShare[k])
                // A decision that fires toggles the membership: leave if member, join if not.
                let toggle = (uPrime < primeChance ? primeBit : 0) | (uPlus < plusChance ? plusBit : 0)
                newFlags[k] = f ^ toggle
            }
            // A month more for a member who stays (up to 255); a new member starts at 0.
            for k in 0..<size {
                let before = flags[k], after = newFlags[k]
                let t = primeTenure[k], u = plusTenure[k]
                primeTenure[k] = before & after & primeBit != 0 ? (t == 255 ? 255 : t &+ 1) : 0
                plusTenure[k] = before & after & plusBit != 0 ? (u == 255 ? 255 : u &+ 1) : 0
                flags[k] = after
            }
            first += size
        }
    }
}

/// The chances of docs/MODEL.md section 6 in single precision, 1 - exp(-h) by
/// `FastExponential`, for the vectorised decisions: its absolute error (below
/// 1e-7) changes one decision in ten million shopper-months at most.
private struct FastHazards {
    let innovation: Float, imitation: Float, joinPerDollar: Float
    let churn: Float, firstYearChurn: Float, leavePerDollar: Float, fee: Float

    init(_ h: MembershipHazards) {
        innovation = Float(h.innovation)
        imitation = Float(h.imitation)
        joinPerDollar = Float(h.valueWeight / h.fee)
        churn = Float(h.churn)
        firstYearChurn = Float(h.firstYearChurn)
        leavePerDollar = Float(h.churnValueWeight / h.fee)
        fee = Float(h.fee)
    }

    /// P(join) this month for a non-member whose membership is worth
    /// `v` dollars a month, with `localShare` of its community members.
    @inline(__always)
    func joinChance(valueDollars v: Float, localShare: Float) -> Float {
        1 - FastExponential.exp(-(innovation + imitation * localShare + joinPerDollar * max(0, v - fee)))
    }

    /// The churn hazard of a member of `tenure` months: CIRP's renewal rates
    /// differ between the first year and later ones.
    @inline(__always)
    func churn(tenure: UInt8) -> Float { tenure < 12 ? firstYearChurn : churn }

    /// P(leave) this month for a member with churn hazard `churn`.
    @inline(__always)
    func leaveChance(valueDollars v: Float, churn c: Float) -> Float {
        1 - FastExponential.exp(-(c + leavePerDollar * max(0, fee - v)))
    }
}
