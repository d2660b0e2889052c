import RetailModel

/// One change of a scenario's timeline: from the start of `week` (1 = the
/// run's first week, after the burn-in) the parameter at `path` takes
/// `value`, validated as `--set` validates it (docs/MODEL.md section 2).
public struct TimelineChange: Sendable, CustomStringConvertible {
    public var week: Int
    public var path: String
    public var value: ScenarioValue
    /// Where it was given (`file.toml:12`, a JSON file): what a refusal names.
    public var source: String

    public init(week: Int, path: String, value: ScenarioValue, source: String) {
        (self.week, self.path, self.value, self.source) = (week, path, value, source)
    }

    public var description: String { "week \(week): \(path) = \(value)" }

    /// How the readers name field `field` of the timeline's `k`th entry (from 1):
    /// `timeline.[k].field`, a key no parameter path can be.
    static func entryPath(_ k: Int, _ field: String) -> String { "timeline.\(entryKey(k)).\(field)" }
    static func entryKey(_ k: Int) -> String { "[\(k)]" }
}

extension TimelineChange: Equatable {
    /// Two changes are the same whatever file gave them.
    public static func == (a: TimelineChange, b: TimelineChange) -> Bool {
        a.week == b.week && a.path == b.path && a.value == b.value
    }
}

extension ParameterCatalog {
    /// Why `path` cannot change during a run, or nil when it can. The model
    /// reads these only when it makes the market (the households and their
    /// draws, the country, the starting networks and the distances measured
    /// to them, the starting memberships, the warm start); every other
    /// parameter is read week by week, month by month or quarter by quarter.
    public static func fixedDuringRun(_ path: String) -> String? {
        let parts = path.split(separator: ".").map(String.init)
        switch parts.first {
        case "run": return "the run's own settings"
        case "population", "geography": return "the households and the country are made at the start"
        case "shoppers": return "each household's attributes are drawn at the start"
        case "start": return "the warm start comes before week 1"
        default: break
        }
        if parts.contains("initialShare") || path == "walmart.initialHubShare" { return "memberships and hubs at the start" }
        if parts.contains("network") || ["amazon.fulfillmentCenters", "amazon.sameDaySites", "walmart.peoplePerStore"].contains(path) {
            return "the starting network is built at the start; the strategies grow it"
        }
        if ["amazon.nextDayRadiusKm", "amazon.sameDayRadiusKm", "walmart.hubRadiusKm", "walmart.storeDistanceMultiplier",
            "choice.vehicleCostDollarsPerKm"].contains(path) || path.hasPrefix("choice.travelSpeedKmh.") {
            return "distances and travel costs are measured once, at the start"
        }
        return nil
    }
}

extension Scenario {
    /// Checks every change of the timeline: a week of the run, a parameter of
    /// the catalogue that may change during a run, a value it allows, and the
    /// relations between parameters at each week a change takes effect.
    func validateTimeline() throws(InputError) {
        var now = self
        now.timeline = []
        for (week, changes) in timelineByWeek {
            for c in changes {
                guard (1...run.weeks).contains(c.week) else {
                    throw InputError(source: c.source, path: "week", value: "\(c.week)",
                                     problem: "a change of \(c.path) outside the run; allowed: an integer in [1, \(run.weeks)] (run.weeks)")
                }
                guard !c.path.isEmpty else {
                    throw InputError(source: c.source, path: "path", value: "\"\"", problem: "empty; allowed: a parameter path, e.g. amazon.prime.monthlyFee")
                }
                guard let parameter = ParameterCatalog.parameter(c.path) else {
                    throw InputError.unknownParameter(c.path, value: c.value.description, source: c.source)
                }
                if let why = ParameterCatalog.fixedDuringRun(c.path) {
                    throw InputError(source: c.source, path: c.path, value: c.value.description,
                                     problem: "cannot change during a run (\(why)); set it for the whole run instead "
                                         + "(the paths a timeline may change: docs/PARAMETERS.md, column \"timeline\")")
                }
                try parameter.set(c.value, in: &now, source: c.source)
            }
            do {
                try now.validate(sources: Dictionary(changes.map { ($0.path, $0.source) }, uniquingKeysWith: { $1 }))
            } catch {
                throw InputError(source: error.source, path: error.path, value: error.value, problem: "from week \(week): \(error.problem)")
            }
        }
    }

