import ArgumentParser
import RetailExperiment

/// How `sweep` and `sweep plan` take a sweep: the base scenario exactly as
/// `run` takes it, the varied parameters, the design and the output folder.
struct SweepOptions: ParsableArguments {
    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup var posteriorOption: PosteriorOption

    @Option(help: ArgumentHelp("""
        A parameter to vary and its values (repeatable): lo:hi:n (n evenly spaced values, ends included), \
        lo:hi (a range, for lhs and sobol designs) or a list a,b,c.
        """, valueName: "path=values"))
    var vary: [String] = []

    @Option(help: ArgumentHelp("grid (every combination), lhs:N (Latin hypercube, N points) or sobol:N (Saltelli's design on Sobol's sequence, N x (parameters + 2) points, for `retailsim sensitivity`) or points:FILE.csv (exactly the points of a CSV file whose header names parameter paths; no --vary).", valueName: "design"))
    var design: String = "grid"

    @Option(help: ArgumentHelp("common: replicate r of every point shares its seed (common random numbers, sharper comparisons); independent: a seed per point and replicate.", valueName: "common|independent"))
    var seeds: String = "common"

    @Option(help: ArgumentHelp("summary (each run's summary metrics, results.csv) or weekly (also every week's figures of every run, weekly.csv in long form: point, replicate, week, metric, value).", valueName: "summary|weekly"))
    var record: String = "summary"

    @Option(help: "The sweep's folder (default: sweeps/<scenario name>).")
    var out: String?

    /// The plan the options describe, and its folder.
    func plan() throws(InputError) -> (SweepPlan, String) {
        let base = try scenarioOptions.load(defaults: posteriorOption.assignments)
        guard let seeding = SweepPlan.Seeding(rawValue: seeds) else {
            throw InputError(source: "--seeds", value: seeds, problem: "allowed: common or independent")
        }
        let sweepDesign = try SweepDesign(parsing: design)
        var factors: [SweepFactor] = []
        if case .external(let file) = sweepDesign {
            guard vary.isEmpty else {
                throw InputError(source: "--vary", value: vary[0], problem: "--design points:FILE takes its parameters from the file's columns; give no --vary")
            }
            factors = try SweepDesign.readPoints(file).factors
        }
        for text in vary { factors.append(try SweepFactor(parsing: text)) }
        guard let recording = SweepPlan.Recording(rawValue: record) else {
            throw InputError(source: "--record", value: record, problem: "allowed: summary or weekly")
        }
        let plan = try SweepPlan(base: base, factors: factors, design: sweepDesign, seeding: seeding, recording: recording)
        let folder = out ?? "sweeps/\(base.name)"
        try OutputFolder.prepare(folder, source: "--out")
        return (plan, folder)
    }
}
