import RetailStats

/// Where each strategy wins (docs/GEOGRAPHY.md section 5): expected spend by
/// option and memberships per state, per density class and per income class,
/// measured once at the end of a replicate from every household's choice
/// probabilities (no draws, so nothing is added to the weekly loop), and the
/// Walmart-like hub reach at the published points of the delivery path.
///
/// Groups are laid out as: the states in the regions file's order (none in
/// the synthetic country), then urban, suburban, rural, then incomes at or
/// below and above $50,000 (real country only), then the distance bands
/// around each place of the market's facility changes (kind "band").
public struct RegionOutcome: Sendable, Equatable, Codable {
    /// Group names: state codes, then "urban", "suburban", "rural", then "income<=50k", "income>50k".
    public let names: [String]
    /// What kind each group is: "state", "density" or "income".
    public let kinds: [String]
    /// Simulated households in each group.
    public var households: [Double]
    /// Expected spend a week, simulated scale, `spend[group * Option.count + option]`.
    public var spend: [Double]
    /// The part of `spend` that is grocery, laid out alike (all 0 without the category).
    public var grocerySpend: [Double]
    /// Members, `members[group * 2 + programme]`.
    public var members: [Double]
    /// Hub reach of the network at published dates of the delivery path:
    /// label, delivery stores, share of households inside an express radius.
    public var hubReachPath: [HubReachPoint]
    /// Households a delivering store serves within the delivery window now,
    /// its slots' wait included (reach as service), over all households.
    public var hubService: Double = 0

    public var groupCount: Int { names.count }

    public func spendShare(_ group: Int, _ option: Option) -> Double {
        ratio(spendOf(group, [option]), of: spendOf(group, Option.allCases))
    }

    /// Share of a group's spend that is online (A, WO, OO, WP).
    public func onlineShare(_ group: Int) -> Double {
        Option.online.reduce(0) { $0 + spendShare(group, $1) }
    }

    /// Grocery's share of a group's spend.
    public func groceryShare(_ group: Int) -> Double {
        ratio(groceryOf(group, Option.allCases), of: spendOf(group, Option.allCases))
    }

    /// The share of a group's grocery spend that goes to `options`
    /// (`Option.online`: online grocery's share; the Walmart-like options: Walmart's).
    public func shareOfGrocery(_ group: Int, _ options: [Option]) -> Double {
        ratio(groceryOf(group, options), of: groceryOf(group, Option.allCases))
    }

    private func spendOf(_ group: Int, _ options: [Option]) -> Double { options.reduce(0) { $0 + spend[group * Option.count + $1.rawValue] } }
    private func groceryOf(_ group: Int, _ options: [Option]) -> Double { options.reduce(0) { $0 + grocerySpend[group * Option.count + $1.rawValue] } }
    private func ratio(_ x: Double, of total: Double) -> Double { total > 0 ? x / total : 0 }

    public func memberShare(_ group: Int, _ programme: Programme) -> Double {
        households[group] > 0 ? members[group * Programme.count + programme.rawValue] / households[group] : 0
    }

    /// The index of a named group, if present.
    public func group(_ name: String) -> Int? { names.firstIndex(of: name) }
}

/// Hub reach with the first `deliveryStores` stores of the delivery path.
public struct HubReachPoint: Sendable, Equatable, Codable {
    public let label: String
    public let deliveryStores: Int
    public let share: Double
}

