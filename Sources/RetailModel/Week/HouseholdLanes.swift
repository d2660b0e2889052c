import CLanes
import RetailStats

/// Eight households' values of one quantity, a household a lane: the unit the
/// weekly loop computes in (8 single-precision lanes fill an AVX2 register).
typealias Lanes = SIMD8<Float>
typealias LaneInts = SIMD8<Int32>
/// -1 in the lanes where a condition holds, 0 elsewhere.
typealias LaneMask = SIMD8<Int32>

/// Lane by lane: the larger, the smaller, and an integer (below 2^24) as a float.
/// Swift's generic `pointwiseMax` and conversions are calls, not instructions.
@inline(__always) func maximum(_ a: Lanes, _ b: Lanes) -> Lanes { retailsim_max(a, b) }
@inline(__always) func minimum(_ a: Lanes, _ b: Lanes) -> Lanes { retailsim_min(a, b) }
@inline(__always) func maximum(_ a: LaneInts, _ b: LaneInts) -> LaneInts { retailsim_max_ints(a, b) }
@inline(__always) func minimum(_ a: LaneInts, _ b: LaneInts) -> LaneInts { retailsim_min_ints(a, b) }
@inline(__always) func floats(_ a: LaneInts) -> Lanes { retailsim_float(a) }

/// Comparisons and selects on masks (Swift's `.>=` and `replacing(with:where:)`
/// against a scalar go lane by lane in a loop).
@inline(__always) func atLeast(_ a: Lanes, _ b: Lanes) -> LaneMask { retailsim_ge(a, b) }
@inline(__always) func below(_ a: Lanes, _ b: Lanes) -> LaneMask { retailsim_lt(a, b) }
@inline(__always) func above(_ a: LaneInts, _ b: LaneInts) -> LaneMask { retailsim_gt_ints(a, b) }
@inline(__always) func equal(_ a: LaneInts, _ b: LaneInts) -> LaneMask { retailsim_eq_ints(a, b) }
/// Where any of the flag bits is set.
@inline(__always) func has(_ flags: LaneInts, _ bits: HouseholdFlags) -> LaneMask { retailsim_has(flags, Int32(bits.rawValue)) }
@inline(__always) func select(_ m: LaneMask, _ a: Lanes, _ b: Lanes) -> Lanes { retailsim_select(m, a, b) }
@inline(__always) func select(_ m: LaneMask, _ a: LaneInts, _ b: LaneInts) -> LaneInts { retailsim_select_ints(m, a, b) }
/// a where the mask is set, 0 elsewhere.
@inline(__always) func keep(_ m: LaneMask, _ a: Lanes) -> Lanes { retailsim_keep(m, a) }
/// table[index] in each lane.
@inline(__always) func gather(_ table: UnsafePointer<Float>, _ index: LaneInts) -> Lanes { retailsim_gather(table, index) }
@inline(__always) func anyLane(_ m: LaneMask) -> Bool { retailsim_any(m) != 0 }
@inline(__always) func splat(_ x: Float) -> Lanes { Lanes(repeating: x) }
@inline(__always) func splat(_ x: Int32) -> LaneInts { LaneInts(repeating: x) }

/// The columns of `Households` from one household on, as plain pointers, read and
/// written eight households at a time (`k` is the first of the eight). A run of
/// households that does not end on a multiple of eight ends in a padded copy
/// (`HouseholdTail`), so every load and store is a whole vector.
struct HouseholdLanes {
    var bPrice, bTime, bTravel, online, tripRate, basket, storeKm: UnsafeMutablePointer<Float>
    /// Option o's habit is at `habit + o * stride`; programme g's tenure and rank likewise.
    var habit: UnsafeMutablePointer<UInt16>
    var stride: Int
    var decay, amazonWeeks, walmartWeeks, community: UnsafeMutablePointer<UInt16>
    /// The delivering store that serves each household (`Households.noHub`: none).
    var hubStore: UnsafeMutablePointer<UInt16>
    /// The walk-in store where each household picks up (`Households.noHub`: none).
    var pickupStore: UnsafeMutablePointer<UInt16>
    var segment, flags, tenure, benefitRank, walmartTaste: UnsafeMutablePointer<UInt8>

    /// Every column, for a pass that reaches one not listed here: household
    /// k + j of this walk is `first + k + j` of `storage`.
    let storage: HouseholdStorage
    let first: Int

