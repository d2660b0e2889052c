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

    public init(innovation: Double, imitation: Double, valueWeight: Double, churn: Double, firstYearChurn: Double,
                churnValueWeight: Double, fee: Double) {
        (self.innovation, self.imitation, self.valueWeight) = (innovation, imitation, valueWeight)
        (self.churn, self.firstYearChurn, self.churnValueWeight, self.fee) = (churn, firstYearChurn, churnValueWeight, fee)
    }
}

/// The month's lookup tables of the membership step, in single precision:
/// each programme's non-delivery benefit by rank (`benefits[programme * 256 +
/// rank]`, dollars a month) and each community's member share
/// (`localShare[community * 2 + programme]`, at the start of the month).
final class MembershipTables: @unchecked Sendable {
    let benefits: UnsafeMutablePointer<Float>
    let localShare: UnsafeMutablePointer<Float>

    init(benefits b: [Float], localShare share: [Double]) {
        benefits = .allocate(capacity: Programme.count * 256)
        for k in 0..<(Programme.count * 256) { benefits[k] = k < b.count ? b[k] : 0 }
        localShare = .allocate(capacity: max(1, share.count))
        for k in share.indices { localShare[k] = Float(share[k]) }
    }

    deinit {
        benefits.deallocate()
        localShare.deallocate()
    }
}

/// Each of eight households' non-delivery benefits and its community's member
/// shares: gathers, the only loads that are not whole vectors.
@inline(__always)
func memberTables(_ c: HouseholdLanes, _ k: Int, _ tables: MembershipTables)
    -> (primeBenefit: Lanes, plusBenefit: Lanes, primeShare: Lanes, plusShare: Lanes) {
    let primeRank = HouseholdLanes.load(c.benefitRank, k), plusRank = HouseholdLanes.load(c.benefitRank + c.stride, k)
    let place = HouseholdLanes.load(c.community, k) &* Int32(Programme.count)
    let primeBenefit = gather(tables.benefits, primeRank), plusBenefit = gather(tables.benefits + 256, plusRank)
    let primeShare = gather(tables.localShare, place), plusShare = gather(tables.localShare + 1, place)
    return (primeBenefit, plusBenefit, primeShare, plusShare)
}

/// Step 4 of a week (every 4th week) for one chunk: every household decides on
/// both programmes from the start-of-month state (docs/MODEL.md section 6).
///
/// A programme's monthly value to a household, dollars, is the change in
/// expected consumer surplus from the logit log-sum (McFadden's compensating
/// variation) for a month of trips (4.348 weeks), holding the other programme as it is. Only
/// the programme's own option changes with membership, so the utilities as
/// they stand serve for one side and only the other side is computed.
/// To that delivery value each household adds its own non-delivery benefit.
///
/// Eight households a vector, with two uniforms each from the chunk's lanes.
/// Never inlined, so that `make bench-instructions` can count it by name.
@inline(never)
func decideMemberships(shoppers s: Households, range: Range<Int>, context ctx: ChoiceContext,
                       hazards: [MembershipHazards], tables: MembershipTables, lanes: UnsafeMutablePointer<RandomLanes>) {
    let prime = ProgrammeHazards(hazards[Programme.prime.rawValue]), plus = ProgrammeHazards(hazards[Programme.plus.rawValue])
    var generator = lanes.pointee
    let width = RandomLanes.width
    let whole = range.count / width
    let columns = HouseholdLanes(s, from: range.lowerBound)
    // Two uniforms a vector, drawn a block at a time in a loop of their own.
    let block = 32
    let uniforms = UnsafeMutablePointer<Lanes>.allocate(capacity: 2 * block)
    defer { uniforms.deallocate() }
    var v = 0
    while v < whole {
        let size = min(block, whole - v)
        generator.fill(uniforms, count: 2 * size)
        for j in 0..<size {
            decideMemberships(columns, (v &+ j) &* width, context: ctx, prime: prime, plus: plus, tables: tables,
                              uniforms: (uniforms[2 &* j], uniforms[2 &* j &+ 1]))
        }
        v += size
    }
    let rest = range.count - whole * width
    if rest > 0 {
        // The run's last households, short of a vector: decided in a padded copy.
        let tail = HouseholdTail()
        let first = range.lowerBound + whole * width
        let c = tail.load(from: s, first: first, count: rest)
        decideMemberships(c, 0, context: ctx, prime: prime, plus: plus, tables: tables, uniforms: (generator.next(), generator.next()))
        tail.store(to: s, first: first, count: rest)
    }
    lanes.pointee = generator
}

/// Both decisions of households k ..< k + 8 of `c`.
@inline(__always)
private func decideMemberships(_ c: HouseholdLanes, _ k: Int, context ctx: ChoiceContext, prime: ProgrammeHazards, plus: ProgrammeHazards,
                               tables: MembershipTables, uniforms: (prime: Lanes, plus: Lanes)) {
    typealias C = HouseholdLanes
    let primeBit = Int32(HouseholdFlags.prime.rawValue), plusBit = Int32(HouseholdFlags.plus.rawValue)
    let f = C.load(c.flags, k)
    let gain = ctx.membershipGains(c, k, flags: f)
    let t = C.load(c.tripRate, k), beta = C.load(c.bPrice, k)
    let isPrime = has(f, .prime), isPlus = has(f, .plus)
    let g = memberTables(c, k, tables)
    let primeValue = membershipValue(gain: gain.prime, member: isPrime, tripRate: t, bPrice: beta, benefit: g.primeBenefit, weeksPerMonth: ctx.weeksPerMonth)
    let plusValue = membershipValue(gain: gain.plus, member: isPlus, tripRate: t, bPrice: beta, benefit: g.plusBenefit, weeksPerMonth: ctx.weeksPerMonth)
    let primeTenure = C.load(c.tenure, k), plusTenure = C.load(c.tenure + c.stride, k)
    let primeChance = prime.chance(member: isPrime, value: primeValue, localShare: g.primeShare, tenure: primeTenure)
    let plusChance = plus.chance(member: isPlus, value: plusValue, localShare: g.plusShare, tenure: plusTenure)
    // A decision that fires toggles the membership: leave if member, join if not.
    let (uPrime, uPlus) = uniforms
    let toggle = (splat(primeBit) & below(uPrime, primeChance)) | (splat(plusBit) & below(uPlus, plusChance))
    let after = f ^ toggle
    // A month more for a member who stays (up to 255); a new member starts at 0.
    let stays = f & after
    let zero = LaneInts(), most = LaneInts(repeating: 255)
    C.store(select(has(stays, .prime), minimum(primeTenure &+ 1, most), zero), c.tenure, k)
    C.store(select(has(stays, .plus), minimum(plusTenure &+ 1, most), zero), c.tenure + c.stride, k)
    C.store(after, c.flags, k)
}
