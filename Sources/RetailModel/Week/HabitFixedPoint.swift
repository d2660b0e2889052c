import RetailStats

/// One pass of h <- P(V + gamma h) for shoppers `range` (docs/MODEL.md section
/// 2): each habit becomes the shopper's expected share of trips at its current
/// habits. Repeated, it reaches the fixed point h* = P(V + gamma h*) at which a
/// shopper's habits no longer drift, so week 1 starts where habits settle.
func settleHabits(shoppers s: Shoppers, range: Range<Int>, context ctx: ChoiceContext) {
    let block = UtilityBlock()
    defer { block.deallocate() }
    let n = s.count
    let vA = block.column(.amazon), vWS = block.column(.walmartStore), vWO = block.column(.walmartOnline)
    let vOS = block.column(.otherStore), vOO = block.column(.otherOnline)
    var first = range.lowerBound
    while first < range.upperBound {
        let size = min(UtilityBlock.capacity, range.upperBound - first)
        block.fill(first: first, count: size, shoppers: s, context: ctx)
        let h = s.habit.baseAddress!
        // Rounded down, so that a shopper's habits never add up to more than 1.
        for k in 0..<size {
            let m = max(max(max(vA[k], vWS[k]), max(vWO[k], vOS[k])), vOO[k])
            let e0 = FastExponential.exp(vA[k] - m), e1 = FastExponential.exp(vWS[k] - m)
            let e2 = FastExponential.exp(vWO[k] - m), e3 = FastExponential.exp(vOS[k] - m)
            let e4 = FastExponential.exp(vOO[k] - m)
            let scale = Shoppers.unit / (e0 + e1 + e2 + e3 + e4)
            let i = first &+ k
            h[i] = UInt16(min((e0 * scale).rounded(.down), Shoppers.unit))
            h[n &+ i] = UInt16(min((e1 * scale).rounded(.down), Shoppers.unit))
            h[2 &* n &+ i] = UInt16(min((e2 * scale).rounded(.down), Shoppers.unit))
            h[3 &* n &+ i] = UInt16(min((e3 * scale).rounded(.down), Shoppers.unit))
            h[4 &* n &+ i] = UInt16(min((e4 * scale).rounded(.down), Shoppers.unit))
        }
        first += size
    }
}
