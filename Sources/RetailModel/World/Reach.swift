import RetailStats
/// How many households, by segment, are within reach of each retailer's network:
/// within 16 km (10 miles) of a Walmart-like store, inside a delivery hub's
/// radius (3-hour delivery), inside a same-day radius. Counted at the start
/// and after every strategy step, the only times facilities change.
public struct Reach: Sendable, Equatable, Codable {
    public enum Kind: Int, CaseIterable, Sendable {
        /// Within `Reach.storeRadiusKm` of a Walmart-like store.
        case store = 0
        /// Inside a Walmart-like delivery hub's radius.
        case hub = 1
        /// Inside an Amazon-like same-day radius.
        case sameDay = 2

        public var name: String {
            switch self {
            case .store: "store16Km"
            case .hub: "hub"
            case .sameDay: "sameDay"
            }
        }
    }

    /// The published store-coverage figure's radius: 10 miles, km.
    static let storeRadiusKm: Float = 16

    /// Households within reach, `counts[segment * 3 + kind]`.
    public let counts: [Int]
    /// Households in each segment.
    public let shoppers: [Int]

    public init(counts: [Int], shoppers: [Int]) {
        self.counts = counts
        self.shoppers = shoppers
    }

    /// Share of all households within reach of `kind`.
    public func share(_ kind: Kind) -> Double {
        let total = shoppers.reduce(0, +)
        return total > 0 ? Double(Segment.allCases.reduce(0) { $0 + counts[$1.rawValue * 3 + kind.rawValue] }) / Double(total) : 0
    }

    /// Share of a segment's households within reach of `kind`.
    public func share(_ kind: Kind, _ segment: Segment) -> Double {
        let n = shoppers[segment.rawValue]
        return n > 0 ? Double(counts[segment.rawValue * 3 + kind.rawValue]) / Double(n) : 0
    }

    static func count(shoppers s: Households, chunks: Int, threads: Int) -> Reach {
        let perChunk = Parallel.map(chunks, threads: threads) { c in
            // Eight households a vector, counts as masks (each set lane subtracts 1).
            typealias C = HouseholdLanes
            let radius = splat(storeRadiusKm)
            var lanes = [LaneInts](repeating: LaneInts(), count: Segment.count * 4)
            lanes.withUnsafeMutableBufferPointer { sums in
                forEachVector(of: s, in: Parallel.range(ofChunk: c, shoppers: s.count)) { columns, k, live in
                    let segment = C.load(columns.segment, k), f = C.load(columns.flags, k)
                    let near = ~below(radius, C.load(columns.storeKm, k)), hub = has(f, .hub), sameDay = has(f, .sameDay)
                    for g in 0..<Segment.count {
                        let m = equal(segment, splat(Int32(g))) & live
                        sums[4 &* g] &+= m
                        sums[4 &* g &+ 1] &+= m & near
                        sums[4 &* g &+ 2] &+= m & hub
                        sums[4 &* g &+ 3] &+= m & sameDay
                    }
                }
            }
            let shoppers = (0..<Segment.count).map { -Int(lanes[4 * $0].wrappedSum()) }
            let counts = (0..<(Segment.count * 3)).map { -Int(lanes[4 * ($0 / 3) + 1 + $0 % 3].wrappedSum()) }
            return (counts, shoppers)
        }
        var counts = [Int](repeating: 0, count: Segment.count * 3)
        var shoppers = [Int](repeating: 0, count: Segment.count)
        for (c, n) in perChunk {
            for k in counts.indices { counts[k] += c[k] }
            for k in shoppers.indices { shoppers[k] += n[k] }
        }
        return Reach(counts: counts, shoppers: shoppers)
    }
}