extension Market {
    /// The region outcome at the current state (prices, memberships, habits).
    public func measureRegions() -> RegionOutcome {
        let s = shoppers, ctx = choiceContext
        let us = geography.us
        let states = us?.regions.states ?? []
        let stateOfCounty = us?.stateOfCounty ?? []
        let fixedGroups = states.count + Segment.count + (us != nil ? 2 : 0)
        let stride = 1 + 2 * Option.count + Programme.count
        let width = fixedGroups * stride
        let classes = Segment.count + (us != nil ? 2 : 0)
        let classGroup = states.count
        // Blocks of 64 chunks, summed in chunk order within and in block order
        // after: the same sums for any thread count.
        let blockChunks = 64
        let blocks = (chunkCount + blockChunks - 1) / blockChunks
        let chunks = chunkCount
        let parts = Parallel.map(blocks, threads: threads) { b -> [Double] in
            var sums = [Double](repeating: 0, count: width)
            // Density and income classes in lanes, a class a mask; states a household at a time.
            var inClass = [ClassLanes](repeating: ClassLanes(), count: classes)
            for c in (b * blockChunks)..<min(chunks, (b + 1) * blockChunks) {
                forEachVector(of: s, in: Parallel.range(ofChunk: c, shoppers: s.count)) { columns, k, live in
                    let f = HouseholdLanes.load(columns.flags, k)
                    let (all, groceries) = ctx.expectedSpend(columns, k, flags: f)
                    let segment = HouseholdLanes.load(columns.segment, k)
                    let rich = has(f, .incomeAbove50k)
                    for n in 0..<classes {
                        let member = n < Segment.count ? equal(segment, splat(Int32(n))) : (n == Segment.count ? ~rich : rich)
                        inClass[n].add(member & live, flags: f, spend: all, grocery: groceries)
                    }
                    guard us != nil else { return }
                    for j in 0..<Lanes.scalarCount where live[j] != 0 {
                        addLane(j, to: &sums, at: Int(stateOfCounty[Int(columns.community[k + j])]) * stride, spend: all, grocery: groceries, flags: f)
                    }
                }
            }
            for n in 0..<classes { inClass[n].total(into: &sums, at: (classGroup + n) * stride) }
            return sums
        }
        var sums = [Double](repeating: 0, count: width)
        for part in parts { for k in 0..<width { sums[k] += part[k] } }
        var names = states, kinds = states.map { _ in "state" }
        names += Segment.allCases.map(\.name)
        kinds += Segment.allCases.map { _ in "density" }
        if us != nil {
            names += ["income<=50k", "income>50k"]
            kinds += ["income", "income"]
        }
        // The distance bands around each place of the interventions, after the rest.
        for (n, change) in facilityChanges.enumerated() {
            sums += measureBands(around: change.point, stride: stride)
            for b in 0..<FacilityChange.bandCount {
                names.append("place \(n + 1) at \(FacilityChange.bandName(b))")
                kinds.append("band")
            }
        }
        return RegionOutcome(sums: sums, of: Array(names.indices), names: names, kinds: kinds, hubReachPath: hubReachPath, hubService: hubServiceShare)
    }

    /// Each ZCTA's outcome at the current state, groups as `measureRegions`'
    /// (kind "zcta", named by the ZCTA's code) for the ZCTAs where at least
    /// one simulated household lives, in the regions file's order; nil in
    /// the synthetic country. `zctas` gives each group's row of the regions file.
    public func measureZCTAs() throws -> (outcome: RegionOutcome, zctas: [Int])? {
        guard let us = geography.us, let region = try householdRegions() else { return nil }
        let s = shoppers, ctx = choiceContext, count = us.regions.count
        let stride = 1 + 2 * Option.count + Programme.count
        // At most 16 blocks of chunks (each sums a row for every ZCTA), summed
        // in chunk order within and in block order after: the same for any thread count.
        let chunks = chunkCount, blockChunks = max(64, (chunks + 15) / 16)
        let blocks = (chunks + blockChunks - 1) / blockChunks
        let parts = Parallel.map(blocks, threads: threads) { b -> [Double] in
            var sums = [Double](repeating: 0, count: count * stride)
            for c in (b * blockChunks)..<min(chunks, (b + 1) * blockChunks) {
                addHouseholds(of: s, in: Parallel.range(ofChunk: c, shoppers: s.count), context: ctx, to: &sums, stride: stride) { Int(region[$0]) }
            }
            return sums
        }
        var sums = [Double](repeating: 0, count: count * stride)
        for part in parts { for k in sums.indices { sums[k] += part[k] } }
        let lived = (0..<count).filter { sums[$0 * stride] > 0 }
        let outcome = RegionOutcome(sums: sums, of: lived, names: lived.map { us.regions.codes[$0] }, kinds: lived.map { _ in "zcta" },
                                    hubReachPath: [], hubService: hubServiceShare)
        return (outcome, lived)
    }
}

