import Foundation

/// Both retailers' networks in the real country, from published counts and
/// sited by rules, not by chance (docs/GEOGRAPHY.md section 4). Deterministic:
/// the same regions and parameters give the same network in every replicate.
public struct USNetwork: Sendable {
    /// Walmart-like stores: region sited at, and households served in its trade area.
    package let storeRegions: [Int]
    package let storeServed: [Double]
    /// Each store's format, when sited from published counts by format (else empty).
    public let storeFormats: [StoreFormat]
    /// Stores in the order they offer delivery: largest trade area first.
    package let deliveryOrder: [Int]
    /// Express radius of each store as a hub, km.
    public let hubRadiusKm: [Float]
    /// Fulfilment centres: projected point, state, latitude, longitude.
    public let fulfillment: [Site]
    /// Same-day sites at week 1, in the largest metros.
    public let sameDay: [Site]
    /// Metros by households, largest first: the order same-day reaches them.
    let metroOrder: [Int]
    let regionsOfMetro: [[Int]]
    /// Every region's point, indexed (the siting rules' catchments).
    let regionIndex: FacilityIndex
    /// Rural-programme candidates (rural regions, most households first).
    let ruralCandidates: [Site]

    public struct Site: Sendable, Equatable {
        public let point: Point
        public let state: String
        public let latitude: Double
        public let longitude: Double

        var label: Facilities.Label { Facilities.Label(state: state, latitude: latitude, longitude: longitude) }
    }

    /// Published fulfilment centres by state (BigRentz via DC Velocity, 2021-22);
    /// the states that had none are 0; the rest share what is left by population.
    static let fulfillmentByState: [String: Int] = ["CA": 35, "TX": 28, "NJ": 17, "AK": 0, "HI": 0, "ME": 0, "NH": 0, "VT": 0]
    /// Rural-programme candidates kept (the largest rural places): bounds the
    /// greedy search's cost at full scale.
    static let ruralCandidateCount = 2000

