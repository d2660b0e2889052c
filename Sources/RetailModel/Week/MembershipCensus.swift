/// Who holds which membership, counted in one pass over the households: by
/// segment (for the weekly record) and by community (for word of mouth).
/// Memberships change only at the monthly step, so one census serves the
/// month's records and the next month's local shares.
struct MembershipCensus: Sendable, Codable {
    /// Members by segment and programme: `bySegment[segment * 2 + programme]`.
    let bySegment: [Int]
    /// Per community (each city, then all rural households): households, Prime-like
    /// members, Walmart+-like members, at `byCommunity[community * 3 + k]`.
    let byCommunity: [Int]
    /// Members of both programmes.
    let both: Int

    init(shoppers s: Households, communities: Int, chunks: Int, threads: Int) {
        let width = Segment.count * Programme.count
        // Counts are whole numbers, so any grouping gives the same sums: blocks
        // of 64 chunks keep the per-block tables few (thousands of counties).
        let blockChunks = 64
        let perChunk = Parallel.map((chunks + blockChunks - 1) / blockChunks, threads: threads) { b in
            var segments = [Int](repeating: 0, count: width)
            var places = [Int](repeating: 0, count: communities * 3)
            var both = 0
            let first = Parallel.range(ofChunk: b * blockChunks, shoppers: s.count).lowerBound
            let last = Parallel.range(ofChunk: min(chunks, (b + 1) * blockChunks) - 1, shoppers: s.count).upperBound
            let flags = s.flags.baseAddress!, segment = s.segment.baseAddress!, community = s.community.baseAddress!
            // Plain pointers: no uniqueness or bounds checks in the loop.
            segments.withUnsafeMutableBufferPointer { bySegment in
                places.withUnsafeMutableBufferPointer { byPlace in
                    let seg = bySegment.baseAddress!, place = byPlace.baseAddress!
                    for i in first..<last {
                        let f = Int(flags[i])
                        let prime = f & Int(HouseholdFlags.prime.rawValue), plus = (f &>> 1) & 1
                        let g = Int(segment[i]) &* Programme.count, p = Int(community[i]) &* 3
                        seg[g] &+= prime
                        seg[g &+ 1] &+= plus
                        place[p] &+= 1
                        place[p &+ 1] &+= prime
                        place[p &+ 2] &+= plus
                        both &+= prime & plus
                    }
                }
            }
            return (segments, places, both)
        }
        var segments = [Int](repeating: 0, count: width)
        var places = [Int](repeating: 0, count: communities * 3)
        var both = 0
        for (chunkSegments, chunkPlaces, chunkBoth) in perChunk {
            both += chunkBoth
            for k in segments.indices { segments[k] += chunkSegments[k] }
            for k in places.indices { places[k] += chunkPlaces[k] }
        }
        bySegment = segments
        byCommunity = places
        self.both = both
    }

    /// Member share of each community and programme, `[community * 2 + programme]`;
    /// with `.population` scope every community gets the whole population's
    /// share. With `.others`, what a non-member (who alone reads it, to
    /// join) can expect of its neighbours: its community's members over its
    /// other households, shrunk toward the population's share as a
    /// beta-binomial's empirical Bayes estimate (docs/MODEL.md section 6).
    func localShares(scope: LocalScope) -> [Double] {
        let communities = byCommunity.count / 3
        var shares = [Double](repeating: 0, count: communities * Programme.count)
        func count(_ k: Int) -> Int { (0..<communities).reduce(0) { $0 + byCommunity[$1 * 3 + k] } }
        let total = Double(count(0))
        for p in 0..<Programme.count {
            let population = Double(count(1 + p)) / total
            let prior = scope == .others ? priorHouseholds(programme: p, share: population) : 0
            for c in 0..<communities {
                let households = byCommunity[c * 3], members = Double(byCommunity[c * 3 + 1 + p])
                switch scope {
                case .city: shares[c * 2 + p] = households > 0 ? members / Double(households) : 0
                case .population: shares[c * 2 + p] = population
                case .others:
                    let others = Double(max(households - 1, 0))
                    shares[c * 2 + p] = others + prior > 0 && prior.isFinite ? min(1, (members + prior * population) / (others + prior)) : population
                }
            }
        }
        return shares
    }

    /// How many households' worth of the population's share a community's
    /// own count is weighed against: kappa = s(1 - s) / tau^2 - 1 of a beta
    /// prior whose spread tau^2 across communities is estimated by moments,
    /// the spread of the communities' shares less what their sizes alone
    /// would give (infinite when the communities differ by no more than
    /// chance: every community then reads the population's share).
    private func priorHouseholds(programme p: Int, share: Double) -> Double {
        let communities = byCommunity.count / 3
        var n = 0.0, squares = 0.0, spread = 0.0, places = 0.0
        for c in 0..<communities where byCommunity[c * 3] > 0 {
            let households = Double(byCommunity[c * 3]), gap = Double(byCommunity[c * 3 + 1 + p]) / households - share
            n += households
            squares += households * households
            spread += households * gap * gap
            places += 1
        }
        let binomial = share * (1 - share)
        let tau2 = (spread - (places - 1) * binomial) / (n - squares / n)
        guard tau2 > 0, binomial > 0 else { return .infinity }
        return max(0, binomial / tau2 - 1)
    }
}
