import Foundation
import RetailModel
import RetailStats

/// The response targets measured (`kind = "responses"`): each intervention
/// and its reference run on the same seeds (common random numbers), the
/// response computed replicate by replicate and given as the mean with its
/// 95 % Student-t interval. An arm shared by several responses (most share
/// the reference) runs once. A response the model cannot produce yet is a
/// miss that names what it lacks.
enum ResponseExperiment {
    static func run(_ spec: ReproductionSpec, root: String, extra: [Assignment], folder: String,
                    threads: Int) throws -> (checks: [Check], files: [String]) {
        let set = try ResponseTargetSet.read(ReproductionSpec.resolve(spec.targets, root: root))
        var arms: [String: RunResult] = [:]
        func arm(_ settings: [Assignment]) throws -> (Scenario, RunResult) {
            let scenario = try spec.scenario(root: root, extra + set.settings + settings)
            let key = settings.map { "\($0.path)=\($0.value)" }.joined(separator: "\n")
            if let done = arms[key] { return (scenario, done) }
            let result = try Replicates.runConcurrently(scenario, threads: threads)
            arms[key] = result
            return (scenario, result)
        }
        var csv = "response,use,form,quantity,published,tolerance,model,ci95Low,ci95High,agrees,offQuantity,onQuantity,source\n"
        var checks: [Check] = [], rows: [EffectChart.Row] = []
        for r in set.responses {
            let use = switch r.use { case .calibration: "calibration"; case .validation: "held out"; case .structure: "structure" }
            let tolerance = r.comparison.describe(value: r.value, tolerance: r.tolerance, show)
            let reference = "\(use): \(show(r.value)), \(r.measure); \(r.intervention) (\(r.source))"
            guard let form = r.form, let quantity = r.quantity else {
                checks.append(Check(name: r.name, reference: reference, model: "not measurable yet: \(r.requires)", tolerance: tolerance, pass: false))
                csv += [r.name, r.use.rawValue, "", "", String(r.value), String(r.tolerance), "", "", "", "no", "", "", r.source]
                    .map(CalibrationOutput.csvField).joined(separator: ",") + "\n"
                continue
            }
            let (scenarioOff, off) = try arm(r.off)
            let (scenarioOn, on) = form == .level ? (scenarioOff, off) : try arm(r.on)
            let qOff = quantities(off, quantity), qOn = quantities(on, quantity)
            let perReplicate: [Double]
            switch form {
            case .level: perReplicate = qOff
            case .percentChange: perReplicate = zip(qOn, qOff).map { 100 * ($0 / $1 - 1) }
            case .elasticity:
                let parameter = ParameterCatalog.parameter(r.elasticityOf)!
                guard case .number(let x1) = parameter.value(in: scenarioOn), case .number(let x0) = parameter.value(in: scenarioOff) else {
                    throw InputError(source: set.name, path: "responses.\(r.name).elasticityOf", value: r.elasticityOf, problem: "expected a number in both arms")
                }
                perReplicate = zip(qOn, qOff).map { log($0 / $1) / log(x1 / x0) }
            }
            guard perReplicate.allSatisfy(\.isFinite) else {
                throw InputError(source: set.name, path: "responses.\(r.name)", value: "\(perReplicate)",
                                 problem: "not measurable in these runs: a quantity is zero (too few households, or an option no one can choose)")
            }
            let e = try Reproduction.interval(perReplicate)
            let pass = r.passes(e.mean)
            checks.append(Check(name: r.name, reference: reference, model: "\(show(e.mean)) [\(show(e.low)), \(show(e.high))]",
                                tolerance: tolerance, pass: pass))
            let mean = { (q: [Double]) in q.reduce(0, +) / Double(q.count) }
            csv += [r.name, r.use.rawValue, form.rawValue, quantity.description, String(r.value), String(r.tolerance), String(e.mean), String(e.low),
                    String(e.high), pass ? "yes" : "no", String(mean(qOff)), form == .level ? "" : String(mean(qOn)), r.source]
                .map(CalibrationOutput.csvField).joined(separator: ",") + "\n"
            let t = max(r.tolerance, 1e-9)
            rows.append(EffectChart.Row(label: r.name + (r.use == .validation ? " (held out)" : ""), estimate: (e.mean - r.value) / t,
                                        low: (e.low - r.value) / t, high: (e.high - r.value) / t))
        }
        let chart = EffectChart(title: "\(spec.title): model minus published, in tolerances",
                                xLabel: "(model - published) / tolerance, 95 % interval over paired replicates; inside the dashed lines agrees",
                                rows: rows, guides: [-1, 1])
        return (checks, [try Reproduction.write(csv, "responses.csv", in: folder), try Reproduction.write(chart.svg(), "figure.svg", in: folder)])
    }

    /// The quantity in each replicate, over its summarised weeks.
    static func quantities(_ result: RunResult, _ q: ResponseQuantity) -> [Double] {
        let warmup = result.scenario.run.warmupWeeks
        return result.replicates.map { weeks in
            q.value(weeks[(weeks.count > warmup ? warmup : 0)...], households: result.scenario.model.population.shoppers)
        }
    }

    private static func show(_ x: Double) -> String { String(format: abs(x) >= 100 ? "%.1f" : "%.3f", x) }
}