    public init(us: USGeography, parameters p: ModelParameters) {
        let r = us.regions
        let n = r.count
        let speed = p.choice.travelSpeedKmh
        let index = FacilityIndex(points: (0..<n).map(us.point), widthKm: us.widthKm, heightKm: us.heightKm, cellKm: 20)
        let states = r.states.count
        var regionsOfState = [[Int]](repeating: [], count: states)
        for i in 0..<n { regionsOfState[Int(r.state[i])].append(i) }
        let peopleOfState = regionsOfState.map { $0.reduce(0) { $0 + r.people[$1] } }

        // Stores: `walmart.network.stores` shared among states by population
        // (at least one a state with households) or by the published counts
        // (exactly them at the table's total), sited state by state.
        let published = p.walmart.network.siting == .published ? us.stores : nil
        let rowOfState = r.states.map { published?.row(of: $0) }
        let storeCounts = published == nil
            ? USNetwork.apportion(p.walmart.network.stores, weights: peopleOfState, minimumOne: regionsOfState.map { rs in
                rs.contains { r.households[$0] > 0 }
            })
            : USNetwork.apportion(p.walmart.network.stores, weights: rowOfState.map { Double($0?.total ?? 0) },
                                  minimumOne: rowOfState.map { _ in false })
        var storeRegions: [Int] = [], storeServed: [Double] = [], storeFormats: [StoreFormat] = []
        for s in 0..<states where storeCounts[s] > 0 {
            let members = regionsOfState[s]
            let catchment = USNetwork.catchments(members, index: index, us: us) { Float(speed[us.segment[$0]] * p.walmart.network.tradeAreaMinutes / 60) }
            let demand = members.map { r.households[$0] }
            let capacity = demand.reduce(0, +) / Double(storeCounts[s])
            let picks = Siting.greedy(demand: demand, catchment: catchment, count: storeCounts[s], capacity: capacity)
            for pick in picks {
                storeRegions.append(members[pick.candidate])
                storeServed.append(pick.served)
            }
            if published != nil {
                // (A state without a row has no weight, so no stores; supercenters keep the columns aligned if rounding gave it one.)
                let row = rowOfState[s] ?? StoreMap.Row(state: r.states[s], supercenters: 1, discountStores: 0, neighborhoodMarkets: 0)
                storeFormats += USNetwork.formats(of: picks.map { members[$0.candidate] }, served: picks.map(\.served), row: row, regions: r)
            }
        }
        self.storeRegions = storeRegions
        self.storeServed = storeServed
        self.storeFormats = storeFormats
        deliveryOrder = storeRegions.indices.sorted { storeServed[$0] != storeServed[$1] ? storeServed[$0] > storeServed[$1] : $0 < $1 }
        let driveHours = max(0, p.walmart.network.deliveryWindowHours - p.walmart.network.pickingHours)
        hubRadiusKm = storeRegions.map { Float(speed[us.segment[$0]] * driveHours) }

        fulfillment = USNetwork.fulfillment(count: p.amazon.network.fulfillmentCenters, us: us, parameters: p)

        // Same-day: the largest metros by households, each covered to
        // `sameDayMetroCoverage` by greedy coverage (at most 10 sites a metro).
        var regionsOfMetro = [[Int]](repeating: [], count: r.metros.count)
        for i in 0..<n where r.metro[i] >= 0 { regionsOfMetro[Int(r.metro[i])].append(i) }
        let metroHouseholds = regionsOfMetro.map { $0.reduce(0) { $0 + r.households[$1] } }
        metroOrder = metroHouseholds.indices.sorted { metroHouseholds[$0] != metroHouseholds[$1] ? metroHouseholds[$0] > metroHouseholds[$1] : $0 < $1 }
        self.regionsOfMetro = regionsOfMetro
        regionIndex = index
        let metros = metroOrder.prefix(p.amazon.network.sameDayMetros)
        var inSameDayMetro = [Bool](repeating: false, count: n)
        for m in metros { for i in regionsOfMetro[m] { inSameDayMetro[i] = true } }
        sameDay = USNetwork.sameDaySites(of: Array(metros), regionsOfMetro: regionsOfMetro, index: index, us: us, parameters: p)

        // The rural programme's candidates: rural places outside the same-day metros.
        let rural = (0..<n).filter { us.segment[$0] == .rural && !inSameDayMetro[$0] && r.households[$0] > 0 }
            .sorted { r.households[$0] != r.households[$1] ? r.households[$0] > r.households[$1] : $0 < $1 }
            .prefix(USNetwork.ruralCandidateCount)
        ruralCandidates = rural.map { i in
            Site(point: us.point(i), state: r.states[Int(r.state[i])], latitude: r.latitude[i], longitude: r.longitude[i])
        }
    }

    /// The same-day sites of the metros at `metros` of the metro order
    /// (largest first): each covered to `sameDayMetroCoverage` by greedy
    /// coverage, at most 10 sites a metro. A metro's sites do not depend on
    /// the others', so the network of k metros is the first k's.
    func sameDaySites(metros: Range<Int>, us: USGeography, parameters p: ModelParameters) -> [Site] {
        USNetwork.sameDaySites(of: Array(metroOrder[metros.clamped(to: metroOrder.indices)]), regionsOfMetro: regionsOfMetro,
                               index: regionIndex, us: us, parameters: p)
    }

    private static func sameDaySites(of metros: [Int], regionsOfMetro: [[Int]], index: FacilityIndex, us: USGeography,
                                     parameters p: ModelParameters) -> [Site] {
        let r = us.regions
        var sites: [Site] = []
        for m in metros {
            let members = regionsOfMetro[m]
            let catchment = USNetwork.catchments(members, index: index, us: us) { _ in Float(p.amazon.sameDayRadiusKm) }
            let demand = members.map { r.households[$0] }
            let goal = p.amazon.network.sameDayMetroCoverage * demand.reduce(0, +)
            var covered = 0.0
            for pick in Siting.greedy(demand: demand, catchment: catchment, count: 10, capacity: .infinity) {
                let i = members[pick.candidate]
                sites.append(Site(point: us.point(i), state: r.states[Int(r.state[i])], latitude: r.latitude[i], longitude: r.longitude[i]))
                covered += pick.served
                if covered >= goal { break }
            }
        }
        return sites
    }

