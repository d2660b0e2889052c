import RetailModel

/// One change of a scenario's timeline: from the start of `week` (1 = the
/// run's first week, after the burn-in), or of the week that holds `date`,
/// the parameter at `path` takes `value`, validated as `--set` validates it
/// (docs/MODEL.md section 2).
public struct TimelineChange: Sendable, CustomStringConvertible {
    /// The week, when the change was given by week (0 when by date).
    public var week: Int
    /// The date, days since 1970-01-01, when the change was given by date:
    /// its week follows from `run.start` (`week(in:)`).
    public var date: Int?
    public var path: String
    public var value: ScenarioValue
    /// Where it was given (`file.toml:12`, a JSON file): what a refusal names.
    public var source: String

    public init(week: Int, path: String, value: ScenarioValue, source: String) {
        (self.week, self.path, self.value, self.source) = (week, path, value, source)
    }

    public init(date: Int, path: String, value: ScenarioValue, source: String) {
        (self.week, self.date, self.path, self.value, self.source) = (0, date, path, value, source)
    }

    /// The week of the run the change takes effect in.
    public func week(in calendar: WeekCalendar) -> Int { date.map(calendar.week(containing:)) ?? week }

    /// `week 27` or `2020-03-16`, as given.
    public var when: String { date.map(WeekCalendar.text(day:)) ?? "week \(week)" }

    /// The field that gives the time, as the files write it.
    var timeField: (String, ScenarioValue) { date.map { ("date", .text(WeekCalendar.text(day: $0))) } ?? ("week", .number(Double(week))) }

    public var description: String { "\(when): \(path) = \(value)" }

    /// How the readers name field `field` of the timeline's `k`th entry (from 1):
    /// `timeline.[k].field`, a key no parameter path can be.
    static func entryPath(_ k: Int, _ field: String) -> String { "timeline.\(entryKey(k)).\(field)" }
    static func entryKey(_ k: Int) -> String { "[\(k)]" }
}

extension TimelineChange: Equatable {
    /// Two changes are the same whatever file gave them.
    public static func == (a: TimelineChange, b: TimelineChange) -> Bool {
        a.week == b.week && a.date == b.date && a.path == b.path && a.value == b.value
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
        if ParameterCatalog.networkPaths.contains(path) { return nil }
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

extension ParameterCatalog {
    /// The real country's network counts a timeline may change: the market
    /// follows their paths (docs/MODEL.md section 4); the two that grow
    /// along a path (`risingPaths`) may only rise.
    static let networkPaths: Set<String> = ["walmart.network.deliveryStores", "walmart.network.pickupStores",
                                            "amazon.network.fulfillmentCenters", "amazon.network.sameDayMetros"]
    static let risingPaths: Set<String> = ["walmart.network.deliveryStores", "amazon.network.sameDayMetros"]
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
                guard (1...run.weeks).contains(week) else {
                    if let date = c.date {
                        throw InputError(source: c.source, path: "date", value: WeekCalendar.text(day: date),
                                         problem: "a change of \(c.path) outside the run; allowed: a date from \(calendar.date(ofWeek: 1)) (run.start) "
                                             + "to \(WeekCalendar.text(day: calendar.firstDay(ofWeek: run.weeks + 1) - 1)) (the last day of week \(run.weeks), run.weeks)")
                    }
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
                let before = parameter.value(in: now)
                try parameter.set(c.value, in: &now, source: c.source)
                if ParameterCatalog.risingPaths.contains(c.path), case .number(let b) = before, case .number(let a) = parameter.value(in: now), a < b {
                    throw InputError(source: c.source, path: c.path, value: c.value.description,
                                     problem: "may only rise during a run (from \(before) before week \(week)): the network grows along its path; "
                                         + "close stores or sites with [[facility]] entries instead")
                }
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
        let calendar = calendar
        return Dictionary(grouping: timeline) { $0.week(in: calendar) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
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

    /// The scenario as it stands in week `week`: its own values with every
    /// timeline change from that week or before applied (the timeline itself kept).
    public func inForce(atWeek week: Int) -> Scenario {
        var now = self
        for (w, changes) in timelineByWeek where w <= week {
            for c in changes { try? ParameterCatalog.parameter(c.path)?.set(c.value, in: &now, source: c.source) }
        }
        return now
    }

    /// Replicate `replicate`'s market, with the timeline's parameter sets and the facility changes.
    public func market(replicate: Int, threads: Int, warm: Bool = true) throws -> Market {
        // With a posterior, the replicate's parameters hold from week 1 and in every timeline change.
        let s = try drawn(replicate: replicate)
        let market = try Market(parameters: s.model, calendar: calendar, seed: UInt64(run.seed), replicate: replicate, threads: threads, warm: warm)
        market.timeline = s.schedule
        market.facilityChanges = facilityChanges.map { $0.change(in: market.geography, calendar: calendar) }
        return market
    }

    /// Collects the timeline's entries among `assignments` (`timeline.[k].week`
    /// or `.date`, `.path` and `.value`, as the TOML and JSON readers give
    /// them), each element whole, in the order given.
    static func timelineChanges(_ assignments: [Assignment]) throws(InputError) -> [TimelineChange] {
        let order = try arrayElements(assignments, array: "timeline", fields: ["week", "date", "path", "value"])
        return try order.map { f throws(InputError) -> TimelineChange in
            let source = (f["week"] ?? f["date"] ?? f["path"] ?? f["value"])!.source
            guard let path = f["path"], let value = f["value"], (f["week"] == nil) != (f["date"] == nil) else {
                let problem = f["week"] != nil && f["date"] != nil ? "an entry with both week and date"
                    : "an entry without " + [f["week"] ?? f["date"] == nil ? "week (or date)" : nil, f["path"] == nil ? "path" : nil,
                                             f["value"] == nil ? "value" : nil].compactMap { $0 }.joined(separator: " or ")
                throw InputError(source: source, path: "timeline", problem: problem + "; "
                                     + "each needs week (an integer) or date (YYYY-MM-DD), path (a parameter) and value")
            }
            guard case .text(let p) = path.value else {
                throw InputError(source: path.source, path: "path", value: path.value.description, problem: "allowed: a parameter path, as text")
            }
            if let date = f["date"] {
                guard case .text(let t) = date.value, let day = WeekCalendar.day(text: t) else {
                    throw InputError(source: date.source, path: "date", value: date.value.description,
                                     problem: "allowed: a date YYYY-MM-DD from 1900-01-01 to 2199-12-31 (its week follows from run.start)")
                }
                return TimelineChange(date: day, path: p, value: value.value, source: source)
            }
            let week = f["week"]!
            guard case .number(let w) = week.value, w.rounded() == w, w >= 1, w <= 1e9 else {
                throw InputError(source: week.source, path: "week", value: week.value.description,
                                 problem: "allowed: an integer >= 1 (the run's week, 1 = the first after the burn-in)")
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
