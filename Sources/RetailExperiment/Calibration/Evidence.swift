import Foundation
import RetailModel
import RetailStats

/// Everything the Bayesian calibration compares the model with (issue 26):
/// the 2024 levels, the responses measured on paired arms, and the history's
/// dated figures, each with its use; and the model's value of every one at
/// a point of the parameters. The calibration figures are fitted, the
/// held-out ones only predicted (their coverage is the posterior's check).
public struct Evidence: Sendable {
    /// Which file a figure comes from (a benchmark's: `CalibrationBenchmark`).
    public enum Kind: String, Sendable { case level, response, history, benchmark }

    /// One published figure, as the posterior reads it.
    public struct Figure: Sendable, Equatable {
        public var kind: Kind
        public var name: String
        public var value: Double
        public var tolerance: Double
        /// Fitted; else held out.
        public var calibration: Bool
        /// A ceiling or a floor reads only one side of the gap.
        public var comparison: Target.Comparison
        /// `kind:name`, the figure's column in a sweep's record.
        public var column: String { "\(kind.rawValue):\(name)" }
    }

    public let levels: [Target]
    public let responses: ResponseTargetSet
    public let respondingTo: [ResponseTarget]
    public let history: [HistoryTarget]
    let marketGrowth: [Int: Double]
    /// Levels, responses, history, in their files' order.
    public let figures: [Figure]

    /// The calibration and held-out figures of the three files (diagnostics,
    /// data checks and responses not yet measurable are left out: none says
    /// anything about the parameters).
    public init(levels: TargetSet, responses: ResponseTargetSet, history: HistoryTargetSet, marketGrowth: String) throws(InputError) {
        self.levels = levels.targets.filter { $0.use == .calibration || $0.use == .validation }
        self.responses = responses
        respondingTo = responses.responses.filter { $0.form != nil && ($0.use == .calibration || $0.use == .validation) }
        self.history = history.targets.filter { $0.use == .calibration || $0.use == .validation }
        self.marketGrowth = try HistoryMeasure.readMarketGrowth(marketGrowth)
        figures = self.levels.map { Figure(kind: .level, name: $0.name, value: $0.value, tolerance: $0.tolerance,
                                           calibration: $0.use == .calibration, comparison: $0.comparison) }
            + respondingTo.map { Figure(kind: .response, name: $0.name, value: $0.value, tolerance: $0.tolerance,
                                        calibration: $0.use == .calibration, comparison: $0.comparison) }
            + self.history.map { Figure(kind: .history, name: $0.name, value: $0.value, tolerance: $0.tolerance,
                                        calibration: $0.use == .calibration, comparison: .within) }
    }

    /// The weeks of `past` that the history's figures need: to the end of the last one's period.
    public func historyWeeks(_ past: Scenario) -> Int {
        guard let last = history.map(\.period.end).max() else { return 0 }
        return min(past.run.weeks, past.calendar.week(containing: last - 1))
    }

    /// The model's value of every figure, in `figures`' order: the levels
    /// and responses from `present` (the 2024 scenario at the point), the
    /// history's from `past` (the history at the same point), each the mean
    /// over the scenario's replicates on its seeds (common random numbers);
    /// NaN where a figure is not defined at the point (a quantity zero).
    public func measure(present: Scenario, past: Scenario, threads: Int) throws -> [Double] {
        var out = try TargetComparison.compare(levels, try Replicates.runConcurrently(present, threads: threads).metrics).map(\.model)
        out += try responses.measureMarkingUndefined(respondingTo, base: present, threads: threads).map(\.model)
        guard !history.isEmpty else { return out }
        var run = past
        run.run.weeks = historyWeeks(past)
        run.timeline = run.timeline.filter { $0.week(in: run.calendar) <= run.run.weeks }
        run.facilityChanges = run.facilityChanges.filter { $0.week(in: run.calendar) <= run.run.weeks }
        try run.validate()
        let result = try Replicates.runConcurrently(run, threads: threads)
        let measure = HistoryMeasure(scenario: run, marketGrowth: marketGrowth)
        out += history.map { t in
            let values = result.replicates.compactMap { measure.value(t, in: $0) }
            return values.count == result.replicates.count ? values.reduce(0, +) / Double(values.count) : .nan
        }
        return out
    }
}

/// Where a sweep that records evidence finds it: the three target files, the
/// history's scenario and the market's growth, by path as given when the
/// sweep was planned, and a fingerprint of their bytes, so that a shard run
/// later (on a cluster, after a kill) measures the same figures or refuses.
public struct EvidenceSource: Sendable, Equatable {
    public var levels: String
    public var responses: String
    public var history: String
    /// The history's scenario (`Experiments/scenarios/us-history.toml`).
    public var past: String
    public var marketGrowth: String
    /// FNV-1a of the five files' bytes, in this order.
    public let fingerprint: String
    /// The figures' columns, `kind:name` in the evidence's order.
    public private(set) var columns: [String]

    public init(levels: String, responses: String, history: String, past: String, marketGrowth: String) throws(InputError) {
        (self.levels, self.responses, self.history, self.past, self.marketGrowth) = (levels, responses, history, past, marketGrowth)
        fingerprint = try EvidenceSource.fingerprint(of: [levels, responses, history, past, marketGrowth])
        columns = []
        columns = try load().evidence.figures.map(\.column)
    }

    /// As read back from a plan, with the fingerprint and columns it recorded.
    init(levels: String, responses: String, history: String, past: String, marketGrowth: String, fingerprint: String, columns: [String]) {
        (self.levels, self.responses, self.history, self.past, self.marketGrowth) = (levels, responses, history, past, marketGrowth)
        self.fingerprint = fingerprint
        self.columns = columns
    }

    public var files: [(field: String, path: String)] {
        [("levels", levels), ("responses", responses), ("history", history), ("past", past), ("marketGrowth", marketGrowth)]
    }

    static func fingerprint(of paths: [String]) throws(InputError) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw InputError(source: path, problem: "cannot read it (no such file?); the evidence needs it")
            }
            for byte in data { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            h = (h ^ 0xff) &* 0x100_0000_01b3
        }
        return String(h, radix: 16)
    }

    /// The evidence and the history's scenario, after checking that the files
    /// are those the plan was made with.
    public func load() throws(InputError) -> (evidence: Evidence, past: Scenario) {
        let now = try EvidenceSource.fingerprint(of: files.map(\.path))
        guard now == fingerprint else {
            throw InputError(source: files.map(\.path).joined(separator: ", "), problem: "changed since the sweep was planned "
                             + "(fingerprint \(now), planned with \(fingerprint)); restore them, or plan a new sweep")
        }
        let evidence = try Evidence(levels: try TargetSet.read(levels), responses: try ResponseTargetSet.read(responses),
                                    history: try HistoryTargetSet.read(history), marketGrowth: marketGrowth)
        if !columns.isEmpty && evidence.figures.map(\.column) != columns {
            throw InputError(source: levels, problem: "the evidence's figures are not those the sweep was planned with; plan a new sweep")
        }
        return (evidence, try Scenario.load(file: past, assignments: []))
    }

    /// The history at one run of a plan: the point's values, the run's
    /// households, seed and one replicate, as the present run has them.
    public func past(_ history: Scenario, matching present: Scenario, assignments: [Assignment]) throws(InputError) -> Scenario {
        var s = history
        try s.apply(assignments)
        s.model.population.shoppers = present.model.population.shoppers
        s.run.seed = present.run.seed
        s.run.replicates = 1
        try s.validate()
        return s
    }
}
