import Foundation
import RetailModel
import RetailStats

/// A claim of the source article as an experiment: the same replicates (the
/// same countries, shoppers and draws, by seed) with the strategy on and off,
/// and each claimed effect as the mean paired difference with its 95 %
/// Student-t interval. A claim passes when the interval lies wholly on the
/// claimed side of zero.
enum PairedExperiment {
    static func run(_ spec: ReproductionSpec, root: String, extra: [Assignment], folder: String,
                    threads: Int) throws -> (checks: [Check], files: [String]) {
        let on = try spec.scenario(root: root, extra + spec.on), off = try spec.scenario(root: root, extra + spec.off)
        let resultOn = try Replicates.runConcurrently(on, threads: threads), resultOff = try Replicates.runConcurrently(off, threads: threads)
        let (mOn, mOff) = (resultOn.metrics, resultOff.metrics)
        let names = MetricCatalog.names
        var replicatesCSV = "arm,replicate," + names.joined(separator: ",") + "\n"
        for (arm, metrics) in [("on", mOn), ("off", mOff)] {
            for (k, m) in metrics.enumerated() {
                replicatesCSV += "\(arm),\(k + 1)," + m.values.map { String($0) }.joined(separator: ",") + "\n"
            }
        }
        var effectsCSV = "metric,claim,on,off,effect,ci95Low,ci95High,pass\n"
        var checks: [Check] = [], rows: [EffectChart.Row] = []
        for (metric, direction) in spec.expect {
            let a = mOn.map { $0[metric]! }, b = mOff.map { $0[metric]! }
            let effect = try Reproduction.interval(zip(a, b).map { $0 - $1 })
            let meanOn = a.reduce(0, +) / Double(a.count), meanOff = b.reduce(0, +) / Double(b.count)
            let pass = direction == .increase ? effect.low > 0 : effect.high < 0
            effectsCSV += "\(metric),\(direction.rawValue),\(meanOn),\(meanOff),\(effect.mean),\(effect.low),\(effect.high),\(pass)\n"
            let points = (MetricCatalog.metric(metric)?.isShare == true)
            func show(_ x: Double) -> String { points ? String(format: "%.2f", 100 * x) : String(format: "%.3f", x) }
            checks.append(Check(name: metric, reference: "claim: \(direction.rawValue)s with the strategy on (\(spec.claim))",
                                model: "\(show(meanOff)) off → \(show(meanOn)) on; effect \(show(effect.mean)) [\(show(effect.low)), \(show(effect.high))]"
                                    + (points ? " points" : ""),
                                tolerance: "95 % CI on the claimed side of 0", pass: pass))
            rows.append(EffectChart.Row(label: metric + (points ? " (points)" : ""), estimate: points ? 100 * effect.mean : effect.mean,
                                        low: points ? 100 * effect.low : effect.low, high: points ? 100 * effect.high : effect.high))
        }
        let chart = EffectChart(title: spec.title, xLabel: "effect of the strategy: on minus off, mean of \(mOn.count) paired replicates, 95 % interval",
                                rows: rows)
        var files = [try Reproduction.write(replicatesCSV, "replicates.csv", in: folder), try Reproduction.write(effectsCSV, "effects.csv", in: folder),
                     try Reproduction.write(chart.svg(), "effects.svg", in: folder)]
        if spec.numbers["years"] != nil || on.run.weeks > 104 {
            files.append(try Reproduction.write(try sharesOverTime(on: resultOn, off: resultOff, title: spec.title).svg(height: 440), "shares.svg", in: folder))
        }
        return (checks, files)
    }

    /// Each retailer's share of all spend by quarter, both arms, with 95 % bands.
    static func sharesOverTime(on: RunResult, off: RunResult, title: String) throws -> LineChart {
        var series: [ChartSeries] = []
        for (arm, result) in [("strategies on", on), ("strategies off", off)] {
            for (name, options) in [("Amazon-like", [Option.amazon]), ("Walmart-like", [Option.walmartStore, .walmartOnline])] {
                let weeks = result.replicates[0].count
                var points: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = []
                // Quarterly shares: weekly ones are noisy at this scale.
                for q in stride(from: 0, to: weeks - 12, by: 13) {
                    let shares = result.replicates.map { records -> Double in
                        let quarter = records[q..<(q + 13)]
                        let all = quarter.reduce(0.0) { acc, w in acc + Option.allCases.reduce(0.0) { $0 + w.revenue($1) } }
                        return quarter.reduce(0.0) { acc, w in acc + options.reduce(0.0) { $0 + w.revenue($1) } } / all
                    }
                    let s = try Reproduction.interval(shares)
                    let x = Double(q + 13) / 52
                    points.append((x, s.mean))
                    band.append((x, s.low, s.high))
                }
                series.append(ChartSeries(name: "\(name), \(arm)", style: arm == "strategies on" ? .line : .dashed, points: points, band: band))
            }
        }
        return LineChart(title: "\(title): share of all spend by quarter", xLabel: "years", yLabel: "share of all spend",
                         series: series, yPercent: true, yInclude: [0])
    }
}
