/// Every per-household column, declared once: its element's size, how many
/// slots a household has (one per option, per programme, or one), and the
/// value it starts at. `Households` allocates, frees and counts its columns from
/// this table; the padded tail copy of the weekly passes (`HouseholdTail`)
/// copies every column in and out by it, so a column a pass writes can never
/// lose the writes of a run's last households. Adding a column: a case here
/// with its layout, a typed accessor in `Households`, and, if the lanes read
/// it, a field of `HouseholdLanes` (docs/ARCHITECTURE.md, "Add a household column").
package enum HouseholdColumn: Int, CaseIterable, Sendable {
    case offsetX, offsetY
    case bPrice, bTime, bTravel, online, tripRate, basket, storeKm
    case habit, amazonOrderDecay, community, segment, flags, amazonWeeks, walmartOnlineWeeks, tenure, benefitRank, walmartTaste
    case hubStore, pickupStore

    /// Bytes of one element, slots a household, and the starting bits of
    /// every element (nil: left for the set-up to write).
    package var layout: (bytes: Int, slots: Int, start: UInt32?) {
        switch self {
        case .offsetX, .offsetY, .community: (2, 1, nil)
        case .bPrice, .bTime, .bTravel, .online, .tripRate, .basket, .storeKm: (4, 1, nil)
        case .habit: (2, Option.count, 0)
        case .amazonOrderDecay: (2, 1, UInt32(Households.unit))
        case .amazonWeeks, .walmartOnlineWeeks: (2, 1, 0)
        case .segment: (1, 1, nil)
        case .flags: (1, 1, 0)
        case .tenure: (1, Programme.count, 0)
        case .benefitRank: (1, Programme.count, 128)
        case .walmartTaste: (1, 1, UInt32(Households.tasteZero))
        case .hubStore, .pickupStore: (2, 1, UInt32(Households.noHub))
        }
    }

    /// Bytes of state a household keeps, summed over the table.
    static let bytesPerHousehold = allCases.reduce(0) { $0 + $1.layout.bytes * $1.layout.slots }
}

/// The columns' storage: one allocation a column, `slots x count` elements,
/// slot-major (`column[slot * count + household]`).
struct HouseholdStorage {
    let count: Int
    /// Each column's first byte, by `HouseholdColumn.rawValue` (a plain
    /// pointer table: reading a column costs no reference counting).
    private let bases: UnsafeMutablePointer<UnsafeMutableRawPointer>

    init(count: Int) {
        self.count = count
        bases = .allocate(capacity: HouseholdColumn.allCases.count)
        for column in HouseholdColumn.allCases {
            let (bytes, slots, start) = column.layout
            let base = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes * slots * count), alignment: 16)
            if let start {
                switch bytes {
                case 1: base.initializeMemory(as: UInt8.self, repeating: UInt8(start), count: slots * count)
                case 2: base.initializeMemory(as: UInt16.self, repeating: UInt16(start), count: slots * count)
                default: base.initializeMemory(as: UInt32.self, repeating: start, count: slots * count)
                }
            }
            (bases + column.rawValue).initialize(to: base)
        }
    }

    func deallocate() {
        for column in HouseholdColumn.allCases { bases[column.rawValue].deallocate() }
        bases.deallocate()
    }

    /// A column as elements of `T`, whose size is the column's (or, `unchecked`, as its raw bytes).
    @inline(__always)
    func buffer<T>(_ column: HouseholdColumn, as _: T.Type, unchecked: Bool = false) -> UnsafeMutableBufferPointer<T> {
        assert(unchecked || MemoryLayout<T>.stride == column.layout.bytes)
        let elements = column.layout.slots * count * (unchecked ? column.layout.bytes / MemoryLayout<T>.stride : 1)
        return UnsafeMutableBufferPointer(start: bases[column.rawValue].bindMemory(to: T.self, capacity: elements), count: elements)
    }

    var allocatedBytes: Int { HouseholdColumn.allCases.reduce(0) { $0 + $1.layout.bytes * $1.layout.slots * count } }

    /// Copies household `i` of `from` to household `j` of `to`, every slot of every column.
    static func copy(_ i: Int, of from: HouseholdStorage, to j: Int, of to: HouseholdStorage) {
        for column in HouseholdColumn.allCases {
            let (bytes, slots, _) = column.layout
            let source = from.bases[column.rawValue], target = to.bases[column.rawValue]
            for slot in 0..<slots {
                (target + (slot * to.count + j) * bytes).copyMemory(from: source + (slot * from.count + i) * bytes, byteCount: bytes)
            }
        }
    }
}

/// A test's probe of the walk over households: every byte of every column of
/// `count` households set to a pattern, then every live household of
/// `forEachVector` (the padded tail included) has each byte raised by one
/// through the walk's own columns. Returns, per column, its bytes and how
/// many were raised exactly once: all of them when no write is lost.
package func walkRaisesEveryColumn(count: Int) -> [(column: HouseholdColumn, bytes: Int, raised: Int)] {
    let s = Households(count: count)
    func bytes(_ c: HouseholdColumn, _ storage: HouseholdStorage) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(storage.buffer(c, as: UInt8.self, unchecked: true))
    }
    for c in HouseholdColumn.allCases {
        let b = bytes(c, s.storage)
        for k in b.indices { b[k] = UInt8(truncatingIfNeeded: k &* 7 &+ c.rawValue) }
    }
    forEachVector(of: s, in: 0..<count) { columns, k, live in
        for c in HouseholdColumn.allCases {
            let (size, slots, _) = c.layout
            let b = bytes(c, columns.storage)
            for j in 0..<Lanes.scalarCount where live[j] != 0 {
                for slot in 0..<slots {
                    for byte in 0..<size { b[(slot * columns.storage.count + columns.first + k + j) * size + byte] &+= 1 }
                }
            }
        }
    }
    return HouseholdColumn.allCases.map { c in
        let b = bytes(c, s.storage)
        return (c, b.count, b.indices.filter { b[$0] == UInt8(truncatingIfNeeded: $0 &* 7 &+ c.rawValue) &+ 1 }.count)
    }
}
