import Dispatch
import Foundation
import RetailModel
import RetailStats

/// Progress of a run, for a progress line.
public struct RunProgress: Sendable {
    public var replicate: Int
    public var replicates: Int
    public var week: Int
    public var weeks: Int
    public var householdWeeksDone: Double
    public var secondsElapsed: Double

    public var fractionDone: Double { (Double(replicate - 1) * Double(weeks) + Double(week)) / Double(replicates * weeks) }
}

/// What a run produced: every replicate's weekly records.
public struct RunResult: Sendable {
    public var scenario: Scenario
    /// Weekly records by replicate (index 0 is replicate 1).
    public var replicates: [[WeekRecord]]
    /// Seconds spent building worlds (geography, facilities, households).
    public var setupSeconds: Double
    /// Seconds spent in the weekly loop.
    public var loopSeconds: Double
    /// Where the run was stopped before its end (Ctrl-C), if it was: the last
    /// replicate holds the weeks done up to then.
    public var stoppedAt: StopPoint? = nil

    /// Each replicate's metrics over its weeks after the warm-up; a replicate
    /// stopped within its warm-up is summarised over the weeks it has.
    public var metrics: [ReplicateMetrics] {
        replicates.map { weeks in
            let warmup = weeks.count > scenario.run.warmupWeeks ? scenario.run.warmupWeeks : 0
            return ReplicateMetrics(weeks: weeks, warmupWeeks: warmup, shoppers: scenario.model.population.shoppers)
        }
    }
}

extension RunResult {
    /// Refuses a run whose figures are not all finite: a combination of
    /// parameters past what the model's arithmetic holds (each is within its
    /// own range, together they overflow). Named, exit 2, nothing written.
    public func checkFinite() throws(InputError) {
        for (r, weeks) in replicates.enumerated() {
            for w in weeks {
                let values = w.revenue + w.waitHours + [w.amazon.revenue, w.amazon.profit, w.walmart.revenue, w.walmart.profit, w.amazon.priceIndex]
                if let bad = values.first(where: { !$0.isFinite }) {
                    throw InputError(source: "scenario", value: String(bad),
                                     problem: "replicate \(r + 1) week \(w.week) gave a non-finite revenue, profit or wait: these parameters together "
                                     + "are past what the model's arithmetic holds; bring the largest of them (sensitivities, sigmas, fees, hours) toward their defaults")
                }
            }
        }
        for (r, m) in metrics.enumerated() {
            if let k = m.values.firstIndex(where: { !$0.isFinite }) {
                throw InputError(source: "scenario", path: MetricCatalog.names[k], value: String(m.values[k]),
                                 problem: "replicate \(r + 1) gave a non-finite metric: these parameters together are past what the model's arithmetic holds")
            }
        }
    }
}

/// The last week a stopped run finished.
public struct StopPoint: Sendable, Equatable {
    public var replicate: Int
    public var week: Int
}
