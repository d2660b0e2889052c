/// Bits of `Households.flags`: memberships and which delivery radii a household is inside.
package struct HouseholdFlags: OptionSet, Sendable, Codable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    package static let prime = HouseholdFlags(rawValue: 1 << 0)
    package static let plus = HouseholdFlags(rawValue: 1 << 1)
    /// Inside a same-day radius of an Amazon-like site.
    package static let sameDay = HouseholdFlags(rawValue: 1 << 2)
    /// Inside the next-day radius of a fulfilment centre.
    package static let nextDay = HouseholdFlags(rawValue: 1 << 3)
    /// Inside the radius of a Walmart-like delivery hub.
    package static let hub = HouseholdFlags(rawValue: 1 << 4)
    /// Ordered from the Amazon-like retailer in the current calendar month.
    package static let orderedAmazonThisMonth = HouseholdFlags(rawValue: 1 << 5)
    /// Ordered from the Amazon-like retailer in the month before.
    package static let orderedAmazonLastMonth = HouseholdFlags(rawValue: 1 << 6)
    /// Household income above $50,000 a year (real country; for online share by income).
    package static let incomeAbove50k = HouseholdFlags(rawValue: 1 << 7)

}

/// Every simulated household, as structure-of-arrays: one contiguous column per
/// attribute, 56 bytes of state a household (docs/PERFORMANCE.md gives the
/// precision of each column). Households are stored in the order of the spatial
/// grid's cells, so that a cell's households are one index range, and a
/// position is kept as an offset inside its cell.
///
/// Columns are raw buffers so that chunks of households can be written from
/// several threads at once; each thread writes only its own chunk's range,
/// which is what makes the `@unchecked Sendable` sound.
package final class Households: @unchecked Sendable {
    package let count: Int
    /// The grid whose cells order the households and hold their positions; set
    /// once by the set-up, when the households have been sorted into cells.
    package internal(set) var grid: HouseholdGrid
    /// The columns, allocated from the table of `HouseholdColumn`; each
    /// accessor below is a view of one of them.
    let storage: HouseholdStorage
    /// Home position east and north of its grid cell's south-west corner, in
    /// 1/65536 of the cell's side (0.15 m for 10 km cells).
    package var offsetX: UnsafeMutableBufferPointer<UInt16> { storage.buffer(.offsetX, as: UInt16.self) }
    package var offsetY: UnsafeMutableBufferPointer<UInt16> { storage.buffer(.offsetY, as: UInt16.self) }
    /// Utility per dollar.
    package var bPrice: UnsafeMutableBufferPointer<Float> { storage.buffer(.bPrice, as: Float.self) }
    /// Utility per hour of waiting.
    package var bTime: UnsafeMutableBufferPointer<Float> { storage.buffer(.bTime, as: Float.self) }
    /// Utility per km travelled.
    package var bTravel: UnsafeMutableBufferPointer<Float> { storage.buffer(.bTravel, as: Float.self) }
    /// Digital affinity (utility added to online options).
    package var online: UnsafeMutableBufferPointer<Float> { storage.buffer(.online, as: Float.self) }
    /// Mean trips per week.
    package var tripRate: UnsafeMutableBufferPointer<Float> { storage.buffer(.tripRate, as: Float.self) }
    /// Spend per trip, dollars.
    package var basket: UnsafeMutableBufferPointer<Float> { storage.buffer(.basket, as: Float.self) }
    /// Straight-line distance to the nearest Walmart-like store, km.
    package var storeKm: UnsafeMutableBufferPointer<Float> { storage.buffer(.storeKm, as: Float.self) }
    /// Habit per option, `habit[option * count + household]`, in [0, 1] as a
    /// fixed-point fraction of `Households.unit` (read it with `habit(_:_:)`).
    package var habit: UnsafeMutableBufferPointer<UInt16> { storage.buffer(.habit, as: UInt16.self) }
    /// exp(-orders / ordersScale) for the orders this household has placed with the
    /// Amazon-like retailer, as a fraction of `Households.unit`: 1 for none,
    /// falling toward 0. Personalisation is pi * (1 - this); keeping the
    /// exponential rather than the count saves an exp() per shopper-week (an
    /// order multiplies it by a tabled factor).
    package var amazonOrderDecay: UnsafeMutableBufferPointer<UInt16> { storage.buffer(.amazonOrderDecay, as: UInt16.self) }
    /// City index, or the number of cities for rural households (one rural community).
    package var community: UnsafeMutableBufferPointer<UInt16> { storage.buffer(.community, as: UInt16.self) }
    /// `Segment.rawValue`.
    package var segment: UnsafeMutableBufferPointer<UInt8> { storage.buffer(.segment, as: UInt8.self) }
    /// `HouseholdFlags.rawValue`.
    package var flags: UnsafeMutableBufferPointer<UInt8> { storage.buffer(.flags, as: UInt8.self) }
    /// The last 13 weeks' Amazon-like orders, one bit a week (bit 0: this
    /// week): a household with any bit set is an Amazon customer as CIRP counts them.
    package var amazonWeeks: UnsafeMutableBufferPointer<UInt16> { storage.buffer(.amazonWeeks, as: UInt16.self) }
    /// The same for Walmart-like online orders.
    package var walmartOnlineWeeks: UnsafeMutableBufferPointer<UInt16> { storage.buffer(.walmartOnlineWeeks, as: UInt16.self) }
    /// Months of membership, `tenure[programme * count + household]`, up to 255
    /// (churn depends on whether the first year is over).
    package var tenure: UnsafeMutableBufferPointer<UInt8> { storage.buffer(.tenure, as: UInt8.self) }
    /// Rank of the household's non-delivery benefit of each programme among 256
    /// quantiles of its LogNormal, `benefitRank[programme * count + household]`.
    package var benefitRank: UnsafeMutableBufferPointer<UInt8> { storage.buffer(.benefitRank, as: UInt8.self) }
    /// The household's taste for the Walmart-like online channels (WO, WP)
    /// as a standard normal draw in steps of 1/32 from `tasteZero` (0), to
    /// +-3.97: `choice`'s sd times it is the utility it adds (docs/MODEL.md section 5).
    package var walmartTaste: UnsafeMutableBufferPointer<UInt8> { storage.buffer(.walmartTaste, as: UInt8.self) }
    /// The delivering store nearest the household among those whose express
    /// radius holds it (a store id of `Facilities`), or `noHub`: whose slots
    /// its store-delivered orders take (docs/MODEL.md section 4).
    package var hubStore: UnsafeMutableBufferPointer<UInt16> { storage.buffer(.hubStore, as: UInt16.self) }
    /// The walk-in store nearest the household (a store id of `Facilities`, ties
    /// to the lower id), or `noHub` without one: whose pickup slots its pickup
    /// orders take (docs/MODEL.md section 4).
    package var pickupStore: UnsafeMutableBufferPointer<UInt16> { storage.buffer(.pickupStore, as: UInt16.self) }
    /// `hubStore` of a household outside every express radius.
    package static let noHub: UInt16 = 0xFFFF
    /// The stored taste of a standard normal draw of 0, and the draws a unit.
    package static let tasteZero: UInt8 = 128
    package static let tasteSteps: Float = 32

    /// What 1 is in the fixed-point columns (`habit`, `amazonOrderDecay`).
    package static let unit: Float = 65535

    /// Bytes of state per household, for memory reports: positions 4, seven
    /// attributes 28, habits 12 (one an option), order decay 2, community 2, segment 1, flags 1,
    /// two 13-week order records 4, tenures 2, benefit ranks 2, Walmart online taste 1, serving hub 2 (`HouseholdColumn`'s table).
    package static let bytesPerHousehold = HouseholdColumn.bytesPerHousehold

    /// Weeks an order record covers (CIRP asks about recent customers: a quarter).
    package static let recordWeeks = 13
    /// The bits of a 13-week record.
    package static let recordMask: UInt16 = (1 << recordWeeks) - 1
    /// The top bit of the Walmart-like online record, outside its 13 weeks:
    /// bought groceries online (WO or WP) from the Walmart-like retailer in
    /// the current calendar month (Brick Meets Click's monthly buyers).
    package static let groceryMonthBit: UInt16 = 1 << 15

    /// Allocates the columns for `count` households ordered by the cells of `grid`.
    package convenience init(count: Int, grid: HouseholdGrid) {
        precondition(grid.start.last == count, "the grid must hold every shopper")
        self.init(count: count)
        self.grid = grid
    }

    /// Allocates the columns for `count` households not yet placed (one cell of 1 km).
    init(count: Int) {
        self.count = count
        grid = HouseholdGrid(widthKm: 1, heightKm: 1, cellKm: 1, start: [0, count])
        storage = HouseholdStorage(count: count)
    }

    deinit {
        storage.deallocate()
    }

    /// Bytes allocated for all columns, to check `bytesPerHousehold` against.
    package var allocatedBytes: Int { storage.allocatedBytes }

    /// Home position of household `i`, km (its cell found by binary search: not for hot loops).
    package func position(_ i: Int) -> Point {
        grid.position(cell: grid.cell(ofShopper: i), offsetX: offsetX[i], offsetY: offsetY[i])
    }

    /// Habit of household `i` for option `o`, in [0, 1].
    package func habit(_ o: Option, _ i: Int) -> Float {
        Float(habit[o.rawValue * count + i]) / Households.unit
    }

    /// exp(-orders / ordersScale) for household `i`'s Amazon-like orders so far.
    package func orderDecay(_ i: Int) -> Float {
        Float(amazonOrderDecay[i]) / Households.unit
    }

    package func has(_ flag: HouseholdFlags, _ i: Int) -> Bool {
        flags[i] & flag.rawValue != 0
    }

    package func set(_ flag: HouseholdFlags, _ i: Int, _ on: Bool) {
        if on { flags[i] |= flag.rawValue } else { flags[i] &= ~flag.rawValue }
    }

    package func segmentOf(_ i: Int) -> Segment { Segment(rawValue: Int(segment[i]))! }
}