    /// The changes grouped by week, weeks in order, each week's in the order given.
    private var timelineByWeek: [(week: Int, changes: [TimelineChange])] {
        Dictionary(grouping: timeline, by: \.week).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The parameter set in force from each week a change takes effect
    /// (a valid scenario's: every change has passed `validateTimeline`).
    public var schedule: [ScheduledParameters] {
        var now = self
        return timelineByWeek.map { week, changes in
            for c in changes { try? ParameterCatalog.parameter(c.path)?.set(c.value, in: &now, source: c.source) }
            return ScheduledParameters(week: week, parameters: now.model)
        }
    }

    /// Replicate `replicate`'s market, with the timeline's parameter sets and the facility changes.
    public func market(replicate: Int, threads: Int) throws -> Market {
        let market = try Market(parameters: model, seed: UInt64(run.seed), replicate: replicate, threads: threads)
        market.timeline = schedule
        market.facilityChanges = facilityChanges.map { $0.change(in: market.geography) }
        return market
    }

    /// Collects the timeline's entries among `assignments` (`timeline.[k].week`,
    /// `.path` and `.value`, as the TOML and JSON readers give them), each
    /// element whole, in the order given.
    static func timelineChanges(_ assignments: [Assignment]) throws(InputError) -> [TimelineChange] {
        let order = try arrayElements(assignments, array: "timeline", fields: ["week", "path", "value"])
        return try order.map { f throws(InputError) -> TimelineChange in
            let source = (f["week"] ?? f["path"] ?? f["value"])!.source
            guard let week = f["week"], let path = f["path"], let value = f["value"] else {
                let missing = ["week", "path", "value"].filter { f[$0] == nil }
                throw InputError(source: source, path: "timeline", problem: "an entry without \(missing.joined(separator: " or ")); "
                                     + "each needs week (an integer), path (a parameter) and value")
            }
            guard case .number(let w) = week.value, w.rounded() == w, w >= 1, w <= 1e9 else {
                throw InputError(source: week.source, path: "week", value: week.value.description,
                                 problem: "allowed: an integer >= 1 (the run's week, 1 = the first after the burn-in)")
            }
            guard case .text(let p) = path.value else {
                throw InputError(source: path.source, path: "path", value: path.value.description, problem: "allowed: a parameter path, as text")
            }
            return TimelineChange(week: Int(w), path: p, value: value.value, source: source)
        }
    }

    /// The arrays of tables a scenario may hold (`[[timeline]]`, `[[facility]]`).
    static let arrayNames = ["timeline", "facility"]

    /// The elements of the array of tables `array` among `assignments`
    /// (`array.[k].field`), each a field's assignment, in the order given.
    static func arrayElements(_ assignments: [Assignment], array: String, fields: [String]) throws(InputError) -> [[String: Assignment]] {
        // An element is a run of consecutive entries with one key; a key seen
        // again (a second file numbers its entries from 1 too) starts another.
        var order: [[String: Assignment]] = []
        var key = ""
        for a in assignments {
            let parts = a.path.split(separator: ".", maxSplits: 2).map(String.init)
            guard parts.count == 3, parts[1].hasPrefix("["), fields.contains(parts[2]) else {
                throw InputError(source: a.source, path: a.path, value: a.value.description,
                                 problem: "a \(array) entry has the fields \(fields.joined(separator: ", ")); allowed: one of them")
            }
            let file = a.source.split(separator: ":").first.map(String.init) ?? a.source
            if order.isEmpty || parts[1] + file != key || order[order.count - 1][parts[2]] != nil { order.append([:]) }
            key = parts[1] + file
            order[order.count - 1][parts[2]] = a
        }
        return order
    }
}