    init(_ s: Households, from first: Int) {
        storage = s.storage
        self.first = first
        bPrice = s.bPrice.baseAddress! + first
        bTime = s.bTime.baseAddress! + first
        bTravel = s.bTravel.baseAddress! + first
        online = s.online.baseAddress! + first
        tripRate = s.tripRate.baseAddress! + first
        basket = s.basket.baseAddress! + first
        storeKm = s.storeKm.baseAddress! + first
        habit = s.habit.baseAddress! + first
        stride = s.count
        decay = s.amazonOrderDecay.baseAddress! + first
        amazonWeeks = s.amazonWeeks.baseAddress! + first
        walmartWeeks = s.walmartOnlineWeeks.baseAddress! + first
        community = s.community.baseAddress! + first
        hubStore = s.hubStore.baseAddress! + first
        pickupStore = s.pickupStore.baseAddress! + first
        segment = s.segment.baseAddress! + first
        flags = s.flags.baseAddress! + first
        tenure = s.tenure.baseAddress! + first
        benefitRank = s.benefitRank.baseAddress! + first
        walmartTaste = s.walmartTaste.baseAddress! + first
    }

    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>, _ k: Int) -> Lanes {
        UnsafeRawPointer(p + k).loadUnaligned(as: Lanes.self)
    }

    @inline(__always) static func load(_ p: UnsafeMutablePointer<UInt16>, _ k: Int) -> LaneInts {
        retailsim_load_shorts(p + k)
    }

    @inline(__always) static func load(_ p: UnsafeMutablePointer<UInt8>, _ k: Int) -> LaneInts {
        retailsim_load_bytes(p + k)
    }

    /// Stores the low 16 bits of each lane.
    @inline(__always) static func store(_ v: LaneInts, _ p: UnsafeMutablePointer<UInt16>, _ k: Int) {
        retailsim_store_shorts(p + k, v)
    }

    /// Stores the low 8 bits of each lane.
    @inline(__always) static func store(_ v: LaneInts, _ p: UnsafeMutablePointer<UInt8>, _ k: Int) {
        retailsim_store_bytes(p + k, v)
    }
}

/// The last households of a run that does not end on a multiple of eight,
/// copied into columns of eight (the missing lanes repeat the last household),
/// worked on as a whole vector and copied back lane by lane for the real
/// households only: every column of `HouseholdColumn`'s table both ways, so
/// no pass's writes are lost whatever columns it writes.
final class HouseholdTail {
    let copy = Households(count: RandomLanes.width)

    /// Copies households `first ..< first + count` (count < 8) of `s`.
    func load(from s: Households, first: Int, count: Int) -> HouseholdLanes {
        for j in 0..<RandomLanes.width {
            HouseholdStorage.copy(first + min(j, count - 1), of: s.storage, to: j, of: copy.storage)
        }
        return HouseholdLanes(copy, from: 0)
    }

    /// Writes the real households back.
    func store(to s: Households, first: Int, count: Int) {
        for j in 0..<count { HouseholdStorage.copy(j, of: copy.storage, to: first + j, of: s.storage) }
    }
}

/// Calls `body(columns, k, live)` for every vector of households `range`:
/// whole vectors in place (`live` every lane), then the last households short
/// of a vector in a padded copy (`live` their lanes only), whose changes are
/// written back. The passes that count or decide without drawing use it.
@inline(__always)
func forEachVector(of s: Households, in range: Range<Int>, _ body: (HouseholdLanes, Int, LaneMask) -> Void) {
    let width = RandomLanes.width
    let whole = range.count / width
    let columns = HouseholdLanes(s, from: range.lowerBound)
    let every = splat(Int32(-1))
    for v in 0..<whole { body(columns, v &* width, every) }
    let rest = range.count - whole * width
    if rest > 0 {
        let tail = HouseholdTail(), first = range.lowerBound + whole * width
        body(tail.load(from: s, first: first, count: rest), 0, above(splat(Int32(rest)), LaneInts(0, 1, 2, 3, 4, 5, 6, 7)))
        tail.store(to: s, first: first, count: rest)
    }
}

/// The nearest fixed-point step to each lane's x in [0, 65535]: adding 2^23
/// leaves the rounded integer in the low bits of the sum.
@inline(__always)
func fixedPoint(_ x: Lanes) -> LaneInts {
    unsafeBitCast(minimum(maximum(x, Lanes()), Lanes(repeating: Households.unit)) + 8_388_608, to: LaneInts.self) & 0xFFFF
}
