/// Bits of `Shoppers.flags`: memberships and which delivery radii a shopper is inside.
public struct ShopperFlags: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let prime = ShopperFlags(rawValue: 1 << 0)
    public static let plus = ShopperFlags(rawValue: 1 << 1)
    /// Inside a same-day radius of an Amazon-like site.
    public static let sameDay = ShopperFlags(rawValue: 1 << 2)
    /// Inside the next-day radius of a fulfilment centre.
    public static let nextDay = ShopperFlags(rawValue: 1 << 3)
    /// Inside the radius of a Walmart-like delivery hub.
    public static let hub = ShopperFlags(rawValue: 1 << 4)
    /// Ordered from the Amazon-like retailer in the current 4-week month.
    public static let orderedAmazonThisMonth = ShopperFlags(rawValue: 1 << 5)
    /// Ordered from the Amazon-like retailer in the month before.
    public static let orderedAmazonLastMonth = ShopperFlags(rawValue: 1 << 6)
    /// Household income above $50,000 a year (real country; for online share by income).
    public static let incomeAbove50k = ShopperFlags(rawValue: 1 << 7)

}

/// Every simulated shopper, as structure-of-arrays: one contiguous column per
/// attribute, 56 bytes of state a shopper (docs/PERFORMANCE.md gives the
/// precision of each column). Shoppers are stored in the order of the spatial
/// grid's cells, so that a cell's shoppers are one index range, and a
/// position is kept as an offset inside its cell.
///
/// Columns are raw buffers so that chunks of shoppers can be written from
/// several threads at once; each thread writes only its own chunk's range,
/// which is what makes the `@unchecked Sendable` sound.
public final class Shoppers: @unchecked Sendable {
    public let count: Int
    /// The grid whose cells order the shoppers and hold their positions; set
    /// once by the set-up, when the shoppers have been sorted into cells.
    public internal(set) var grid: ShopperGrid
    /// Home position east and north of its grid cell's south-west corner, in
    /// 1/65536 of the cell's side (0.15 m for 10 km cells).
    public let offsetX: UnsafeMutableBufferPointer<UInt16>
    public let offsetY: UnsafeMutableBufferPointer<UInt16>
    /// Utility per dollar.
    public let bPrice: UnsafeMutableBufferPointer<Float>
    /// Utility per hour of waiting.
    public let bTime: UnsafeMutableBufferPointer<Float>
    /// Utility per km travelled.
    public let bTravel: UnsafeMutableBufferPointer<Float>
    /// Digital affinity (utility added to online options).
    public let online: UnsafeMutableBufferPointer<Float>
    /// Mean trips per week.
    public let tripRate: UnsafeMutableBufferPointer<Float>
    /// Spend per trip, dollars.
    public let basket: UnsafeMutableBufferPointer<Float>
    /// Straight-line distance to the nearest Walmart-like store, km.
    public let storeKm: UnsafeMutableBufferPointer<Float>
    /// Habit per option, `habit[option * count + shopper]`, in [0, 1] as a
    /// fixed-point fraction of `Shoppers.unit` (read it with `habit(_:_:)`).
    public let habit: UnsafeMutableBufferPointer<UInt16>
    /// exp(-orders / ordersScale) for the orders this shopper has placed with the
    /// Amazon-like retailer, as a fraction of `Shoppers.unit`: 1 for none,
    /// falling toward 0. Personalisation is pi * (1 - this); keeping the
    /// exponential rather than the count saves an exp() per shopper-week (an
    /// order multiplies it by a tabled factor).
    public let amazonOrderDecay: UnsafeMutableBufferPointer<UInt16>
    /// City index, or the number of cities for rural shoppers (one rural community).
    public let community: UnsafeMutableBufferPointer<UInt16>
    /// `Segment.rawValue`.
    public let segment: UnsafeMutableBufferPointer<UInt8>
    /// `ShopperFlags.rawValue`.
    public let flags: UnsafeMutableBufferPointer<UInt8>
    /// The last 13 weeks' Amazon-like orders, one bit a week (bit 0: this
    /// week): a shopper with any bit set is an Amazon customer as CIRP counts them.
    public let amazonWeeks: UnsafeMutableBufferPointer<UInt16>
    /// The same for Walmart-like online orders.
    public let walmartOnlineWeeks: UnsafeMutableBufferPointer<UInt16>
    /// Months of membership, `tenure[programme * count + shopper]`, up to 255
    /// (churn depends on whether the first year is over).
    public let tenure: UnsafeMutableBufferPointer<UInt8>
    /// Rank of the shopper's non-delivery benefit of each programme among 256
    /// quantiles of its LogNormal, `benefitRank[programme * count + shopper]`.
    public let benefitRank: UnsafeMutableBufferPointer<UInt8>

