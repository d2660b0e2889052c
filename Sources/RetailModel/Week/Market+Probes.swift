import RetailStats

// Test probes: one household's membership value and one programme's
// chances, computed by the lane kernels of HouseholdModel.swift on a vector
// of one, so that the tests can hold them against a scalar reference
// written apart from the model.
extension Market {
    /// Each programme's monthly value to household `i` at the current state,
    /// dollars: the membership step's own value (log-sum gain and benefit).
    package func membershipValues(of i: Int) -> (prime: Float, plus: Float) {
        let ctx = choiceContext
        let tables = MembershipTables(benefits: benefitTable, localShare: census.localShares(scope: parameters.membership.localScope))
        var values: (Float, Float) = (0, 0)
        forEachVector(of: shoppers, in: i..<(i + 1)) { c, k, _ in
            let f = HouseholdLanes.load(c.flags, k)
            let gain = ctx.membershipGains(c, k, flags: f)
            let t = HouseholdLanes.load(c.tripRate, k), beta = HouseholdLanes.load(c.bPrice, k)
            let g = memberTables(c, k, tables)
            values = (membershipValue(gain: gain.prime, member: has(f, .prime), tripRate: t, bPrice: beta, benefit: g.primeBenefit, weeksPerMonth: ctx.weeksPerMonth)[0],
                      membershipValue(gain: gain.plus, member: has(f, .plus), tripRate: t, bPrice: beta, benefit: g.plusBenefit, weeksPerMonth: ctx.weeksPerMonth)[0])
        }
        return values
    }
}

/// One programme's chance of a decision and the slope of its long-run member
/// share, by the kernels the membership step and the demand pass use.
package func programmeChance(_ h: MembershipHazards, member: Bool, value: Float, localShare: Float, tenureMonths: Int) -> Float {
    ProgrammeHazards(h).chance(member: splat(Int32(member ? -1 : 0)), value: splat(value), localShare: splat(localShare),
                               tenure: splat(Int32(tenureMonths)))[0]
}

package func programmeShareSlope(_ h: MembershipHazards, value: Float, localShare: Float) -> Float {
    ProgrammeHazards(h).slope(value: splat(value), localShare: splat(localShare))[0]
}