    /// For each of `members`, the members within `radius(i)` of it (by
    /// position in `members`; itself when none): the siting rule's catchments.
    static func catchments(_ members: [Int], index: FacilityIndex, us: USGeography, radius: (Int) -> Float) -> [[Int32]] {
        var local = [Int: Int32]()
        for (k, i) in members.enumerated() { local[i] = Int32(k) }
        return members.map { i in
            var ids: [Int32] = []
            index.forEach(within: radius(i), of: us.point(i)) { j, _ in if let k = local[j] { ids.append(k) } }
            return ids.isEmpty ? [local[i]!] : ids.sorted()
        }
    }

    /// `count` fulfilment centres: the published state counts (each at most
    /// `count`), the rest shared by population; sited on county demand points
    /// by the stores' rule, next-day radius. Each count is sited afresh, so
    /// a network of more centres need not hold a smaller one's.
    static func fulfillment(count: Int, us: USGeography, parameters p: ModelParameters) -> [Site] {
        let r = us.regions
        let states = r.states.count
        var peopleOfState = [Double](repeating: 0, count: states)
        for i in 0..<r.count { peopleOfState[Int(r.state[i])] += r.people[i] }
        var fixed = [Int](repeating: -1, count: states)
        for (s, code) in r.states.enumerated() { if let k = USNetwork.fulfillmentByState[code] { fixed[s] = k } }
        let fixedTotal = fixed.filter { $0 > 0 }.reduce(0, +)
        let rest = USNetwork.apportion(max(0, count - fixedTotal),
                                       weights: (0..<states).map { fixed[$0] < 0 ? peopleOfState[$0] : 0 },
                                       minimumOne: (0..<states).map { fixed[$0] < 0 && peopleOfState[$0] > 0 })
        let fcCounts = (0..<states).map { fixed[$0] >= 0 ? min(fixed[$0], count) : rest[$0] }
        let counties = us.counties
        var fulfillment: [Site] = []
        for s in 0..<states where fcCounts[s] > 0 {
            let members = counties.indices.filter { counties[$0].state == UInt8(s) && counties[$0].households > 0 }
            guard !members.isEmpty else { continue }
            let radius = Float(p.amazon.nextDayRadiusKm)
            let catchment: [[Int32]] = members.map { a in
                members.indices.filter { counties[members[$0]].point.distance(to: counties[a].point) <= radius }.map { Int32($0) }
            }
            let demand = members.map { counties[$0].households }
            let capacity = demand.reduce(0, +) / Double(fcCounts[s])
            for pick in Siting.greedy(demand: demand, catchment: catchment, count: fcCounts[s], capacity: capacity) {
                let c = counties[members[pick.candidate]]
                fulfillment.append(Site(point: c.point, state: r.states[s], latitude: c.latitude, longitude: c.longitude))
            }
        }
        return fulfillment
    }

