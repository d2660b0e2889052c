import RetailStats

/// One pass of h <- P(V + gamma h) for households `range` (docs/MODEL.md
/// section 2): each habit becomes the household's expected share of trips at
/// its current habits. Repeated, it reaches the fixed point h* = P(V + gamma h*)
/// at which a household's habits no longer drift, so week 1 starts where habits settle.
func settleHabits(shoppers s: Households, range: Range<Int>, context ctx: ChoiceContext) {
    forEachVector(of: s, in: range) { c, k, _ in
        let shares = ctx.expectedShares(c, k, scale: Households.unit)
        for o in Option.allCases {
            let share = shares[o], column = c.habit + (o.rawValue &* c.stride &+ k)
            // Rounded down, so that a household's habits never add up to more
            // than 1; a share that is not a number (utilities out of range) is 0, not a trap.
            for j in 0..<Lanes.scalarCount { column[j] = share[j] >= 0 ? UInt16(min(share[j].rounded(.down), Households.unit)) : 0 }
        }
    }
}
