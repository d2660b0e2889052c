import Foundation
import RetailModel
import RetailStats

/// The article's strategy levers one at a time (`kind = "levers"`): the full
/// strategies against the same replicates with one lever switched off, on
/// common random numbers; a lever's effect on a metric is the mean paired
/// difference (with the lever minus without) and its 95 % Student-t interval
/// (on a posterior, its 90 % posterior interval: `Reproduction.ReplicateInterval`).
/// Pricing rules stay free, so an effect includes the other retailer's price
/// reaction. A lever passes when it moves one of the `judge` metrics by more
/// than `tolerance` (its whole interval beyond it) and moves each metric
/// it expects (`expect.METRIC`) its way (the whole interval on that side of
/// 0): one that moves nothing that matters, or moves its own retailer the
/// wrong way, is a miss, with its reason. An effect on a programme's own
/// member share (none without it) is reported, not judged. Every arm starts
/// from the full strategies' warm state (`Arms`, 0.21.0), but a lever that
/// switches off a starting network, which the model reads only when it makes
/// the market, is warmed on its own (its check says so).
enum LeverExperiment {
    static func run(_ spec: ReproductionSpec, base: Scenario, root: String, extra: [Assignment], folder: String,
                    threads: Int) throws -> (checks: [Check], files: [String]) {
        let arms = try spec.levers.map { lever throws in try spec.scenario(root: root, extra, arm: lever.off) }
        let results = try Arms.run(base: base, arms: [base] + arms, threads: threads)
        let with = results[0].metrics
        let interval = Reproduction.ReplicateInterval(base)
        var csv = "lever,metric,withLever,without,effect,\(interval.columns),beyondTolerance\n"
        var checks: [Check] = [], rows: [EffectChart.Row] = []
        for (k, lever) in spec.levers.enumerated() {
            let without = results[k + 1].metrics
            let warmed = base.fixedDifference(arms[k]).map { "; warmed on its own: \($0)" } ?? ""
            var moved = false, rightWay = true, cells: [String] = []
            for metric in spec.metrics {
                let a = with.map { $0[metric]! }, b = without.map { $0[metric]! }
                let e = try interval(zip(a, b).map { $0 - $1 })
                let moves = e.low > spec.tolerance || e.high < -spec.tolerance
                moved = moved || (moves && spec.judge.contains(metric))
                if let d = lever.expect.first(where: { $0.metric == metric })?.direction {
                    rightWay = rightWay && (d == .increase ? e.low > 0 : e.high < 0)
                }
                let points = MetricCatalog.metric(metric)?.isShare == true, k = points ? 100.0 : 1.0
                csv += "\(lever.name),\(metric),\(Reproduction.mean(a)),\(Reproduction.mean(b)),\(e.mean),\(e.low),\(e.high),\(moves)\n"
                cells.append("\(metric) \(show(k * e.mean)) [\(show(k * e.low)), \(show(k * e.high))]")
                rows.append(EffectChart.Row(label: "\(lever.name): \(metric)" + (points ? " (points)" : ""), estimate: k * e.mean, low: k * e.low, high: k * e.high))
            }
            let ways = lever.expect.map { "\($0.direction == .increase ? "raises" : "lowers") \($0.metric)" }
            checks.append(Check(name: lever.name,
                                reference: "switched off by " + lever.off.map { "\($0.path) = \($0.value)" }.joined(separator: ", ") + warmed,
                                model: cells.joined(separator: "; ") + " (with minus without; shares in points)",
                                tolerance: "moves \(spec.judge.joined(separator: " or ")) by more than \(JSONText.number(spec.tolerance))"
                                    + (ways.isEmpty ? "" : " and " + ways.joined(separator: " and ")) + " (\(interval.name))",
                                pass: moved && rightWay))
        }
        let chart = EffectChart(title: "\(spec.title): each lever's effect",
                                xLabel: "with the lever minus without, mean of \(with.count) paired replicates, \(interval.name)", rows: rows, guides: [0])
        return (checks, [try Reproduction.write(csv, "levers.csv", in: folder), try Reproduction.write(chart.svg(), "figure.svg", in: folder)])
    }

    private static func show(_ x: Double) -> String { String(format: "%+.2f", x) }
}
