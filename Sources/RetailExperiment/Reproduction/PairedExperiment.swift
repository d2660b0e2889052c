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
        let names = ReplicateMetrics.names
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

/// The published targets: the calibration that fits the baseline to them,
/// and the validation that compares the baseline with all of them.
enum ValidationExperiment {
    static func targets(_ spec: ReproductionSpec, root: String) throws -> TargetSet {
        try TargetSet.read(spec.targets.hasPrefix("/") ? spec.targets : (root as NSString).appendingPathComponent(spec.targets))
    }

    /// The baseline's replicates against every target: fitted ones (in
    /// sample) and held-out ones; a figure of each gap in tolerances.
    static func run(_ spec: ReproductionSpec, base: Scenario, root: String, folder: String, threads: Int) throws -> (checks: [Check], files: [String]) {
        let set = try targets(spec, root: root)
        let result = try Replicates.runConcurrently(base, threads: threads)
        let comparisons = try TargetComparison.compare(set.targets, result.metrics)
        var csv = "target,use,metric,published,tolerance,model,ci95Low,ci95High,agrees,year,source\n"
        var checks: [Check] = [], rows: [EffectChart.Row] = []
        for c in comparisons {
            let ci = c.ci95 ?? c.model...c.model
            csv += [c.target.name, c.target.use.rawValue, c.target.metric.description, String(c.target.value), String(c.target.tolerance),
                    String(c.model), String(ci.lowerBound), String(ci.upperBound), c.passes ? "yes" : "no", c.target.year, c.target.source]
                .map(CalibrationOutput.csvField).joined(separator: ",") + "\n"
            let held = c.target.use == .validation
            checks.append(Check(name: c.target.name,
                                reference: "\(held ? "held out" : "fitted"): \(Reproduction.format(c.target.value)) (\(c.target.publisher), \(c.target.year))",
                                model: "\(Reproduction.format(c.model)) [\(Reproduction.format(ci.lowerBound)), \(Reproduction.format(ci.upperBound))]",
                                tolerance: "± \(Reproduction.format(c.target.tolerance))", pass: c.passes))
            let t = c.target.tolerance
            rows.append(EffectChart.Row(label: "\(c.target.name)\(held ? " (held out)" : "")", estimate: c.residual / t,
                                        low: (ci.lowerBound - c.target.value) / t, high: (ci.upperBound - c.target.value) / t))
        }
        let chart = EffectChart(title: "\(spec.title): model minus published, in tolerances",
                                xLabel: "(model - published) / tolerance; inside the dashed lines agrees", rows: rows, guides: [-1, 1])
        let files = [try Reproduction.write(csv, "targets.csv", in: folder), try Reproduction.write(chart.svg(), "figure.svg", in: folder),
                     try Reproduction.write(try RunOutput.summaryJSON(result), "summary.json", in: folder)]
        return (checks, files)
    }

    /// The calibration that made the baseline: fits from the uncalibrated
    /// scenario, and checks that the fit is within tolerance of every
    /// calibration target and that the built-in baseline holds its values.
    static func calibrate(_ spec: ReproductionSpec, base: Scenario, root: String, size: ReproductionSize, folder: String,
                          threads: Int) throws -> (checks: [Check], files: [String]) {
        let set = try targets(spec, root: root)
        var settings = CalibrationSettings()
        settings.shoppers = size.shoppers ?? Int(spec.numbers["fitShoppers"] ?? Double(settings.shoppers))
        settings.replicates = size.replicates ?? Int(spec.numbers["fitReplicates"] ?? Double(settings.replicates))
        settings.maxIterations = size.maxIterations ?? Int(spec.numbers["maxIterations"] ?? Double(settings.maxIterations))
        let fit = try Calibration.fit(base: base, targets: set, settings: settings, threads: threads)
        let command = "retailsim reproduce \(spec.name)"
        try CalibrationOutput.write(fit, targetsFile: spec.targets, command: command, to: folder)
        let fitted = fit.comparisons.filter { $0.target.use == .calibration }
        let within = fitted.filter(\.passes)
        var checks = [Check(name: "targets-within-tolerance",
                            reference: "\(fitted.count) targets of \(spec.targets) (use = \"calibration\")",
                            model: "\(within.count) of \(fitted.count) within; objective \(String(format: "%.3f", fit.objective)), "
                                + "\(fit.evaluations) evaluations, \(fit.converged ? "converged" : "iteration limit")",
                            tolerance: "each target's own", pass: within.count == fitted.count)]
        let differing = fit.parameters.filter { $0.value(fit.fitted) != $0.value(Scenario.baseline) }
        checks.append(Check(name: "baseline-is-this-fit",
                            reference: "the defaults in ModelParameters.swift and Experiments/scenarios/baseline.toml",
                            model: differing.isEmpty ? "all \(fit.parameters.count) fitted parameters equal"
                                : "differ: " + differing.map { "\($0.name) \(Reproduction.format($0.value(fit.fitted))) vs \(Reproduction.format($0.value(Scenario.baseline)))" }
                                    .joined(separator: "; "),
                            tolerance: "exact (4 decimals)", pass: differing.isEmpty))
        let chart = LineChart(title: "\(spec.title): Nelder-Mead's best objective", xLabel: "iteration", yLabel: "log10 of the objective",
                              series: [ChartSeries(name: "best vertex of the simplex", points: fit.trace.map { (Double($0.iteration), log10(max($0.objective, 1e-12))) })])
        return (checks, CalibrationOutput.fileNames + [try Reproduction.write(chart.svg(), "figure.svg", in: folder)])
    }
}
