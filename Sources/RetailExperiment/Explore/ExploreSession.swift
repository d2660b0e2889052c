import Foundation
import RetailModel

/// One live run for `retailsim explore`: a scenario's replicates advanced a
/// week at a time on request, each week reported as a snapshot, and the
/// whole run kept as `retailsim run` writes it (the same files, byte for
/// byte, for the same scenario and seed). The replicates advance in
/// lockstep, so the page can draw their band as the weeks arrive.
///
/// Thread-safe: every method takes the session's lock; a step runs on the
/// caller's thread (the server calls it off its event loop).
public final class ExploreSession: @unchecked Sendable {
    public let id: String
    public let scenario: Scenario
    /// The settings the page gave, as `path=value`, for the command that repeats the run.
    public let settings: [String]
    private let threads: Int
    private let lock = NSLock()
    private var markets: [Market] = []
    private var weeks: [[WeekRecord]] = []
    private var closed = false
    /// When the run was made, and whether a page has opened its stream (one may).
    public let created = Date()
    private var streamed = false
    /// Keeps of this run one at a time.
    private let keeping = NSLock()

    /// The scenario file the server was started with, if any.
    public let file: String?

    /// Loads the scenario exactly as `retailsim run [file] --set ...` would:
    /// the server's own assignments, then the page's `settings` (`path=value`,
    /// as `--set` takes them). A bad one throws the command line's error.
    public init(id: String, file: String?, assignments: [Assignment], settings: [String], threads: Int) throws {
        let page = try settings.map { try Scenario.commandLineAssignment($0) }
        let s = try Scenario.load(file: file, assignments: assignments + page)
        // Every replicate is built and advanced at once, in lockstep.
        try Replicates.checkMemory(s, marketsAtOnce: s.run.replicates)
        self.id = id
        self.file = file
        scenario = s
        self.settings = assignments.map { "\($0.path)=\($0.value.description)" } + settings
        self.threads = max(1, threads)
    }

    /// Weeks done (the same for every replicate).
    public var weeksDone: Int {
        lock.lock()
        defer { lock.unlock() }
        return weeks.first?.count ?? 0
    }

    public var isFinished: Bool { weeksDone >= scenario.run.weeks }

    /// Builds the replicates' worlds (set-up and burn-in) if not yet built.
    public func prepare() throws {
        lock.lock()
        defer { lock.unlock() }
        try prepareLocked()
    }

    private func prepareLocked() throws {
        guard markets.isEmpty else { return }
        markets = try (1...scenario.run.replicates).map { r in
            try scenario.market(replicate: r, threads: threads)
        }
        weeks = markets.map { _ in [] }
    }

    /// Advances every replicate one week and returns the week's snapshot; nil when the run is over.
    public func step() throws -> ExploreWeek? {
        lock.lock()
        defer { lock.unlock() }
        try prepareLocked()
        guard weeks[0].count < scenario.run.weeks else { return nil }
        for (r, market) in markets.enumerated() { weeks[r].append(market.advanceWeek()) }
        if weeks[0].count == scenario.run.weeks { closeLocked() }
        return ExploreWeek(records: weeks.map { $0.last! }, market: markets[0], shoppers: scenario.model.population.shoppers)
    }

    /// The last weeks' records attach each replicate's region outcome, as `Replicates.run` does.
    private func closeLocked() {
        guard !closed else { return }
        for (r, market) in markets.enumerated() where !weeks[r].isEmpty {
            weeks[r][weeks[r].count - 1].regions = market.measureRegions()
        }
        closed = true
    }

    public var isStreamed: Bool { lock.withLock { streamed } }

    /// Takes the run's one stream; false if a page has it already.
    public func claimStream() -> Bool {
        lock.withLock {
            defer { streamed = true }
            return !streamed
        }
    }

    /// Runs the remaining weeks at full speed and writes the run's folder as
    /// `retailsim run --out folder` would, in a new folder under `parent`:
    /// `explore-ID`, or `explore-ID-2`, `-3`, ... when that exists (another
    /// server's, an earlier session's, a planted link), made with mkdir(2) so
    /// that two writers never share one. Returns the folder.
    public func keep(in parent: String) throws -> String {
        keeping.lock()
        defer { keeping.unlock() }
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        var folder = ""
        for n in 1...10_000 {
            let candidate = (parent as NSString).appendingPathComponent("explore-\(id)" + (n > 1 ? "-\(n)" : ""))
            if mkdir(candidate, 0o755) == 0 {
                folder = candidate
                break
            }
            guard errno == EEXIST else {
                throw OutputError(path: candidate, problem: "cannot make the folder: \(String(cString: strerror(errno)))")
            }
        }
        guard !folder.isEmpty else { throw OutputError(path: parent, problem: "10,000 kept runs of run \(id) already; move some away") }
        do {
            try keep(to: folder)
        } catch {
            rmdir(folder)
            throw error
        }
        return folder
    }

    /// Writes the whole run into `folder`.
    public func keep(to folder: String) throws {
        while try step() != nil {}
        lock.lock()
        let result = RunResult(scenario: scenario, replicates: weeks, setupSeconds: 0, loopSeconds: 0)
        let market = markets.first
        lock.unlock()
        try OutputFolder.prepare(folder, source: "keep")
        try RunOutput.write(result, to: folder, alongside: try market.map { [try RunOutput.facilitiesFile($0, in: folder)] } ?? [])
    }

