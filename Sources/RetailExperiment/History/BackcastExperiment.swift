import Foundation
import RetailModel
import RetailStats

/// The backcast (docs/MODEL.md section 13): the history scenario from its
/// late-2014 state to January 2026, every dated figure of the history's
/// targets against the replicates' mean and 95 % interval (on a posterior,
/// its 90 % posterior interval: `Reproduction.ReplicateInterval`), and a
/// figure of each series. Held-out figures are compared, never used.
enum BackcastExperiment {
    static func run(_ spec: ReproductionSpec, base: Scenario, root: String, folder: String, threads: Int) throws -> (checks: [Check], files: [String]) {
        let set = try HistoryTargetSet.read(ReproductionSpec.resolve(spec.targets, root: root))
        let measure = HistoryMeasure(scenario: base, marketGrowth: try HistoryMeasure.readMarketGrowth(ReproductionSpec.resolve(spec.marketGrowth, root: root)))
        let result = try Replicates.runConcurrently(base, threads: threads)
        let interval = Reproduction.ReplicateInterval(base)
        var csv = "target,series,period,use,published,tolerance,model,\(interval.columns),agrees,certainty,source\n"
        var checks: [Check] = []
        var measured: [(target: HistoryTarget, mean: Double, ci: ClosedRange<Double>)] = []
        for t in set.targets {
            let values = result.replicates.compactMap { measure.value(t, in: $0) }
            let use = t.use.label(fitted: spec.unfitted.isEmpty)
            guard values.count == result.replicates.count else {
                csv += row([t.name, t.series.rawValue, t.period.description, t.use.rawValue, format(t.value), format(t.tolerance), "", "", "", "", t.certainty, t.source])
                if t.use != .diagnostic {
                    checks.append(Check(name: t.name, reference: "\(use): \(format(t.value)) (\(t.period))", model: "outside the run",
                                        tolerance: t.comparison.describe(value: t.value, tolerance: t.tolerance, format), pass: false))
                }
                continue
            }
            let spread = try interval(values), ci = spread.low...spread.high
            measured.append((t, spread.mean, ci))
            csv += row([t.name, t.series.rawValue, t.period.description, t.use.rawValue, format(t.value), format(t.tolerance), format(spread.mean),
                        format(ci.lowerBound), format(ci.upperBound), t.use == .diagnostic ? "" : t.agrees(spread.mean) ? "yes" : "no", t.certainty, t.source])
            if t.use != .diagnostic {
                checks.append(Check(name: t.name, reference: "\(use): \(format(t.value)) (\(t.source), \(t.period))",
                                    model: "\(format(spread.mean)) [\(format(ci.lowerBound)), \(format(ci.upperBound))]",
                                    tolerance: t.comparison.describe(value: t.value, tolerance: t.tolerance, format), pass: t.agrees(spread.mean)))
            }
        }
        var files = [try Reproduction.write(csv, "targets.csv", in: folder), try Reproduction.write(seriesCSV(result, measure), "series.csv", in: folder)]
        for series in HistoryTarget.Series.allCases where measured.contains(where: { $0.target.series == series }) {
            let chart = try figure(series, result: result, measure: measure, measured: measured.filter { $0.target.series == series }, interval: interval)
            files.append(try Reproduction.write(chart.svg(), series == .onlineShare ? "figure.svg" : "figure-\(series.rawValue).svg", in: folder))
        }
        files.append(try Reproduction.write(try RunOutput.summaryJSON(result), "summary.json", in: folder))
        return (checks, files)
    }

    /// Each week's date and, for every weekly series, the replicates' mean.
    static func seriesCSV(_ result: RunResult, _ m: HistoryMeasure) -> String {
        let series = HistoryTarget.Series.allCases.filter { !$0.isGrowth }
        var out = "week,date," + series.map(\.rawValue).joined(separator: ",") + "\n"
        for w in 0..<(result.replicates.map(\.count).min() ?? 0) {
            let cells = series.map { s -> String in
                let v = result.replicates.compactMap { HistoryMeasure.share(s, weeks: [$0[w]], scale: m.scale) }
                return v.count == result.replicates.count ? format(v.reduce(0, +) / Double(v.count)) : ""
            }
            out += "\(w + 1),\(m.calendar.date(ofWeek: w + 1)),\(cells.joined(separator: ","))\n"
        }
        return out
    }