extension Market {
    /// Each household's ZCTA (its row of the regions file), in the
    /// households' order; nil in the synthetic country (`Settlement.regions`).
    package func householdRegions() throws -> [Int32]? {
        try Settlement.regions(parameters: parameters, geography: geography, seed: seed, replicate: replicate, threads: threads)
    }
}

extension RegionOutcome {
    /// The groups `groups` of `sums`, laid out as `measureRegions` sums them.
    init(sums: [Double], of groups: [Int], names: [String], kinds: [String], hubReachPath: [HubReachPoint], hubService: Double) {
        let stride = 1 + 2 * Option.count + Programme.count
        self.init(names: names, kinds: kinds,
                  households: groups.map { sums[$0 * stride] },
                  spend: groups.flatMap { g in (0..<Option.count).map { sums[g * stride + 1 + $0] } },
                  grocerySpend: groups.flatMap { g in (0..<Option.count).map { sums[g * stride + 1 + Option.count + Programme.count + $0] } },
                  members: groups.flatMap { g in (0..<Programme.count).map { sums[g * stride + 1 + Option.count + $0] } },
                  hubReachPath: hubReachPath, hubService: hubService)
    }
}

extension Market {
    /// `measureRegions`' sums for the distance bands around `place`
    /// (`FacilityChange.bandEdgesKm`), a band after another: only the cells
    /// within the outer edge are read, a row of cells a task, summed in row order.
    func measureBands(around place: Point, stride: Int) -> [Double] {
        let s = shoppers, ctx = choiceContext, grid = grid
        let edges = FacilityChange.bandEdgesKm, bands = FacilityChange.bandCount
        let outer = edges[bands]
        let x0 = max(Int((place.x - outer) / grid.cellKm), 0), x1 = min(Int((place.x + outer) / grid.cellKm), grid.columns - 1)
        let y0 = max(Int((place.y - outer) / grid.cellKm), 0), y1 = min(Int((place.y + outer) / grid.cellKm), grid.rows - 1)
        guard x0 <= x1, y0 <= y1 else { return [Double](repeating: 0, count: bands * stride) }
        let rows = Parallel.map(y1 - y0 + 1, threads: threads) { r -> [Double] in
            var sums = [Double](repeating: 0, count: bands * stride)
            for gx in x0...x1 {
                let c = (y0 + r) * grid.columns + gx
                let range = grid.start[c]..<grid.start[c + 1]
                guard !range.isEmpty else { continue }
                addHouseholds(of: s, in: range, context: ctx, to: &sums, stride: stride) { i in
                    let q = grid.position(cell: c, offsetX: s.offsetX[i], offsetY: s.offsetY[i])
                    let dx = q.x - place.x, dy = q.y - place.y
                    let km = (dx * dx + dy * dy).squareRoot()
                    guard km < outer else { return nil }
                    return (1...bands).first(where: { km < edges[$0] }).map({ $0 - 1 })
                }
            }
            return sums
        }
        var sums = [Double](repeating: 0, count: bands * stride)
        for row in rows { for k in sums.indices { sums[k] += row[k] } }
        return sums
    }
}

