import Foundation
import RetailModel
import RetailStats

/// The published targets: the calibration that fits the baseline to them,
/// and the validation that compares the baseline with all of them.
enum ValidationExperiment {
    static func targets(_ spec: ReproductionSpec, root: String) throws -> TargetSet {
        try TargetSet.read(ReproductionSpec.resolve(spec.targets, root: root))
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
                    String(c.model), String(ci.lowerBound), String(ci.upperBound), c.target.use == .diagnostic ? "" : c.passes ? "yes" : "no",
                    c.target.year, c.target.source]
                .map(CalibrationOutput.csvField).joined(separator: ",") + "\n"
            let held = c.target.use == .validation
            let use = switch c.target.use {
            case .calibration: "fitted"
            case .validation: "held out"
            case .dataCheck: "data check"
            case .diagnostic: "diagnostic"
            }
            let tolerance = c.target.comparison.describe(value: c.target.value, tolerance: c.target.tolerance, Reproduction.format)
            // A diagnostic is in the table and the figure, never a PASS or a FAIL.
            if c.target.use != .diagnostic {
                checks.append(Check(name: c.target.name,
                                    reference: "\(use): \(Reproduction.format(c.target.value)) (\(c.target.publisher), \(c.target.year))",
                                    model: "\(Reproduction.format(c.model)) [\(Reproduction.format(ci.lowerBound)), \(Reproduction.format(ci.upperBound))]",
                                    tolerance: tolerance, pass: c.passes))
            }
            let t = c.target.tolerance
            rows.append(EffectChart.Row(label: "\(c.target.name)\(held ? " (held out)" : c.target.use == .diagnostic ? " (diagnostic)" : "")", estimate: c.residual / t,
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
        // A shrunk calibration (tests) has no coarse stage: it is already the small one.
        if size.shoppers == nil, let shoppers = spec.numbers["coarseShoppers"] {
            settings.coarse = CoarseStage(shoppers: Int(shoppers), iterations: Int(spec.numbers["coarseIterations"] ?? 300))
        }
        let responses = try spec.responses.isEmpty ? nil : ResponseTargetSet.read(ReproductionSpec.resolve(spec.responses, root: root))
        let fit = try Calibration.fit(base: base, targets: set, responses: responses, settings: settings,
                                      parameters: FreeParameter.standard(for: base) + (responses == nil ? [] : FreeParameter.responseParameters(for: base)), threads: threads)
        let command = "retailsim reproduce \(spec.name)"
        try CalibrationOutput.write(fit, targetsFile: spec.targets, command: command, to: folder)
        let fitted = fit.comparisons.filter { $0.target.use == .calibration }
        let within = fitted.filter(\.passes)
        var checks = [Check(name: "targets-within-tolerance",
                            reference: "\(fitted.count) targets of \(spec.targets) (use = \"calibration\")",
                            model: "\(within.count) of \(fitted.count) within; objective \(String(format: "%.3f", fit.objective)), "
                                + "\(fit.evaluations) evaluations, \(fit.converged ? "converged" : "iteration limit")",
                            tolerance: "each target's own", pass: within.count == fitted.count)]
        if responses != nil {
            let fittedResponses = fit.responses.filter { $0.target.use == .calibration }
            let outside = fittedResponses.filter { !$0.passes }
            checks.append(Check(name: "responses-within-tolerance",
                                reference: "\(fittedResponses.count) responses of \(spec.responses) (use = \"calibration\", measurable)",
                                model: "\(fittedResponses.count - outside.count) of \(fittedResponses.count) within"
                                    + (outside.isEmpty ? "" : "; outside: " + outside.map { "\($0.target.name) \(Reproduction.format($0.model)) (\(Reproduction.format($0.target.value)))" }
                                        .joined(separator: ", ")),
                                tolerance: "each response's own", pass: outside.isEmpty))
        }
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
