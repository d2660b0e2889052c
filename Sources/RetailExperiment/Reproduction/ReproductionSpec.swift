import Foundation
import RetailModel

/// One reproducible experiment, read from `Experiments/reproduce/NAME.toml`:
/// what it shows (a closed form, a published figure, a claim of the source
/// article), the scenario it runs, and what counts as a pass. A user changes an
/// experiment by editing its file, not code.
public struct ReproductionSpec: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Fit the baseline to the calibration targets (`calibrate`).
        case calibration
        /// Run the baseline and compare it with every target, held-out ones included.
        case validation
        /// Simulated choice shares against the multinomial logit's softmax.
        case logit
        /// Store shares under power distance decay against Huff's gravity model.
        case huff
        /// Membership diffusion against Bass's curve.
        case bass
        /// A strategy on against off, common random numbers, paired differences.
        case paired
        /// The response targets: each intervention against its reference, paired.
        case responses
        /// Each strategy lever switched off alone against the full strategies, paired.
        case levers
        /// The history scenario against every dated figure of the history's targets.
        case backcast
        /// The history's drivers fitted to its calibration figures.
        case drivers

        /// Whether it can run on a posterior (`--posterior`): what it reports
        /// is the model's answer, not a fit or a formula at set parameters.
        public var takesPosterior: Bool {
            switch self {
            case .validation, .paired, .responses, .levers, .backcast: true
            case .calibration, .logit, .huff, .bass, .drivers: false
            }
        }
    }

    /// Which way a claim says a metric moves when the strategy is on.
    public enum Direction: String, Sendable {
        case increase, decrease
    }

    /// The file's name without `.toml`: the experiment's name and its Results folder.
    public var name: String
    public var file: String
    public var kind: Kind
    public var title: String
    /// The closed form's or the claim's source.
    public var source: String
    /// The claim or relation being checked, in words.
    public var claim: String
    public var replicates: Int
    /// Scenario file the runs start from (relative to the repository root); the built-in baseline when empty.
    public var scenarioFile: String
    /// Paired experiments: the day (since 1970-01-01) the arms fork from the
    /// scenario's own run (a history's present); nil: from its warm start.
    /// With a fork, `run.weeks` and `run.warmupWeeks` count from the fork.
    public var fork: Int?
    /// Applied to every run.
    public var settings: [Assignment]
    /// Paired experiments: the strategy on, and off.
    public var on: [Assignment]
    public var off: [Assignment]
    /// Paired experiments: each metric and the direction the claim gives it.
    public var expect: [(metric: String, direction: Direction)]
    /// Closed forms: the parameter varied, and its values.
    public var varyPath: String
    public var varyValues: [ScenarioValue]
    /// Closed forms: the largest allowed gap between model and closed form.
    public var tolerance: Double
    /// Other numbers by key (`annualInnovation`, `years`, ...).
    public var numbers: [String: Double]
    /// Calibration, validation and responses: the targets file.
    public var targets: String
    /// Calibration: a response file fitted beside the targets (with the price and time weights and the nests); none when empty.
    public var responses = ""
    /// Backcast and drivers: US retail's nominal growth by year (a growth figure's conversion).
    public var marketGrowth = ""
    /// Drivers: the `trend.*` paths fitted (all of them when empty).
    public var drivers: [String] = []
    /// Backcast: why its calibration figures are not fitted yet (they are
    /// labelled so); empty when a fit has read them.
    public var unfitted = ""
    /// A sentence on why a check misses, by check name, for Results/README.md.
    public var why: [String: String]
    /// Lever tables: each lever, the settings that switch it off, and the
    /// direction the lever must move each metric it names (`expect.METRIC`
    /// in its table: the article's side of the lever), in file order.
    public var levers: [(name: String, off: [Assignment], expect: [(metric: String, direction: Direction)])] = []
    /// Lever tables: the metrics each lever's effect is reported on, and
    /// those it is judged by (it must move one by more than `tolerance`).
    public var metrics: [String] = []
    public var judge: [String] = []

    static let textKeys = ["title", "kind", "source", "claim", "scenario", "targets", "metrics", "judge", "responses", "marketGrowth", "drivers", "fork", "unfitted"]
    static let numberKeys = ["replicates", "tolerance", "annualInnovation", "annualImitation", "years", "fitShoppers", "fitReplicates", "maxIterations",
                             "coarseShoppers", "coarseIterations", "start", "sizeTolerance"]
    /// Each number's ceiling and whether it must be whole: counts become Ints, and a bound keeps them from trapping.
    static let numberLimits: [String: (Double, Bool)] = [
        "replicates": (10_000, true), "tolerance": (1e6, false), "annualInnovation": (10, false), "annualImitation": (10, false),
        "years": (1000, false), "fitShoppers": (10_000_000, true), "fitReplicates": (1000, true), "maxIterations": (100_000, true),
        "coarseShoppers": (10_000_000, true), "coarseIterations": (100_000, true), "start": (2, false),
        "sizeTolerance": (1, false),
    ]

    public static func read(_ path: String) throws(InputError) -> ReproductionSpec {
        let text = try InputError.readText(path)
        let fileName = (path as NSString).lastPathComponent
        var spec = ReproductionSpec(name: (fileName as NSString).deletingPathExtension, file: path, kind: .paired, title: "", source: "",
                                  claim: "", replicates: 20, scenarioFile: "", settings: [], on: [], off: [], expect: [], varyPath: "",
                                  varyValues: [], tolerance: 0, numbers: [:], targets: "", why: [:])
        var texts: [String: String] = [:]
        for a in try TOMLReader.assignments(text, name: path) {
            let parts = a.path.split(separator: ".", maxSplits: 1).map(String.init)
            func stripped() -> Assignment { Assignment(path: parts.count == 2 ? parts[1] : "", value: a.value, source: a.source) }
            switch parts[0] {
            case "settings" where parts.count == 2: spec.settings.append(stripped())
            case "on" where parts.count == 2: spec.on.append(stripped())
            case "off" where parts.count == 2: spec.off.append(stripped())
            case "expect" where parts.count == 2:
                guard case .text(let t) = a.value, let d = Direction(rawValue: t) else {
                    throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "allowed: \"increase\" or \"decrease\"")
                }
                _ = try MetricCatalog.metric(named: parts[1], source: a.source, path: a.path)
                spec.expect.append((parts[1], d))
            case "levers" where parts.count == 2:
                let lever = parts[1].split(separator: ".", maxSplits: 1).map(String.init)
                guard lever.count == 2 else { throw InputError(source: a.source, path: a.path, problem: "expected a parameter setting in a [levers.NAME] table") }
                if spec.levers.last?.name != lever[0] {
                    guard !spec.levers.contains(where: { $0.name == lever[0] }) else {
                        throw InputError(source: a.source, path: a.path, problem: "lever '\(lever[0])' is split over two tables")
                    }
                    spec.levers.append((lever[0], [], []))
                }
                let last = spec.levers.count - 1
                if lever[1].hasPrefix("expect.") {
                    // The direction the lever (on against off) must move a metric.
                    let metric = String(lever[1].dropFirst("expect.".count))
                    guard case .text(let t) = a.value, let d = Direction(rawValue: t) else {
                        throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "allowed: \"increase\" or \"decrease\"")
                    }
                    _ = try MetricCatalog.metric(named: metric, source: a.source, path: a.path)
                    spec.levers[last].expect.append((metric, d))
                } else {
                    spec.levers[last].off.append(Assignment(path: lever[1], value: a.value, source: a.source))
                }
            case "why" where parts.count == 2:
                guard case .text(let t) = a.value else { throw InputError(source: a.source, path: a.path, problem: "expected a sentence in quotes") }
                spec.why[parts[1]] = t
            case "vary" where a.path == "vary.path":
                guard case .text(let t) = a.value else { throw InputError(source: a.source, path: a.path, problem: "expected a parameter path") }
                spec.varyPath = t
            case "vary" where a.path == "vary.values":
                guard case .text(let t) = a.value else { throw InputError(source: a.source, path: a.path, problem: "expected a comma-separated list in quotes") }
                spec.varyValues = t.split(separator: ",").map { ScenarioValue(commandLine: String($0)) }
            case _ where textKeys.contains(a.path):
                guard case .text(let t) = a.value else { throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "expected text in quotes") }
                texts[a.path] = t
            case _ where numberKeys.contains(a.path):
                let (limit, whole) = ReproductionSpec.numberLimits[a.path]!
                guard case .number(let d) = a.value, d.isFinite, d > 0, d <= limit, !whole || d == d.rounded() else {
                    throw InputError(source: a.source, path: a.path, value: a.value.description,
                                     problem: "allowed: \(whole ? "a whole number" : "a number") > 0 and at most \(JSONText.number(limit))")
                }
                spec.numbers[a.path] = d
            default:
                throw InputError(source: a.source, path: a.path, problem: "unknown key; allowed: " + (textKeys + numberKeys).joined(separator: ", ")
                                    + ", and the tables [settings], [on], [off], [expect], [vary], [why], [levers.NAME]")
            }
        }
        guard let kindText = texts["kind"], let kind = Kind(rawValue: kindText) else {
            throw InputError(source: path, path: "kind", value: texts["kind"],
                                problem: "allowed: " + Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        spec.kind = kind
        spec.title = texts["title"] ?? spec.name
        spec.source = texts["source"] ?? ""
        spec.claim = texts["claim"] ?? ""
        spec.scenarioFile = texts["scenario"] ?? ""
        spec.targets = texts["targets"] ?? ""
        spec.responses = texts["responses"] ?? ""
        spec.marketGrowth = texts["marketGrowth"] ?? ""
        spec.unfitted = texts["unfitted"] ?? ""
        if !spec.unfitted.isEmpty && kind != .backcast {
            throw InputError(source: path, path: "unfitted", value: spec.unfitted, problem: "only a backcast's calibration figures are labelled unfitted")
        }
        spec.drivers = (texts["drivers"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for key in ["metrics", "judge"] {
            let names = (texts[key] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for m in names { _ = try MetricCatalog.metric(named: m, source: path, path: key) }
            if key == "metrics" { spec.metrics = names } else { spec.judge = names }
        }
        if let text = texts["fork"] {
            guard let day = WeekCalendar.day(text: text) else {
                throw InputError(source: path, path: "fork", value: text, problem: "allowed: a date YYYY-MM-DD within the scenario's run")
            }
            guard kind == .paired, !spec.scenarioFile.isEmpty else {
                throw InputError(source: path, path: "fork", value: text, problem: "only a paired experiment with a scenario file (a history) forks from a date")
            }
            spec.fork = day
        }
        spec.replicates = Int(spec.numbers["replicates"] ?? 20)
        spec.tolerance = spec.numbers["tolerance"] ?? 0
        switch kind {
        case .paired:
            // An empty [on] is the scenario as it stands (on a posterior, the strategy at each draw's values).
            if spec.off.isEmpty || spec.expect.isEmpty {
                throw InputError(source: path, problem: "a paired experiment needs [off] and [expect] tables (and [on], empty for the scenario as it stands)")
            }
            if spec.replicates < 2 { throw InputError(source: path, path: "replicates", problem: "a paired experiment needs at least 2 replicates") }
        case .logit, .huff:
            if spec.varyPath.isEmpty || spec.varyValues.isEmpty || spec.tolerance <= 0 {
                throw InputError(source: path, problem: "a \(kind.rawValue) experiment needs vary.path, vary.values and tolerance")
            }
        case .bass:
            for key in ["annualInnovation", "annualImitation", "years", "tolerance"] where spec.numbers[key] == nil {
                throw InputError(source: path, path: key, problem: "missing; a bass experiment needs annualInnovation, annualImitation, years and tolerance")
            }
        case .calibration, .validation, .responses:
            if spec.targets.isEmpty { throw InputError(source: path, path: "targets", problem: "missing: the targets file") }
        case .backcast, .drivers:
            if spec.targets.isEmpty || spec.marketGrowth.isEmpty || spec.scenarioFile.isEmpty {
                throw InputError(source: path, problem: "a \(kind.rawValue) experiment needs scenario (the history), targets and marketGrowth")
            }
            _ = try HistoryTargetSet.read(resolve(spec.targets, root: FileManager.default.currentDirectoryPath))
        case .levers:
            if spec.levers.isEmpty || spec.metrics.isEmpty || spec.judge.isEmpty || spec.tolerance <= 0 {
                throw InputError(source: path, problem: "a lever table needs [levers.NAME] tables, metrics = \"name, ...\", "
                                 + "judge = \"name, ...\" (some of the metrics) and tolerance (the smallest effect that counts)")
            }
            if let stray = spec.judge.first(where: { !spec.metrics.contains($0) }) {
                throw InputError(source: path, path: "judge", value: stray, problem: "allowed: one of metrics (\(spec.metrics.joined(separator: ", ")))")
            }
            if spec.replicates < 2 { throw InputError(source: path, path: "replicates", problem: "a lever table needs at least 2 replicates") }
            for lever in spec.levers {
                if lever.off.isEmpty {
                    throw InputError(source: path, path: "levers.\(lever.name)", problem: "a lever needs the settings that switch it off")
                }
                if let stray = lever.expect.first(where: { !spec.metrics.contains($0.metric) }) {
                    throw InputError(source: path, path: "levers.\(lever.name).expect.\(stray.metric)",
                                     problem: "allowed: one of metrics (\(spec.metrics.joined(separator: ", ")))")
                }
            }
        }
        // Every run's scenario must load now, not halfway through `reproduce all`.
        let root = FileManager.default.currentDirectoryPath
        let base = try spec.scenario(root: root, [])
        if kind == .levers {
            for lever in spec.levers {
                guard try spec.scenario(root: root, [], arm: lever.off).model != base.model else {
                    throw InputError(source: lever.off[0].source, path: "levers.\(lever.name)", problem: "a lever whose settings change nothing: they are the experiment's own")
                }
            }
        }
        if kind == .responses || !spec.responses.isEmpty {
            let set = try ResponseTargetSet.read(resolve(kind == .responses ? spec.targets : spec.responses, root: root))
            for r in set.responses {
                _ = try spec.scenario(root: root, set.settings + r.on)
                _ = try spec.scenario(root: root, set.settings + r.off)
            }
        }
        return spec
    }

    /// The scenario of a run: the experiment's scenario file (or the
    /// baseline), its settings, `extra`, then an arm's settings (`arm`),
    /// which a posterior's draw leaves as the arm set them.
    /// With a fork, the run is the scenario's own to the fork and `run.weeks`
    /// (else the rest of the scenario's run) after it; `forkWeek` says where.
    public func scenario(root: String, _ extra: [Assignment], arm: [Assignment] = []) throws(InputError) -> Scenario {
        let file = scenarioFile.isEmpty ? nil : ReproductionSpec.resolve(scenarioFile, root: root)
        guard let fork else {
            var s = try Scenario.load(file: file, assignments: settings + extra, arm: arm)
            if scenarioFile.isEmpty { s.name = name }
            return s
        }
        let horizon: Set = ["run.weeks", "run.warmupWeeks"]
        var s = try Scenario.load(file: file, assignments: (settings + extra).filter { !horizon.contains($0.path) }, arm: arm)
        let week = s.calendar.week(containing: fork) - 1
        guard week >= 1, week < s.run.weeks else {
            throw InputError(source: self.file, path: "fork", value: WeekCalendar.text(day: fork),
                             problem: "outside the run of \(scenarioFile); allowed: a date from \(s.calendar.date(ofWeek: 2)) "
                                 + "to \(s.calendar.date(ofWeek: s.run.weeks)) (the first days of its second and last weeks)")
        }
        // The weeks after the fork, read as the scenario reads them.
        var after = s
        (after.run.weeks, after.run.warmupWeeks) = (s.run.weeks - week, 0)
        for a in settings + extra where horizon.contains(a.path) { try ParameterCatalog.parameter(a.path)!.set(a.value, in: &after, source: a.source) }
        (s.run.weeks, s.run.warmupWeeks) = (week + after.run.weeks, after.run.warmupWeeks)
        let (calendar, last) = (s.calendar, s.run.weeks)
        s.timeline.removeAll { $0.week(in: calendar) > last }
        s.facilityChanges.removeAll { $0.week(in: calendar) > last }
        try s.validate()
        return s
    }

    /// The week the arms fork after (0: none) in a run of `scenario(root:_:)`.
    public func forkWeek(in scenario: Scenario) -> Int {
        fork.map { scenario.calendar.week(containing: $0) - 1 } ?? 0
    }

    /// A path an experiment file names: absolute as it is, else relative to the repository root.
    static func resolve(_ path: String, root: String) -> String {
        path.hasPrefix("/") ? path : (root as NSString).appendingPathComponent(path)
    }

    /// All experiments in a folder, by name.
    public static func readAll(folder: String) throws(InputError) -> [ReproductionSpec] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw InputError(source: folder, problem: "no such folder of experiments")
        }
        var specs: [ReproductionSpec] = []
        for n in names.sorted() where n.hasSuffix(".toml") { specs.append(try read((folder as NSString).appendingPathComponent(n))) }
        return specs
    }
}