/// Adds each live household i of `range` (its expected spend and memberships)
/// to `sums` at the row of its group `group(i)` (nil: none), in `measureRegions`' layout.
@inline(__always)
private func addHouseholds(of s: Households, in range: Range<Int>, context ctx: ChoiceContext, to sums: inout [Double], stride: Int,
                           group: (Int) -> Int?) {
    var first = range.lowerBound
    forEachVector(of: s, in: range) { columns, k, live in
        defer { first += RandomLanes.width }
        let f = HouseholdLanes.load(columns.flags, k)
        let (all, groceries) = ctx.expectedSpend(columns, k, flags: f)
        for j in 0..<Lanes.scalarCount where live[j] != 0 {
            if let g = group(first + j) { addLane(j, to: &sums, at: g * stride, spend: all, grocery: groceries, flags: f) }
        }
    }
}

/// Adds household lane `j` (one household, its spend and grocery spend by
/// option, its memberships) to `sums` at `base`, in `measureRegions`' layout.
@inline(__always)
private func addLane(_ j: Int, to sums: inout [Double], at base: Int, spend all: PerOption<Lanes>, grocery: PerOption<Lanes>, flags f: LaneInts) {
    sums[base] += 1
    for o in Option.allCases {
        sums[base + 1 + o.rawValue] += Double(all[o][j])
        sums[base + 1 + Option.count + Programme.count + o.rawValue] += Double(grocery[o][j])
    }
    sums[base + 1 + Option.count] += f[j] & Int32(HouseholdFlags.prime.rawValue) != 0 ? 1 : 0
    sums[base + 2 + Option.count] += f[j] & Int32(HouseholdFlags.plus.rawValue) != 0 ? 1 : 0
}

extension ChoiceContext {
    /// Expected spend a week of each option for the households of the vector
    /// at `k`, and the part of it that is grocery: a trip of each category
    /// weighted by its chance, at this week's prices (no draws).
    @inline(__always)
    func expectedSpend(_ columns: HouseholdLanes, _ k: Int, flags f: LaneInts) -> (all: PerOption<Lanes>, grocery: PerOption<Lanes>) {
        let volume = HouseholdLanes.load(columns.tripRate, k) * HouseholdLanes.load(columns.basket, k)
        var all = PerOption(repeating: Lanes()), groceries = PerOption(repeating: Lanes())
        let terms = householdTerms(columns, k)
        forEachCategory { trip, isGrocery, weight in
            let logit = LogitWeights(utilities(terms, flags: f, trip: trip), nests: nests)
            let perWeight = weight * volume / logit.total
            for o in Option.allCases {
                let dollars = logit.weights[o] * perWeight * prices[o]
                all[o] += dollars
                if isGrocery { groceries[o] += dollars }
            }
        }
        return (all, groceries)
    }
}

/// One density or income class's sums over a block in lanes, a household a
/// lane where its mask is set: counts in integers, dollars in double
/// precision, summed over the lanes in lane order at the end.
private struct ClassLanes {
    var households = LaneInts(), prime = LaneInts(), plus = LaneInts()
    var spend = PerOption<WideLanes>.zero, grocery = PerOption<WideLanes>.zero

    @inline(__always)
    mutating func add(_ m: LaneMask, flags f: LaneInts, spend s: PerOption<Lanes>, grocery g: PerOption<Lanes>) {
        households &-= m
        prime &-= m & has(f, .prime)
        plus &-= m & has(f, .plus)
        for o in Option.allCases {
            spend[o] += widen(keep(m, s[o]))
            grocery[o] += widen(keep(m, g[o]))
        }
    }

    /// Adds the sums to `sums` in `measureRegions`' layout from `base`.
    func total(into sums: inout [Double], at base: Int) {
        for j in 0..<RandomLanes.width {
            sums[base] += Double(households[j])
            for o in Option.allCases {
                sums[base + 1 + o.rawValue] += spend[o][j]
                sums[base + 1 + Option.count + Programme.count + o.rawValue] += grocery[o][j]
            }
            sums[base + 1 + Option.count] += Double(prime[j])
            sums[base + 2 + Option.count] += Double(plus[j])
        }
    }
}