    /// The model's weekly mean and interval (a growth: each figure's
    /// model value) against the published figures with their tolerances,
    /// fitted, held out and reported only apart.
    static func figure(_ series: HistoryTarget.Series, result: RunResult, measure m: HistoryMeasure,
                       measured: [(target: HistoryTarget, mean: Double, ci: ClosedRange<Double>)],
                       interval: Reproduction.ReplicateInterval) throws -> LineChart {
        var lines: [ChartSeries] = []
        if series.isGrowth {
            lines.append(ChartSeries(name: "model (mean, \(interval.name))", style: .markers, points: measured.map { ($0.target.period.middleYear, $0.mean) },
                                     band: measured.map { ($0.target.period.middleYear, $0.ci.lowerBound, $0.ci.upperBound) }, colour: 0))
        } else {
            var points: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = []
            for w in 0..<(result.replicates.map(\.count).min() ?? 0) {
                let v = result.replicates.compactMap { HistoryMeasure.share(series, weeks: [$0[w]], scale: m.scale) }
                guard v.count == result.replicates.count else { continue }
                let s = try interval(v), x = HistoryPeriod.decimalYear(day: m.calendar.firstDay(ofWeek: w + 1))
                points.append((x, s.mean))
                band.append((x, s.low, s.high))
            }
            lines.append(ChartSeries(name: "model (mean of \(result.replicates.count) replicates, \(interval.name))", points: points, band: band, colour: 0))
        }
        for (use, name, colour) in [(HistoryTarget.Use.calibration, "published, fitted (+- tolerance)", 1),
                                    (.validation, "published, held out (+- tolerance)", 3), (.diagnostic, "published, reported only", 2)] {
            let figures = measured.map(\.target).filter { $0.use == use }
            guard !figures.isEmpty else { continue }
            lines.append(ChartSeries(name: name, style: .markers, points: figures.map { ($0.period.middleYear, $0.value) },
                                     band: figures.map { ($0.period.middleYear, $0.value - $0.tolerance, $0.value + $0.tolerance) }, colour: colour))
        }
        return LineChart(title: series.title, xLabel: "year", yLabel: series.isShare ? "share" : "millions", series: lines,
                         yPercent: series.isShare, yInclude: series.isGrowth ? [0] : [],
                         note: "each figure at the middle of its period; the model's week at its first day")
    }

    static func row(_ cells: [String]) -> String { cells.map(CalibrationOutput.csvField).joined(separator: ",") + "\n" }
    static func format(_ x: Double) -> String { Reproduction.format(x) }
}

/// The history's drivers fitted to its calibration figures before the
/// anchor (docs/MODEL.md section 13): Nelder-Mead over `trend.*` on
/// replicates with common random numbers, each evaluation the history
/// scenario up to the last fitted period; the 2024 cross-section's figures
/// are the 2024 calibration's, met at the anchor where every driver is 0.
enum DriverFit {
    /// The drivers (every `trend.*` path but the anchor); a spec's `drivers` names those it fits.
    static let paths = ParameterCatalog.all.map(\.path).filter { $0.hasPrefix("trend.") && $0 != "trend.anchor" }