    /// The command that repeats this run.
    public func command(folder: String) -> String {
        (["retailsim", "run"] + (file.map { [$0] } ?? []) + settings.flatMap { ["--set", $0] } + ["--write-facilities", "--out", folder])
            .map(Self.shellWord).joined(separator: " ")
    }

    /// `word` as one word for a POSIX shell: as it is when it holds only safe
    /// characters, else in single quotes with each ' written '\\''.
    static func shellWord(_ word: String) -> String {
        let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:,+-@%")
        if !word.isEmpty && word.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The map of replicate 1 now: regions by county and every facility.
    public func map() throws -> ExploreMap {
        lock.lock()
        defer { lock.unlock() }
        try prepareLocked()
        return ExploreMap(market: markets[0])
    }
}

/// One week of a live run, for the page: each replicate's headline shares
/// (the catalogue's metrics of that week alone: options, pickup, groceries,
/// memberships, reach) and prices, and replicate 1's network changes.
public struct ExploreWeek: Sendable {
    /// The catalogue's metrics the page draws, each a figure of one week.
    public static let metricNames = Option.allCases.map { "spendShare.\($0.code)" }
        + ["onlineShare", "amazonShareOfOnline", "walmartShareOfOnline", "walmartShareOfGrocery", "onlineShareOfGrocery",
           "pickupShareOfOnlineGrocery", "shippedShareOfOnlineGrocery", "primeShare", "plusShare", "hubReach", "sameDayReach"]

    public let week: Int
    /// The week's first day, YYYY-MM-DD (`run.start`).
    public let date: String
    /// Per replicate: name to value (shares in [0, 1], prices as indices).
    public let replicates: [[String: Double]]
    /// Stores that began delivering this week, and same-day sites opened this week (x, y km).
    public let newHubs: [Int]
    public let newSameDay: [(Float, Float)]
    /// Stores whose slots bind: store id and extra wait, hours (none where slots are unlimited).
    public let slotWaits: [(Int, Double)]

    init(records: [WeekRecord], market: Market, shoppers: Int) {
        week = records[0].week
        date = market.calendar.date(ofWeek: week)
        let metrics = ExploreWeek.metricNames.map { MetricCatalog.metric($0)! }
        replicates = records.map { w in
            let totals = ReplicateTotals(weeks: [w], warmupWeeks: 0, shoppers: shoppers)
            var v = Dictionary(uniqueKeysWithValues: metrics.map { ($0.name, $0.value(totals)) })
            v["amazonPriceIndex"] = w.amazon.priceIndex
            v["walmartPriceIndex"] = w.walmart.priceIndex
            return v
        }
        let f = market.facilities, now = records[0].week
        newHubs = f.hubWeek.indices.filter { f.hubWeek[$0] == now && now > 0 }
        newSameDay = f.sameDayWeek.indices.filter { f.sameDayWeek[$0] == now && now > 0 }.map { (f.sameDaySites[$0].x, f.sameDaySites[$0].y) }
        slotWaits = market.parameters.walmart.storeDelivery.slotsPerStoreWeek > 0
            ? market.storeSlots.enumerated().compactMap { id, s in s.flatMap { $0.extraWaitHours > 0 ? (id, $0.extraWaitHours) : nil } } : []
    }

    public var json: String {
        let reps = replicates.map { v in "{" + v.keys.sorted().map { "\(JSONText.string($0)): \(JSONText.number(v[$0]!))" }.joined(separator: ", ") + "}" }
        return "{\"type\": \"week\", \"week\": \(week), \"date\": \"\(date)\", \"replicates\": [\(reps.joined(separator: ", "))], "
            + "\"newHubs\": [\(newHubs.map(String.init).joined(separator: ","))], "
            + "\"newSameDay\": [\(newSameDay.map { "[\(JSONText.number(Double($0.0))),\(JSONText.number(Double($0.1)))]" }.joined(separator: ","))], "
            + "\"slotWaits\": [\(slotWaits.map { "[\($0.0),\(String(format: "%.1f", $0.1))]" }.joined(separator: ","))]}"
    }
}

/// The map the page draws: the country's extent in km, households by county
/// (real country), and every facility with its radius.
public struct ExploreMap: Sendable {
    public let json: String

    init(market: Market) {
        let g = market.geography, f = market.facilities
        func n(_ x: Double) -> String { String(format: "%.1f", x) }
        var counties: [String] = []
        if let us = g.us {
            counties = us.counties.filter { $0.households > 0 }.map {
                "[\(n(Double($0.point.x))),\(n(Double($0.point.y))),\(Int($0.households)),\($0.segment.rawValue)]"
            }
        }
        let stores = f.stores.indices.map { s in
            "[\(n(Double(f.stores[s].x))),\(n(Double(f.stores[s].y))),\(f.isHub[s] ? 1 : 0),\(n(Double(f.hubRadiusKm[s])))]"
        }
        let fcs = f.fulfillmentCenters.map { "[\(n(Double($0.x))),\(n(Double($0.y)))]" }
        let sameDay = f.sameDaySites.map { "[\(n(Double($0.x))),\(n(Double($0.y)))]" }
        let p = market.parameters
        json = "{\"widthKm\": \(n(g.widthKm)), \"heightKm\": \(n(g.heightKm)), \"real\": \(g.us != nil), "
            + "\"sameDayRadiusKm\": \(n(p.amazon.sameDayRadiusKm)), \"counties\": [\(counties.joined(separator: ","))], "
            + "\"stores\": [\(stores.joined(separator: ","))], \"fulfillment\": [\(fcs.joined(separator: ","))], "
            + "\"sameDay\": [\(sameDay.joined(separator: ","))]}"
    }
}
