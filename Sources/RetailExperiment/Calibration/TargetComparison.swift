import Foundation
import RetailModel
import RetailStats

/// A target beside the model's figure.
public struct TargetComparison: Sendable {
    public var target: Target
    /// Mean across replicates.
    public var model: Double
    /// 95 % Student-t interval across replicates (nil with one replicate).
    public var ci95: ClosedRange<Double>?

    /// Model minus published.
    public var residual: Double { model - target.value }
    /// (residual / tolerance)^2: the target's part of the objective.
    public var weightedSquare: Double { pow(residual / target.tolerance, 2) }
    public var passes: Bool { target.passes(model) }

    /// Compares every target with the replicates of one run.
    public static func compare(_ targets: [Target], _ replicates: [ReplicateMetrics]) throws -> [TargetComparison] {
        try targets.map { t in
            let values = replicates.map(t.metric.value(in:))
            let s = Summary(values)
            return TargetComparison(target: t, model: s.mean, ci95: try s.confidenceInterval(level: 0.95))
        }
    }
}
