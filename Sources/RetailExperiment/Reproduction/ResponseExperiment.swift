import Foundation
import RetailModel
import RetailStats

/// The response targets measured (`kind = "responses"`): each intervention
/// and its reference run on the same seeds (common random numbers), the
/// response computed replicate by replicate and given as the mean with its
/// 95 % Student-t interval (`ResponseTargetSet.measure`). A response the
/// model cannot produce yet is a miss that names what it lacks.
enum ResponseExperiment {
    static func run(_ spec: ReproductionSpec, base: Scenario, root: String, folder: String,
                    threads: Int) throws -> (checks: [Check], files: [String]) {
        let set = try ResponseTargetSet.read(ReproductionSpec.resolve(spec.targets, root: root))
        let measured = try set.measure(set.responses.filter { $0.form != nil }, base: base, threads: threads)
        var csv = "response,use,form,quantity,published,tolerance,model,ci95Low,ci95High,agrees,offQuantity,onQuantity,source\n"
        var checks: [Check] = [], rows: [EffectChart.Row] = []
        for r in set.responses {
            let use = switch r.use { case .calibration: "calibration"; case .validation: "held out"; case .structure: "structure" }
            let tolerance = r.comparison.describe(value: r.value, tolerance: r.tolerance, show)
            let reference = "\(use): \(show(r.value)), \(r.measure); \(r.intervention) (\(r.source))"
            guard let form = r.form, let quantity = r.quantity, let c = measured.first(where: { $0.target.name == r.name }) else {
                checks.append(Check(name: r.name, reference: reference, model: Reproduction.unmeasurable + r.requires, tolerance: tolerance, pass: false))
                csv += [r.name, r.use.rawValue, "", "", String(r.value), String(r.tolerance), "", "", "", "no", "", "", r.source]
                    .map(CalibrationOutput.csvField).joined(separator: ",") + "\n"
                continue
            }
            let ci = c.ci95 ?? c.model...c.model
            checks.append(Check(name: r.name, reference: reference, model: "\(show(c.model)) [\(show(ci.lowerBound)), \(show(ci.upperBound))]",
                                tolerance: tolerance, pass: c.passes))
            csv += [r.name, r.use.rawValue, form.rawValue, quantity.description, String(r.value), String(r.tolerance), String(c.model),
                    String(ci.lowerBound), String(ci.upperBound), c.passes ? "yes" : "no", String(Reproduction.mean(c.off)), c.on.isEmpty ? "" : String(Reproduction.mean(c.on)), r.source]
                .map(CalibrationOutput.csvField).joined(separator: ",") + "\n"
            let t = max(r.tolerance, 1e-9)
            rows.append(EffectChart.Row(label: r.name + (r.use == .validation ? " (held out)" : ""), estimate: c.residual / t,
                                        low: (ci.lowerBound - r.value) / t, high: (ci.upperBound - r.value) / t))
        }
        let chart = EffectChart(title: "\(spec.title): model minus published, in tolerances",
                                xLabel: "(model - published) / tolerance, 95 % interval over paired replicates; inside the dashed lines agrees",
                                rows: rows, guides: [-1, 1])
        return (checks, [try Reproduction.write(csv, "responses.csv", in: folder), try Reproduction.write(chart.svg(), "figure.svg", in: folder)])
    }

    private static func show(_ x: Double) -> String { String(format: abs(x) >= 100 ? "%.1f" : "%.3f", x) }
}
