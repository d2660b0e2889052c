/// Greedy maximum coverage over a fixed set of candidate places: each pick is
/// the open candidate with the most households not yet covered within the
/// radius; its households are then marked covered. Used by both retailers'
/// network strategies (rural same-day sites, store-to-hub conversion).
///
/// Coverage changes only through these picks, so the uncovered counts are
/// computed once and afterwards refreshed only for candidates within two radii
/// of a pick (the only ones sharing households with it).
struct CoverageCandidates: Sendable, Codable {
    let points: [Point]
    private(set) var open: [Bool]
    let radiusKm: Float
    let flag: HouseholdFlags
    private let index: FacilityIndex
    private var counts: [Int]?

    init(points: [Point], open: [Bool], radiusKm: Float, flag: HouseholdFlags, widthKm: Double, heightKm: Double) {
        precondition(points.count == open.count)
        self.points = points
        self.open = open
        self.radiusKm = radiusKm
        self.flag = flag
        index = FacilityIndex(points: points, widthKm: widthKm, heightKm: heightKm, cellKm: max(radiusKm, 10))
    }

    /// Takes candidate `c` out of the choice (a store an intervention closed).
    mutating func close(_ c: Int) {
        open[c] = false
    }

    /// Uncovered households within the radius of candidate `c`.
    private func uncovered(_ c: Int, _ shoppers: Households, _ grid: HouseholdGrid) -> Int {
        var n = 0
        let bit = flag.rawValue
        grid.forEach(within: radiusKm, of: points[c], in: shoppers) { i in
            if shoppers.flags[i] & bit == 0 { n += 1 }
        }
        return n
    }

    /// Picks up to `count` candidates and marks their households covered. Stops
    /// early when no open candidate would cover anyone new. Ties go to the lower
    /// index, so the choice is deterministic.
    mutating func choose(count: Int, shoppers: Households, grid: HouseholdGrid, threads: Int) -> [Int] {
        guard count > 0, !points.isEmpty else { return [] }
        var counts = self.counts ?? {
            let me = self
            return Parallel.map(points.count, threads: threads) { c in me.open[c] ? me.uncovered(c, shoppers, grid) : 0 }
        }()
        var chosen: [Int] = []
        while chosen.count < count {
            var best = -1
            for c in counts.indices where open[c] && (best < 0 || counts[c] > counts[best]) { best = c }
            guard best >= 0, counts[best] > 0 else { break }
            chosen.append(best)
            open[best] = false
            grid.forEach(within: radiusKm, of: points[best], in: shoppers) { i in
                shoppers.flags[i] |= flag.rawValue
            }
            let me = self
            index.forEach(within: 2 * radiusKm, of: points[best]) { c, _ in
                if me.open[c] { counts[c] = me.uncovered(c, shoppers, grid) }
            }
        }
        self.counts = counts
        return chosen
    }
}
