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

}

/// Every simulated shopper, as structure-of-arrays: one contiguous column per
/// attribute, 64 bytes of state a shopper. Shoppers are stored in the order of
/// the spatial grid's cells, so that a cell's shoppers are one index range.
///
/// Columns are raw buffers so that chunks of shoppers can be written from
/// several threads at once; each thread writes only its own chunk's range,
/// which is what makes the `@unchecked Sendable` sound.
public final class Shoppers: @unchecked Sendable {
    public let count: Int
    /// Home position, km.
    public let x: UnsafeMutableBufferPointer<Float>
    public let y: UnsafeMutableBufferPointer<Float>
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
    /// exp(-tripRate): the chance of no trip in a week, where the weekly Poisson
    /// inversion starts; kept so that the hot loop does not recompute it.
    public let noTripChance: UnsafeMutableBufferPointer<Float>
    /// Spend per trip, dollars.
    public let basket: UnsafeMutableBufferPointer<Float>
    /// Habit per option: `habit[option * count + shopper]`, each in [0, 1].
    public let habit: UnsafeMutableBufferPointer<Float>
    /// exp(-orders / ordersScale) for the orders this shopper has placed with the
    /// Amazon-like retailer: 1 for none, falling toward 0. Personalisation is
    /// pi * (1 - this); keeping the exponential rather than the count saves an
    /// exp() per shopper-week (an order multiplies it by a tabled factor).
    public let amazonOrderDecay: UnsafeMutableBufferPointer<Float>
    /// Straight-line distance to the nearest Walmart-like store, km.
    public let storeKm: UnsafeMutableBufferPointer<Float>
    /// City index, or the number of cities for rural shoppers (one rural community).
    public let community: UnsafeMutableBufferPointer<UInt16>
    /// `Segment.rawValue`.
    public let segment: UnsafeMutableBufferPointer<UInt8>
    /// `ShopperFlags.rawValue`.
    public let flags: UnsafeMutableBufferPointer<UInt8>

    /// Bytes of state per shopper, for memory reports.
    public static let bytesPerShopper = 4 * 16 + 2 + 1 + 1

    public init(count: Int) {
        self.count = count
        func column<T>(_: T.Type, _ n: Int = 1) -> UnsafeMutableBufferPointer<T> {
            UnsafeMutableBufferPointer<T>.allocate(capacity: count * n)
        }
        x = column(Float.self)
        y = column(Float.self)
        bPrice = column(Float.self)
        bTime = column(Float.self)
        bTravel = column(Float.self)
        online = column(Float.self)
        tripRate = column(Float.self)
        noTripChance = column(Float.self)
        basket = column(Float.self)
        habit = column(Float.self, Option.count)
        amazonOrderDecay = column(Float.self)
        storeKm = column(Float.self)
        community = column(UInt16.self)
        segment = column(UInt8.self)
        flags = column(UInt8.self)
        habit.initialize(repeating: 0)
        amazonOrderDecay.initialize(repeating: 1)
        flags.initialize(repeating: 0)
    }

    private var floatColumns: [UnsafeMutableBufferPointer<Float>] {
        [x, y, bPrice, bTime, bTravel, online, tripRate, noTripChance, basket, habit, amazonOrderDecay, storeKm]
    }

    deinit {
        for column in floatColumns { column.deallocate() }
        community.deallocate()
        segment.deallocate()
        flags.deallocate()
    }

    /// Bytes allocated for all columns, to check `bytesPerShopper` against.
    public var allocatedBytes: Int {
        floatColumns.reduce(0) { $0 + $1.count * MemoryLayout<Float>.stride }
            + community.count * MemoryLayout<UInt16>.stride + segment.count + flags.count
    }

    public func position(_ i: Int) -> Point { Point(x: x[i], y: y[i]) }

    public func has(_ flag: ShopperFlags, _ i: Int) -> Bool {
        flags[i] & flag.rawValue != 0
    }

    public func set(_ flag: ShopperFlags, _ i: Int, _ on: Bool) {
        if on { flags[i] |= flag.rawValue } else { flags[i] &= ~flag.rawValue }
    }

    public func segmentOf(_ i: Int) -> Segment { Segment(rawValue: Int(segment[i]))! }
}