    /// A state's sited stores' formats, in the order sited: the state's
    /// count shared among the published formats; neighbourhood markets, an
    /// urban grocery format, take the densest sites (households a square
    /// mile of the store's region), discount stores, the older small
    /// general-merchandise format, the fewest households served of the
    /// rest, supercenters the others. A labelling rule, decided here.
    static func formats(of sites: [Int], served: [Double], row: StoreMap.Row, regions r: RegionTable) -> [StoreFormat] {
        let counts = apportion(sites.count, weights: [Double(row.supercenters), Double(row.discountStores), Double(row.neighborhoodMarkets)],
                               minimumOne: [false, false, false])
        var formats = [StoreFormat](repeating: .supercenter, count: sites.count)
        func density(_ k: Int) -> Double { r.households[sites[k]] / max(r.landSqMi[sites[k]], 1e-9) }
        let byDensity = sites.indices.sorted { density($0) != density($1) ? density($0) > density($1) : $0 < $1 }
        for k in byDensity.prefix(counts[2]) { formats[k] = .neighborhoodMarket }
        let rest = sites.indices.filter { formats[$0] == .supercenter }.sorted { served[$0] != served[$1] ? served[$0] < served[$1] : $0 < $1 }
        for k in rest.prefix(counts[1]) { formats[k] = .discountStore }
        return formats
    }

    /// `total` shared in proportion to `weights` by largest remainders, with
    /// at least one for each `minimumOne` (when the total allows).
    static func apportion(_ total: Int, weights: [Double], minimumOne: [Bool]) -> [Int] {
        var counts = [Int](repeating: 0, count: weights.count)
        let floor = minimumOne.filter { $0 }.count <= total ? minimumOne : minimumOne.map { _ in false }
        for k in counts.indices where floor[k] { counts[k] = 1 }
        let left = total - counts.reduce(0, +)
        let sum = weights.reduce(0, +)
        guard left > 0, sum > 0 else { return counts }
        let quotas = weights.map { Double(left) * $0 / sum }
        for k in counts.indices { counts[k] += Int(quotas[k].rounded(.down)) }
        let remaining = total - counts.reduce(0, +)
        let order = counts.indices.sorted {
            let a = quotas[$0] - quotas[$0].rounded(.down), b = quotas[$1] - quotas[$1].rounded(.down)
            return a != b ? a > b : $0 < $1
        }
        for k in order.prefix(remaining) { counts[k] += 1 }
        return counts
    }
}

extension USNetwork {
    /// The network for these regions and parameters, built once per process:
    /// it is the same in every replicate, and calibration builds many markets.
    public static func shared(us: USGeography, parameters p: ModelParameters) -> USNetwork {
        let key = NetworkKey(regions: us.regions, storeMap: us.stores, parameters: p)
        cacheLock.lock()
        if let hit = cache[key] {
            cacheLock.unlock()
            return hit
        }
        cacheLock.unlock()
        let network = USNetwork(us: us, parameters: p)
        cacheLock.lock()
        if cache.count >= 16 { cache.removeAll() }
        cache[key] = network
        cacheLock.unlock()
        return network
    }

    /// Everything the network depends on.
    struct NetworkKey: Hashable {
        let geography: String, walmart: String, amazon: String, speeds: [Double], stores: String

        /// The regions by their content, not their path (a file edited in place is another network).
        init(regions: RegionTable, storeMap: StoreMap?, parameters p: ModelParameters) {
            let g = p.geography, w = p.walmart.network, a = p.amazon.network
            geography = "\(regions.digest)|\(regions.count)|\(g.urbanHouseholdsPerSqMi)|\(g.ruralHouseholdsPerSqMi)"
            walmart = "\(w.stores)|\(w.tradeAreaMinutes)|\(w.deliveryWindowHours)|\(w.pickingHours)"
            amazon = "\(a.fulfillmentCenters)|\(a.sameDayMetros)|\(a.sameDayMetroCoverage)|\(p.amazon.nextDayRadiusKm)|\(p.amazon.sameDayRadiusKm)"
            speeds = [p.choice.travelSpeedKmh.urban, p.choice.travelSpeedKmh.suburban, p.choice.travelSpeedKmh.rural]
            stores = w.siting == .published ? "\(storeMap?.digest ?? 0)|\(storeMap?.rows.count ?? 0)" : "population"
        }
    }

    nonisolated(unsafe) private static var cache: [NetworkKey: USNetwork] = [:]
    private static let cacheLock = NSLock()
}
