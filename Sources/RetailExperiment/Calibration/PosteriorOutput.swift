import Foundation

/// Writes a Bayesian calibration's files beside its waves' sweep folders,
/// each atomically and with nothing from the clock, so that the same
/// calibration remade gives the same bytes:
/// `posterior.csv` (the weighted sample, each prior's parameter value),
/// `parameters.csv` (each prior against its posterior: what the data pin),
/// `predictive.csv` (every figure against its 90 % posterior predictive
/// interval), `waves.csv`, `emulators.csv` and `posterior.json` (settings,
/// diagnostics, the held-out coverage, seed and version).
public enum PosteriorOutput {
    public static let fileNames = ["posterior.csv", "parameters.csv", "predictive.csv", "waves.csv", "emulators.csv", "posterior.json"]

    /// Points whose weight is below this share of the largest are left out of
    /// `posterior.csv` (their total is in `posterior.json`).
    static let negligible = 1e-4

    public static func write(_ r: PosteriorResult, priorsFile: String, command: String, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        AtomicFile.removeAbandoned(in: folder)
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        let number = JSONText.number
        let names = r.priors.priors.map(\.name)

        let top = r.sample.weights.max() ?? 0
        let kept = Set(r.sample.weights.indices.filter { r.sample.weights[$0] >= negligible * top && r.sample.weights[$0] > 0 })
        var sample = (["weight"] + names).joined(separator: ",") + "\n"
        for i in kept.sorted() {
            let values = zip(r.priors.priors, r.sample.points[i]).map { number($0.value($1)) }
            sample += ([number(r.sample.weights[i])] + values).joined(separator: ",") + "\n"
        }
        try AtomicFile.write(sample, to: path("posterior.csv"))

        // What the data pin: each coordinate's posterior sd against its prior's
        // (on the prior's scale, the log for log ones), and its 90 % interval.
        var pinned = "prior,paths,scale,priorMean,priorSd,posteriorMean,posteriorSd,sdRatio,posterior05,posterior95\n"
        let grid = (0..<1000).map { (Double($0) + 0.5) / 1000 }
        for (k, prior) in r.priors.priors.enumerated() {
            let draws = grid.map { prior.coordinate(quantile: $0) }
            let priorMean = draws.reduce(0, +) / Double(draws.count)
            let priorSd = (draws.reduce(0) { $0 + ($1 - priorMean) * ($1 - priorMean) } / Double(draws.count)).squareRoot()
            let (mean, sd, q05, q95) = weightedSummary(r.sample.points.map { $0[k] }, r.sample.weights)
            pinned += [prior.name, prior.paths.joined(separator: ";"), prior.distribution.onLogScale ? "log" : "linear", number(priorMean),
                       number(priorSd), number(mean), number(sd), number(sd / priorSd), number(prior.value(q05)),
                       number(prior.value(q95))].joined(separator: ",") + "\n"
        }
        try AtomicFile.write(pinned, to: path("parameters.csv"))

        var table = "kind,figure,use,comparison,published,tolerance,mean,q05,q95,covered\n"
        for c in r.predictive {
            table += [c.figure.kind.rawValue, c.figure.name, c.figure.calibration ? "calibration" : "validation", c.figure.comparison.rawValue,
                      number(c.figure.value), number(c.figure.tolerance), number(c.mean), number(c.q05), number(c.q95),
                      c.covered ? "yes" : "no"].joined(separator: ",") + "\n"
        }
        try AtomicFile.write(table, to: path("predictive.csv"))

        var waves = "wave,points,runs,failed,undefined,plausibleShare,measuredPlausible,emulators,notEmulated\n"
        var emulators = "wave,kind,figure,use,trainedOn,activeInputs,lengths,nugget,sd\n"
        for w in r.waves {
            waves += "\(w.wave),\(w.points),\(w.runs),\(w.failed),\(w.undefined),\(number(w.plausibleShare)),\(w.measuredPlausible),\(w.emulators.count),\(w.notEmulated.count)\n"
            for e in w.emulators {
                let f = r.figures[e.figure]
                emulators += [String(w.wave), f.kind.rawValue, f.name, f.calibration ? "calibration" : "validation", String(e.trainedOn),
                              e.emulator.active.map { names[$0] }.joined(separator: ";"), e.emulator.lengths.map(number).joined(separator: ";"),
                              number(e.emulator.nugget), number(e.emulator.variance.squareRoot())].joined(separator: ",") + "\n"
            }
        }
        try AtomicFile.write(waves, to: path("waves.csv"))
        try AtomicFile.write(emulators, to: path("emulators.csv"))

        let coverage = r.heldOutCoverage
        let s = r.settings
        let json = """
        {
          "version": \(JSONText.string(RetailSimVersion.string)),
          "command": \(JSONText.string(command)),
          "scenario": \(JSONText.string(r.scenario)),
          "seed": \(r.seed),
          "priors": \(JSONText.string(priorsFile)),
          "shoppers": \(s.shoppers),
          "replicates": \(s.replicates),
          "waves": \(r.waves.count),
          "pointsPerWave": \(r.waves.map { String($0.points) }.joined(separator: ", ").isEmpty ? "[]" : "[" + r.waves.map { String($0.points) }.joined(separator: ", ") + "]"),
          "runs": \(r.waves.reduce(0) { $0 + $1.runs }),
          "failedRuns": \(r.waves.reduce(0) { $0 + $1.failed }),
          "candidates": \(s.candidates),
          "cutoff": \(number(s.cutoff)),
          "oneFigureCutoff": \(number(s.oneFigureCutoff)),
          "activeInputs": \(s.activeInputs),
          "chains": \(r.acceptance.count),
          "chainSteps": \(s.chainSteps),
          "acceptance": \(number(r.acceptance.isEmpty ? 0 : r.acceptance.reduce(0, +) / Double(r.acceptance.count))),
          "sampleSize": \(r.sample.points.count),
          "effectiveSampleSize": \(number(r.effectiveSize)),
          "weightLeftOut": \(number(r.sample.weights.enumerated().filter { !kept.contains($0.offset) }.reduce(0) { $0 + $1.element })),
          "heldOutCovered": \(coverage.covered),
          "heldOut": \(coverage.of),
          "heldOutCoverage": \(coverage.of > 0 ? number(Double(coverage.covered) / Double(coverage.of)) : "null")
        }

        """
        try AtomicFile.write(json, to: path("posterior.json"))
    }

    /// Weighted mean, sd, 5 % and 95 % points (NaN for an empty sample).
    static func weightedSummary(_ x: [Double], _ w: [Double]) -> (mean: Double, sd: Double, q05: Double, q95: Double) {
        let total = w.reduce(0, +)
        guard !x.isEmpty, total > 0 else { return (.nan, .nan, .nan, .nan) }
        let mean = zip(x, w).reduce(0) { $0 + $1.0 * $1.1 } / total
        let sd = (zip(x, w).reduce(0) { $0 + $1.1 * ($1.0 - mean) * ($1.0 - mean) } / total).squareRoot()
        let order = x.indices.sorted { x[$0] < x[$1] }
        func quantile(_ q: Double) -> Double {
            var running = 0.0
            for i in order {
                running += w[i] / total
                if running >= q { return x[i] }
            }
            return x[order.last!]
        }
        return (mean, sd, quantile(0.05), quantile(0.95))
    }
}