    /// What 1 is in the fixed-point columns (`habit`, `amazonOrderDecay`).
    public static let unit: Float = 65535

    /// Bytes of state per shopper, for memory reports: positions 4, seven
    /// attributes 28, habits 10, order decay 2, community 2, segment 1, flags 1,
    /// two 13-week order records 4, tenures 2, benefit ranks 2.
    public static let bytesPerShopper = 2 * 2 + 4 * 7 + 2 * Option.count + 2 + 2 + 1 + 1 + 2 * 2 + Programme.count + Programme.count

    /// Weeks an order record covers (CIRP asks about recent customers: a quarter).
    public static let recordWeeks = 13
    /// The bits of a 13-week record.
    public static let recordMask: UInt16 = (1 << recordWeeks) - 1

    /// Allocates the columns for `count` shoppers ordered by the cells of `grid`.
    public convenience init(count: Int, grid: ShopperGrid) {
        precondition(grid.start.last == count, "the grid must hold every shopper")
        self.init(count: count)
        self.grid = grid
    }

    /// Allocates the columns for `count` shoppers not yet placed (one cell of 1 km).
    init(count: Int) {
        self.count = count
        grid = ShopperGrid(widthKm: 1, heightKm: 1, cellKm: 1, start: [0, count])
        func column<T>(_: T.Type, _ n: Int = 1) -> UnsafeMutableBufferPointer<T> {
            UnsafeMutableBufferPointer<T>.allocate(capacity: count * n)
        }
        offsetX = column(UInt16.self)
        offsetY = column(UInt16.self)
        bPrice = column(Float.self)
        bTime = column(Float.self)
        bTravel = column(Float.self)
        online = column(Float.self)
        tripRate = column(Float.self)
        basket = column(Float.self)
        storeKm = column(Float.self)
        habit = column(UInt16.self, Option.count)
        amazonOrderDecay = column(UInt16.self)
        community = column(UInt16.self)
        segment = column(UInt8.self)
        flags = column(UInt8.self)
        amazonWeeks = column(UInt16.self)
        walmartOnlineWeeks = column(UInt16.self)
        tenure = column(UInt8.self, Programme.count)
        benefitRank = column(UInt8.self, Programme.count)
        amazonWeeks.initialize(repeating: 0)
        walmartOnlineWeeks.initialize(repeating: 0)
        tenure.initialize(repeating: 0)
        benefitRank.initialize(repeating: 128)
        habit.initialize(repeating: 0)
        amazonOrderDecay.initialize(repeating: UInt16(Shoppers.unit))
        flags.initialize(repeating: 0)
    }

    private var floatColumns: [UnsafeMutableBufferPointer<Float>] {
        [bPrice, bTime, bTravel, online, tripRate, basket, storeKm]
    }

    private var shortColumns: [UnsafeMutableBufferPointer<UInt16>] {
        [offsetX, offsetY, habit, amazonOrderDecay, community, amazonWeeks, walmartOnlineWeeks]
    }

    private var byteColumns: [UnsafeMutableBufferPointer<UInt8>] { [segment, flags, tenure, benefitRank] }

    deinit {
        for column in floatColumns { column.deallocate() }
        for column in shortColumns { column.deallocate() }
        for column in byteColumns { column.deallocate() }
    }

    /// Bytes allocated for all columns, to check `bytesPerShopper` against.
    public var allocatedBytes: Int {
        floatColumns.reduce(0) { $0 + $1.count * MemoryLayout<Float>.stride }
            + shortColumns.reduce(0) { $0 + $1.count * MemoryLayout<UInt16>.stride } + byteColumns.reduce(0) { $0 + $1.count }
    }

    /// Home position of shopper `i`, km (its cell found by binary search: not for hot loops).
    public func position(_ i: Int) -> Point {
        grid.position(cell: grid.cell(ofShopper: i), offsetX: offsetX[i], offsetY: offsetY[i])
    }

    /// Habit of shopper `i` for option `o`, in [0, 1].
    public func habit(_ o: Option, _ i: Int) -> Float {
        Float(habit[o.rawValue * count + i]) / Shoppers.unit
    }

    /// exp(-orders / ordersScale) for shopper `i`'s Amazon-like orders so far.
    public func orderDecay(_ i: Int) -> Float {
        Float(amazonOrderDecay[i]) / Shoppers.unit
    }

    public func has(_ flag: ShopperFlags, _ i: Int) -> Bool {
        flags[i] & flag.rawValue != 0
    }

    public func set(_ flag: ShopperFlags, _ i: Int, _ on: Bool) {
        if on { flags[i] |= flag.rawValue } else { flags[i] &= ~flag.rawValue }
    }

    public func segmentOf(_ i: Int) -> Segment { Segment(rawValue: Int(segment[i]))! }
}
