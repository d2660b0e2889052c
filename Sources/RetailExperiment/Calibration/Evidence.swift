import Foundation
import RetailModel
import RetailStats

/// Everything the Bayesian calibration compares the model with (issue 26):
/// the 2024 levels, the responses measured on paired arms, and the history's
/// dated figures, each with its use; and the model's value of every one at
/// a point of the parameters. The calibration figures are fitted, the
/// held-out ones only predicted (their coverage is the posterior's check).
public struct Evidence: Sendable {
    /// Which file a figure comes from.
    public enum Kind: String, Sendable { case level, response, history }

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
