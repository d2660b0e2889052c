import Foundation

/// Writes a calibration's files, each atomically: `fitted.toml` (the fitted
/// scenario, runnable), `calibration.csv` (every target against the fit),
/// `parameters.csv`, `trace.csv`, `identification.csv` (each fitted
/// parameter's pull on each calibration target) and `calibration.json`. Nothing in them
/// depends on the machine or the clock, so a calibration remade gives the same bytes.
public enum CalibrationOutput {
    public static let fileNames = ["fitted.toml", "calibration.csv", "parameters.csv", "trace.csv", "identification.csv", "calibration.json"]

    public static func write(_ r: CalibrationResult, targetsFile: String, command: String, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        AtomicFile.removeAbandoned(in: folder)
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

        var notes: [String: String] = [:]
        for p in ParameterCatalog.all where p.value(in: r.fitted) != p.value(in: r.base) { notes[p.path] = "fitted" }
        let header = [
            "Fitted by: \(command)",
            "retailsim \(RetailSimVersion.string); targets \(targetsFile); seed \(r.base.run.seed); "
                + "\(r.settings.shoppers) shoppers x \(r.settings.replicates) replicates an evaluation (common random numbers)",
            String(format: "Nelder-Mead: %d evaluations, %d iterations, %@; objective %.4f", r.evaluations, r.iterations,
                   r.converged ? "converged" : "stopped at the iteration limit", r.objective),
        ] + (r.undefinedEvaluations > 0 ? ["\(r.undefinedEvaluations) evaluations reached points where a fitted figure was undefined and scored \(Calibration.undefinedPenalty)"] : [])
          + (r.coarse.map { [String(format: "started from a coarse search of %d households x 1 replicate: %d iterations, objective %.4f at that size",
                                       $0.stage.shoppers, $0.iterations, $0.objective)] } ?? []) + [
            "Every parameter of the resolved scenario follows; those marked 'fitted' moved.",
        ]
        try AtomicFile.write(r.fitted.toml(comment: header, notes: notes), to: path("fitted.toml"))

        var table = "target,use,metric,published,tolerance,model,ci95Low,ci95High,residual,weightedSquare,agrees,year,source\n"
        for c in r.comparisons {
            table += [c.target.name, c.target.use.rawValue, c.target.metric.description, number(c.target.value),
                      number(c.target.tolerance), number(c.model), c.ci95.map { number($0.lowerBound) } ?? "",
                      c.ci95.map { number($0.upperBound) } ?? "", number(c.residual), number(c.weightedSquare),
                      c.passes ? "yes" : "no", c.target.year, c.target.source].map(csvField).joined(separator: ",") + "\n"
        }
        // Responses (a response file given): the form and quantity stand in the metric's place.
        for c in r.responses {
            table += [c.target.name, c.target.use.rawValue, "\(c.target.form?.rawValue ?? "") of \(c.target.quantity?.description ?? "")",
                      number(c.target.value), number(c.target.tolerance), number(c.model), c.ci95.map { number($0.lowerBound) } ?? "",
                      c.ci95.map { number($0.upperBound) } ?? "", number(c.residual), number(c.weightedSquare),
                      c.passes ? "yes" : "no", "", c.target.source].map(csvField).joined(separator: ",") + "\n"
        }
        try AtomicFile.write(table, to: path("calibration.csv"))

        var parameters = "parameter,start,fitted\n"
        for p in r.parameters {
            parameters += "\(csvField(p.name)),\(number(p.value(r.base))),\(number(p.value(r.fitted)))\n"
        }
        try AtomicFile.write(parameters, to: path("parameters.csv"))
        try AtomicFile.write("iteration,objective,simplexSize\n" + r.trace.map { "\($0.iteration),\(number($0.objective)),\(number($0.size))\n" }.joined(),
                             to: path("trace.csv"))
        let fittedTargets = r.comparisons.filter { $0.target.use == .calibration }.map(\.target.name)
            + r.responses.filter { $0.target.use == .calibration }.map(\.target.name)
        var identification = "parameter,step," + fittedTargets.joined(separator: ",") + ",largest\n"
        for (p, row) in zip(r.parameters, r.sensitivity) {
            identification += "\(csvField(p.name)),\(number(p.step))," + row.map(number).joined(separator: ",")
                + ",\(number(row.map(abs).max() ?? 0))\n"
        }
        try AtomicFile.write(identification, to: path("identification.csv"))
        let json = """
        {
          "scenario": \(JSONText.string(r.base.name)),
          "seed": \(r.base.run.seed),
          "version": \(JSONText.string(RetailSimVersion.string)),
          "targets": \(JSONText.string(targetsFile)),
          "command": \(JSONText.string(command)),
          "shoppers": \(r.settings.shoppers),
          "replicates": \(r.settings.replicates),
          "evaluations": \(r.evaluations),
          "undefinedEvaluations": \(r.undefinedEvaluations),
          "iterations": \(r.iterations),\(r.coarse.map { "\n  \"coarseShoppers\": \($0.stage.shoppers),\n  \"coarseIterations\": \($0.iterations)," } ?? "")
          "converged": \(r.converged),
          "objective": \(JSONText.number(r.objective))
        }

        """
        try AtomicFile.write(json, to: path("calibration.json"))
    }

    static func number(_ x: Double) -> String { x.isFinite ? String(format: "%.6g", x) : "" }

    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
