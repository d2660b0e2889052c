import Foundation
import RetailModel
import RetailStats

/// A claim of the source article as an experiment: the same replicates (the
/// same countries, households and draws, by seed) with the strategy off and on,
/// and each claimed effect as the mean paired difference with its 95 %
/// Student-t interval (on a posterior, its 90 % posterior interval:
/// `Reproduction.ReplicateInterval`). The strategy runs twice: with prices following the
/// off arm's path week by week (the *direct* effect of the strategy itself),
/// and with the pricing rules free (the *equilibrium* effect, the retailers'
/// price responses included). Each arm's claim passes when its interval lies
/// wholly on the claimed side of zero; prices, profits and welfare are
/// reported for both. The arms start from one warm state (`Arms`, 0.21.0):
/// the experiment's scenario before the arms' settings, warmed once a
/// replicate; each arm's settings act from week 1. With `fork` (0.23.0) the
/// state is the scenario's own run at that date (the history's 2024, so a
/// claim starts from the present the history reached, not from a frozen
/// world), and each arm's settings act from the week after, held to the end
/// in place of the history's timeline for them.
enum PairedExperiment {
    /// Figures reported for both arms besides the claimed ones.
    static let reported = ["amazonPriceIndex", "walmartPriceIndex", "amazonProfit", "walmartProfit", "welfare"]

    static func run(_ spec: ReproductionSpec, root: String, extra: [Assignment], folder: String,
                    threads: Int) throws -> (checks: [Check], files: [String]) {
        var on = try spec.scenario(root: root, extra, arm: spec.on), off = try spec.scenario(root: root, extra, arm: spec.off)
        let base = try spec.scenario(root: root, extra)
        let interval = Reproduction.ReplicateInterval(base)
        let forkWeek = spec.forkWeek(in: base)
        if forkWeek > 0 {
            on = try base.continued(as: on, setting: spec.on, after: forkWeek)
            off = try base.continued(as: off, setting: spec.off, after: forkWeek)
        }
        // Off, then on with prices on the off arm's path (direct), then on with the rules free (equilibrium).
        let results = try Arms.run(base: base, arms: [off, on, on], forkWeek: forkWeek, threads: threads) { arm, market, _, earlier in
            if arm == 1 {
                market.pricePath = PricePath(firstWeek: forkWeek + 1, prices: earlier[0].map { (amazon: $0.amazon.priceIndex, walmart: $0.walmart.priceIndex) })
            }
        }
        let (resultOff, resultDirect, resultOn) = (results[0], results[1], results[2])
        let (mOn, mDirect, mOff) = (resultOn.metrics, resultDirect.metrics, resultOff.metrics)
        let names = MetricCatalog.names
        var replicatesCSV = "arm,replicate," + names.joined(separator: ",") + "\n"
        for (arm, metrics) in [("on", mOn), ("direct", mDirect), ("off", mOff)] {
            for (k, m) in metrics.enumerated() {
                replicatesCSV += "\(arm),\(k + 1)," + m.values.map { String($0) }.joined(separator: ",") + "\n"
            }
        }
        var effectsCSV = "metric,arm,claim,on,off,effect,\(interval.columns),pass\n"
        var checks: [Check] = [], rows: [EffectChart.Row] = []
        let claimed = spec.expect.map { ($0.0, Optional($0.1)) } + reported.filter { r in !spec.expect.contains { $0.0 == r } }.map { ($0, nil as ReproductionSpec.Direction?) }
        for (metric, direction) in claimed {
            for (arm, mArm) in [("direct", mDirect), ("equilibrium", mOn)] {
                let a = mArm.map { $0[metric]! }, b = mOff.map { $0[metric]! }
                let effect = try interval(zip(a, b).map { $0 - $1 })
                let meanOn = Reproduction.mean(a), meanOff = Reproduction.mean(b)
                let pass = direction.map { $0 == .increase ? effect.low > 0 : effect.high < 0 }
                effectsCSV += "\(metric),\(arm),\(direction?.rawValue ?? "reported"),\(meanOn),\(meanOff),\(effect.mean),\(effect.low),\(effect.high),"
                    + (pass.map { String($0) } ?? "") + "\n"
                guard let direction, let pass else { continue }
                let points = (MetricCatalog.metric(metric)?.isShare == true)
                func show(_ x: Double) -> String { points ? String(format: "%.2f", 100 * x) : String(format: "%.3f", x) }
                let how = arm == "direct" ? "prices on the off arm's path" : "pricing rules free"
                checks.append(Check(name: "\(metric) (\(arm))", reference: "claim: \(direction.rawValue)s with the strategy on (\(spec.claim)); \(how)",
                                    model: "\(show(meanOff)) off → \(show(meanOn)) on; effect \(show(effect.mean)) [\(show(effect.low)), \(show(effect.high))]"
                                        + (points ? " points" : ""),
                                    tolerance: "\(interval.name) on the claimed side of 0", pass: pass))
                rows.append(EffectChart.Row(label: "\(metric), \(arm)" + (points ? " (points)" : ""), estimate: points ? 100 * effect.mean : effect.mean,
                                            low: points ? 100 * effect.low : effect.low, high: points ? 100 * effect.high : effect.high))
            }
        }
        let chart = EffectChart(title: spec.title, xLabel: "effect of the strategy: on minus off, mean of \(mOn.count) paired replicates, \(interval.name)",
                                rows: rows)
        var files = [try Reproduction.write(replicatesCSV, "replicates.csv", in: folder), try Reproduction.write(effectsCSV, "effects.csv", in: folder),
                     try Reproduction.write(chart.svg(), "effects.svg", in: folder)]
        if spec.numbers["years"] != nil || on.run.weeks - forkWeek > 104 {
            let chart = try sharesOverTime(on: resultOn, off: resultOff, title: spec.title, from: spec.fork.map { _ in base.calendar.firstDay(ofWeek: forkWeek + 1) },
                                           interval: interval)
            files.append(try Reproduction.write(chart.svg(height: 440), "shares.svg", in: folder))
        }
        return (checks, files)
    }

