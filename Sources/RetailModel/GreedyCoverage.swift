/// Greedy maximum coverage: picks sites one at a time, each the candidate with
/// the most shoppers not yet covered within the radius, and marks them covered.
/// Used by both retailers' network strategies (same-day sites, hubs).
struct GreedyCoverage {
    let shoppers: Shoppers
    let grid: ShopperGrid
    let threads: Int

    /// Uncovered shoppers within `radiusKm` of each candidate.
    func uncoveredCounts(candidates: [Point], radiusKm: Float, flag: ShopperFlags) -> [Int] {
        let s = shoppers, g = grid, bit = flag.rawValue
        return Parallel.map(candidates.count, threads: threads) { c in
            var n = 0
            g.forEach(within: radiusKm, of: candidates[c], in: s) { i in
                if s.flags[i] & bit == 0 { n += 1 }
            }
            return n
        }
    }

    /// Chooses up to `count` of the `available` candidates, marking covered
    /// shoppers with `flag` as it goes. Stops early when no candidate would cover
    /// anyone new. Ties go to the lower index, so the choice is deterministic.
    func choose(count: Int, candidates: [Point], available: [Bool], radiusKm: Float, flag: ShopperFlags,
                widthKm: Double, heightKm: Double) -> [Int] {
        guard count > 0, !candidates.isEmpty else { return [] }
        var counts = uncoveredCounts(candidates: candidates, radiusKm: radiusKm, flag: flag)
        var open = available
        let index = FacilityIndex(points: candidates, widthKm: widthKm, heightKm: heightKm, cellKm: max(radiusKm, 10))
        var chosen: [Int] = []
        while chosen.count < count {
            var best = -1
            for c in counts.indices where open[c] && (best < 0 || counts[c] > counts[best]) { best = c }
            guard best >= 0, counts[best] > 0 else { break }
            chosen.append(best)
            open[best] = false
            grid.forEach(within: radiusKm, of: candidates[best], in: shoppers) { i in
                shoppers.flags[i] |= flag.rawValue
            }
            // Only candidates within two radii share shoppers with the one chosen.
            index.forEach(within: 2 * radiusKm, of: candidates[best]) { c, _ in
                guard open[c] else { return }
                var n = 0
                grid.forEach(within: radiusKm, of: candidates[c], in: shoppers) { i in
                    if shoppers.flags[i] & flag.rawValue == 0 { n += 1 }
                }
                counts[c] = n
            }
        }
        return chosen
    }
}
