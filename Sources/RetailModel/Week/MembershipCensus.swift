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
    /// with `.population` scope every community gets the whole population's share.
    func localShares(scope: LocalScope) -> [Double] {
        let communities = byCommunity.count / 3
        var shares = [Double](repeating: 0, count: communities * Programme.count)
        switch scope {
        case .city:
            for c in 0..<communities where byCommunity[c * 3] > 0 {
                shares[c * 2] = Double(byCommunity[c * 3 + 1]) / Double(byCommunity[c * 3])
                shares[c * 2 + 1] = Double(byCommunity[c * 3 + 2]) / Double(byCommunity[c * 3])
            }
        case .population:
            let total = Double((0..<communities).reduce(0) { $0 + byCommunity[$1 * 3] })
            let prime = Double((0..<communities).reduce(0) { $0 + byCommunity[$1 * 3 + 1] }) / total
            let plus = Double((0..<communities).reduce(0) { $0 + byCommunity[$1 * 3 + 2] }) / total
            for c in 0..<communities {
                shares[c * 2] = prime
                shares[c * 2 + 1] = plus
            }
        }
        return shares
    }
}