    static func run(_ spec: ReproductionSpec, base: Scenario, root: String, size: ReproductionSize, folder: String,
                    threads: Int) throws -> (checks: [Check], files: [String]) {
        let set = try HistoryTargetSet.read(ReproductionSpec.resolve(spec.targets, root: root))
        let growth = try HistoryMeasure.readMarketGrowth(ReproductionSpec.resolve(spec.marketGrowth, root: root))
        let fitted = set.targets.filter { $0.use == .calibration && $0.period.end <= base.model.trend.anchor }
        guard let last = fitted.map(\.period.end).max() else { throw InputError(source: spec.targets, problem: "no calibration figure before trend.anchor") }
        var s = base
        s.model.population.shoppers = size.shoppers ?? Int(spec.numbers["fitShoppers"] ?? 20_000)
        s.run.replicates = size.replicates ?? Int(spec.numbers["fitReplicates"] ?? 2)
        s.run.weeks = s.calendar.week(containing: last - 1)
        s.timeline = s.timeline.filter { $0.week(in: s.calendar) <= s.run.weeks }
        let measure = HistoryMeasure(scenario: s, marketGrowth: growth)
        let free = spec.drivers.isEmpty ? paths : spec.drivers
        for p in free where !paths.contains(p) {
            throw InputError(source: spec.file, path: "drivers", value: p, problem: "allowed: " + paths.joined(separator: ", "))
        }
        func scenario(_ x: [Double]) throws(InputError) -> Scenario {
            var t = s
            for (p, v) in zip(free, x) { try ParameterCatalog.parameter(p)!.set(.number(v), in: &t, source: spec.name) }
            return t
        }
        var trace = "evaluation," + free.joined(separator: ",") + ",objective\n"
        var evaluations = 0
        func means(_ x: [Double]) throws -> [Double] {
            let result = try Replicates.runConcurrently(try scenario(x), threads: threads)
            return fitted.map { f in
                let v = result.replicates.compactMap { measure.value(f, in: $0) }
                return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
            }
        }
        func objective(_ x: [Double]) throws -> Double {
            let m = try means(x)
            let value = zip(fitted, m).reduce(0) { $0 + pow(($1.1 - $1.0.value) / $1.0.tolerance, 2) }
            evaluations += 1
            trace += "\(evaluations),\(x.map { String($0) }.joined(separator: ",")),\(value)\n"
            return value.isFinite ? value : .greatestFiniteMagnitude
        }
        let start = free.map { _ in spec.numbers["start"] ?? 0.05 }
        let best = try NelderMead.minimize(start: start, steps: free.map { _ in 0.05 }, sizeTolerance: spec.numbers["sizeTolerance"] ?? 0.002,
                                           maxIterations: Int(spec.numbers["maxIterations"] ?? 60), objective: objective)
        let rounded = best.x.map { ($0 * 10_000).rounded() / 10_000 }
        let at = try means(rounded)
        var checks = [Check(name: "fit converged", reference: "simplex smaller than \(spec.numbers["sizeTolerance"] ?? 0.005)",
                            model: "\(free.count) drivers, \(best.evaluations) evaluations, objective \(Reproduction.format(best.value)), simplex \(Reproduction.format(best.size))",
                            tolerance: "", pass: best.converged)]
        var csv = "target,series,period,published,tolerance,model,agrees\n"
        for (f, m) in zip(fitted, at) {
            csv += BackcastExperiment.row([f.name, f.series.rawValue, f.period.description, Reproduction.format(f.value), Reproduction.format(f.tolerance),
                                           Reproduction.format(m), f.agrees(m) ? "yes" : "no"])
            checks.append(Check(name: f.name, reference: "fitted: \(Reproduction.format(f.value)) (\(f.period))", model: Reproduction.format(m),
                                tolerance: "± \(Reproduction.format(f.tolerance))", pass: f.agrees(m)))
        }
        var toml = "# Fitted by: retailsim reproduce \(spec.name)\n# retailsim \(RetailSimVersion.string); targets \(spec.targets) (use = \"calibration\" before trend.anchor); "
        toml += "seed \(s.run.seed); \(s.model.population.shoppers) households x \(s.run.replicates) replicates an evaluation (common random numbers)\n"
        toml += "# Nelder-Mead: \(best.evaluations) evaluations, \(best.iterations) iterations, \(best.converged ? "converged" : "not converged"); objective \(Reproduction.format(best.value))\n"
        toml += "# Experiments/scripts/history_scenario.py copies these into Experiments/scenarios/us-history.toml.\n"
        let final = try scenario(rounded)
        for p in paths { toml += "\(p) = \(ParameterCatalog.parameter(p)!.value(in: final))\(free.contains(p) ? "    # fitted" : "")\n" }
        let files = [try Reproduction.write(toml, "drivers.toml", in: folder), try Reproduction.write(csv, "fit.csv", in: folder),
                     try Reproduction.write(trace, "trace.csv", in: folder)]
        return (checks, files)
    }
}
