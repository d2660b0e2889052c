import RetailStats

/// The utilities of docs/MODEL.md section 5 for a block of consecutive shoppers,
/// one column per option, for the passes that read them from memory (the
/// demand pass of the pricing rules, the habits' fixed point, the regions'
/// outcome). The weekly choice and the membership step compute the same
/// `laneUtilities` in registers instead.
struct UtilityBlock {
    /// Shoppers a block holds.
    static let capacity = 256

    /// `values[option * capacity + k]`: V of the block's k-th shopper.
    let values: UnsafeMutablePointer<Float>

    init() {
        values = .allocate(capacity: Option.count * UtilityBlock.capacity)
    }

    func deallocate() {
        values.deallocate()
    }

    /// Column of one option.
    @inline(__always)
    func column(_ o: Option) -> UnsafeMutablePointer<Float> { values + o.rawValue * UtilityBlock.capacity }

    /// Fills the block with the utilities of shoppers `first ..< first + count`,
    /// as members of what they are members of, or (`flipped`) of the opposite:
    /// the membership step's "what if". Eight shoppers at a time, by
    /// `ChoiceContext.laneUtilities`.
    func fill(first: Int, count: Int, shoppers s: Shoppers, context c: ChoiceContext, flipped: Bool = false) {
        precondition(count <= UtilityBlock.capacity)
        let flip = LaneInts(repeating: Int32(flipped ? ShopperFlags.prime.rawValue | ShopperFlags.plus.rawValue : 0))
        let columns = ShopperColumns(s, from: first)
        var k = 0
        while k + RandomLanes.width <= count {
            store(c.laneUtilities(columns, k, flags: ShopperColumns.load(columns.flags, k) ^ flip), at: k)
            k += RandomLanes.width
        }
        if k < count {
            let tail = ShopperTail()
            let t = tail.load(from: s, first: first + k, count: count - k)
            store(c.laneUtilities(t, 0, flags: ShopperColumns.load(t.flags, 0) ^ flip), at: k)
        }
    }

    @inline(__always)
    private func store(_ u: LaneUtilities, at k: Int) {
        func put(_ v: Lanes, _ o: Option) { UnsafeMutableRawPointer(column(o) + k).storeBytes(of: v, as: Lanes.self) }
        put(u.a, .amazon)
        put(u.ws, .walmartStore)
        put(u.wo, .walmartOnline)
        put(u.os, .otherStore)
        put(u.oo, .otherOnline)
    }
}