    /// Each retailer's share of all spend by quarter, both arms, with bands
    /// (`interval`); against the calendar year when the arms start on day `from` (a fork).
    static func sharesOverTime(on: RunResult, off: RunResult, title: String, from: Int? = nil,
                               interval: Reproduction.ReplicateInterval) throws -> LineChart {
        var series: [ChartSeries] = []
        for (arm, result) in [("strategies on", on), ("strategies off", off)] {
            for (name, options) in RetailerID.allCases.map({ ($0.title, Option.sold(by: $0)) }) {
                let weeks = result.replicates[0].count
                var points: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = []
                // Quarterly shares: weekly ones are noisy at this scale.
                for q in stride(from: 0, to: weeks - 12, by: 13) {
                    let shares = result.replicates.map { records -> Double in
                        let quarter = records[q..<(q + 13)]
                        let all = quarter.reduce(0.0) { acc, w in acc + Option.allCases.reduce(0.0) { $0 + w.revenue($1) } }
                        return quarter.reduce(0.0) { acc, w in acc + options.reduce(0.0) { $0 + w.revenue($1) } } / all
                    }
                    let s = try interval(shares)
                    let x = (from.map(HistoryPeriod.decimalYear(day:)) ?? 0) + Double(q + 13) / 52
                    points.append((x, s.mean))
                    band.append((x, s.low, s.high))
                }
                series.append(ChartSeries(name: "\(name), \(arm)", style: arm == "strategies on" ? .line : .dashed, points: points, band: band))
            }
        }
        return LineChart(title: "\(title): share of all spend by quarter", xLabel: from == nil ? "years" : "year", yLabel: "share of all spend",
                         series: series, yPercent: true, yInclude: [0])
    }
}
