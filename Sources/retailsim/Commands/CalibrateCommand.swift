import ArgumentParser
import Foundation
import RetailExperiment

/// `retailsim calibrate`: fits the option constants and membership benefits to published targets.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the option constants and membership parameters to published figures (Nelder-Mead, common random numbers).",
        discussion: """
        Moves choice.constants.A, .WS, .WO, .OO and the Prime-like and Walmart+-like median \
        benefits beyond delivery (amazon.prime.benefitDollars.median, \
        walmart.plus.benefitDollars.median, on the log scale) to minimise the sum over the \
        targets with use = "calibration" of ((model - published) / tolerance)^2. Every \
        evaluation runs the same seeds, so the objective is a smooth function of the parameters. \
        Prints each target, the model's figure at the fit and the residual (held-out targets too, \
        for information: they were not fitted), and writes into --out:
          fitted.toml       the fitted scenario, every parameter; run it with `retailsim run fitted.toml`
          calibration.csv   every target against the fit
          parameters.csv    each fitted parameter, start and end
          trace.csv         the simplex's best objective and size by iteration
          calibration.json  settings, evaluations, objective, seed and version
        Example:
          retailsim calibrate Experiments/scenarios/baseline.toml --targets Experiments/targets/us-2024.toml --out runs/cal

        With --posterior, a Bayesian calibration instead (docs/REPRODUCE.md, "The posterior"): history \
        matching with emulators in --waves waves over every prior of --priors, on the levels, the \
        measurable responses and the history's figures (calibration ones fitted, held-out ones \
        predicted), then the posterior on the last wave's emulators. Each wave is a sweep in \
        --out/wave-K (shard it with `retailsim sweep run --shard`, e.g. on Slurm after --plan-only; \
        run the same command again to go on). Writes posterior.csv, predictive.csv, waves.csv, \
        emulators.csv and posterior.json.
          retailsim calibrate --posterior --out runs/posterior
        """
    )

    @OptionGroup var scenarioOptions: ScenarioOptions

    @Option(help: "The published targets (a TOML file of [targets.NAME] tables).")
    var targets = "Experiments/targets/us-2024.toml"

    @Option(help: ArgumentHelp("Response targets to fit beside the levels (a TOML file of [responses.NAME] tables).",
                               discussion: "Adds the price and time weights (shoppers.priceSensitivity.median, shoppers.timeSensitivity.median) and the two nests (choice.walmartNest, choice.onlineNest) to the fitted parameters."))
    var responses: String?

    @Option(name: .customLong("hold"), help: ArgumentHelp("A fitted parameter to hold at the scenario's value, by name (repeatable).",
                                                          discussion: "For comparing structures: --hold choice.walmartNest with --set choice.walmartNest=1 fits without the Walmart nest."))
    var held: [String] = []

    @Option(help: "Output folder (default: runs/calibration, with --posterior runs/posterior).")
    var out: String?

    @Option(help: "Simulated households in each evaluation (default: 20000, with --posterior 10000).")
    var fitShoppers: Int?

    @Option(help: "Replicates averaged in each evaluation, the same seeds every time (default: 2, with --posterior 1).")
    var fitReplicates: Int?

    @Flag(help: "A Bayesian calibration: the posterior over the priors' parameters, by history matching with emulators.")
    var posterior = false

    @Option(help: "With --posterior: the priors and the figures' errors (a TOML file of [priors.NAME] tables).")
    var priors = "Experiments/targets/us-priors.toml"

    @Option(help: "With --posterior: the history's figures.")
    var historyTargets = "Experiments/targets/us-history.toml"

    @Option(help: "With --posterior: the history's scenario, run at every point for the history's figures.")
    var historyScenario = "Experiments/scenarios/us-history.toml"

    @Option(help: "With --posterior: the market's growth, for the history's figures in dollars.")
    var marketGrowth = "Experiments/history/market-growth.csv"

    @Option(help: "With --posterior: waves of history matching.")
    var waves = PosteriorSettings().waves

    @Option(help: "With --posterior: points a wave runs (default: ten a prior in wave 1, five in later waves).")
    var wavePoints: Int?

    @Option(help: "With --posterior: candidates each posterior round draws (a later wave draws until it holds its points, at most 50 times as many).")
    var candidates = PosteriorSettings().candidates

    @Option(help: ArgumentHelp("With --posterior: points wave 1 adds around the scenario's own values, besides that point (default: five a prior; 0: neither).",
                               discussion: "The space the figures leave can be a small share of the priors' box, where a space-filling design seldom lands; the scenario's committed fit lies in it. The design says only where to run."))
    var nearPoints: Int?

    @Option(help: "With --posterior or --recover: steps of each Metropolis chain, the first quarter its burn-in.")
    var chainSteps = PosteriorSettings().chainSteps

    @Option(help: ArgumentHelp("Parameter recovery instead of a posterior: K truths drawn from the priors are run, and the posterior (the first wave's emulators and chains) made again from each one's figures; writes the ranks, the coverage and which figures pin which parameters.",
                               valueName: "K"))
    var recover: Int?

    @Flag(help: "With --posterior: plan the next wave that has not run and stop, for its shards to run elsewhere.")
    var planOnly = false

    @Option(help: ArgumentHelp("With --posterior: calibrate a problem whose posterior is known in closed form instead of the model, through the same waves, emulators and chains; writes benchmark.json (the task and its answer) beside the posterior's files.",
                               discussion: "Allowed: gaussian-linear. The check another tool can solve too (docs/REPRODUCE.md, \"The benchmark\").",
                               valueName: "NAME"))
    var benchmark: String?

    @Option(help: "Nelder-Mead iterations at most.")
    var maxIterations = CalibrationSettings().maxIterations

    @Option(help: ArgumentHelp("Households of a first, cheaper search (one replicate) whose best point starts the fit.",
                               discussion: "Multi-fidelity: the small search finds the basin, the full-size one polishes it."))
    var coarseShoppers: Int?

    @Option(help: "Iterations of the coarse search at most.")
    var coarseIterations = 300

    @Option(parsing: .unconditional, help: "Worker threads (default: every core). Never changes the results.")
    var threads: String?

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    /// The scenario to fit: without a posterior, whose draws would override the fit's parameters.
    func loadBase() throws(InputError) -> Scenario {
        let base = try scenarioOptions.load()
        guard !base.drawsFromPosterior else {
            throw InputError(source: scenarioOptions.scenario ?? "--set", path: "run.posterior", value: base.run.posterior,
                             problem: "a calibration fits the parameters a posterior would draw; allowed: \"\" (none)")
        }
        return base
    }

    func run() throws {
        if posterior || recover != nil || benchmark != nil { return try runPosterior() }
        let out = self.out ?? "runs/calibration"
        let fitShoppers = self.fitShoppers ?? CalibrationSettings().shoppers
        let fitReplicates = self.fitReplicates ?? CalibrationSettings().replicates
        let base = try loadBase()
        let targetSet = try TargetSet.read(targets)
        let responseSet = try responses.map(ResponseTargetSet.read)
        var settings = CalibrationSettings()
        for (flag, value, range) in [("--fit-shoppers", fitShoppers, 100...10_000_000), ("--fit-replicates", fitReplicates, 1...1000),
                                     ("--max-iterations", maxIterations, 1...100_000), ("--coarse-shoppers", coarseShoppers ?? 100, 100...10_000_000),
                                     ("--coarse-iterations", coarseIterations, 1...100_000)] where !range.contains(value) {
            throw InputError(source: flag, value: "\(value)", problem: "out of range; allowed: an integer in [\(range.lowerBound), \(range.upperBound)]")
        }
        try OutputFolder.prepare(out, source: "--out")
        settings.shoppers = fitShoppers
        settings.replicates = fitReplicates
        settings.maxIterations = maxIterations
        settings.coarse = coarseShoppers.map { CoarseStage(shoppers: $0, iterations: coarseIterations) }
        let progress = ProgressLine(enabled: !quiet)
        let clock = Date()
        let all = FreeParameter.standard(for: base) + (responseSet == nil ? [] : FreeParameter.responseParameters(for: base))
        for name in held where !all.contains(where: { $0.name == name }) {
            throw InputError(source: "--hold", value: name, problem: "not a fitted parameter; allowed: " + all.map(\.name).joined(separator: ", "))
        }
        let parameters = all.filter { !held.contains($0.name) }
        guard !parameters.isEmpty else { throw InputError(source: "--hold", problem: "every fitted parameter is held; nothing is left to fit") }
        let result = try Calibration.fit(base: base, targets: targetSet, responses: responseSet, settings: settings, parameters: parameters,
                                         threads: try resolveThreads(threads)) { i, best, n in
            progress.report(step: "iteration \(i)/\(settings.maxIterations)", detail: String(format: "objective %.4f · %d runs", best, n),
                            seconds: Date().timeIntervalSince(clock))
        }
        progress.finish()
        let command = (["retailsim"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        try CalibrationOutput.write(result, targetsFile: targets, command: command, to: out)
        print(CalibrationReport.render(result, folder: out), terminator: "")
    }
}

extension CalibrateCommand {
    /// `--posterior`: the Bayesian calibration.
    func runPosterior() throws {
        let out = self.out ?? (recover == nil ? "runs/posterior" : "runs/recovery")
        var settings = PosteriorSettings()
        settings.shoppers = fitShoppers ?? settings.shoppers
        settings.replicates = fitReplicates ?? settings.replicates
        settings.waves = waves
        settings.points = wavePoints ?? 0
        settings.candidates = candidates
        settings.nearPoints = nearPoints
        settings.chainSteps = chainSteps
        for (flag, value, range) in [("--fit-shoppers", settings.shoppers, 100...10_000_000), ("--fit-replicates", settings.replicates, 1...1000),
                                     ("--waves", settings.waves, 1...20), ("--wave-points", wavePoints ?? 10, 5...100_000),
                                     ("--candidates", settings.candidates, 100...10_000_000), ("--near-points", nearPoints ?? 0, 0...100_000),
                                     ("--recover", recover ?? 1, 1...10_000), ("--chain-steps", chainSteps, 100...10_000_000)] where !range.contains(value) {
            throw InputError(source: flag, value: "\(value)", problem: "out of range; allowed: an integer in [\(range.lowerBound), \(range.upperBound)]")
        }
        if !held.isEmpty || coarseShoppers != nil {
            throw InputError(source: held.isEmpty ? "--coarse-shoppers" : "--hold", problem: "belongs to the point fit; --posterior holds a parameter by a prior that is a point (lower = upper is refused: leave it out of the priors file)")
        }
        let base = try loadBase()
        if let benchmark { return try runBenchmark(benchmark, seed: base.run.seed, settings: settings) }
        let priorSet = try PriorSet.read(priors)
        let source = try EvidenceSource(levels: targets, responses: responses ?? "Experiments/targets/us-responses.toml",
                                        history: historyTargets, past: historyScenario, marketGrowth: marketGrowth)
        try OutputFolder.prepare(out, source: "--out")
        let progress = ProgressLine(enabled: !quiet)
        let clock = Date()
        if let recover {
            let result = try ParameterRecovery.run(priors: priorSet, source: source, present: base, settings: settings, truths: recover, folder: out,
                                                   threads: try resolveThreads(threads)) { step in
                progress.report(step: step, detail: "", seconds: Date().timeIntervalSince(clock))
            }
            progress.finish()
            let command = (["retailsim"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
            try RecoveryOutput.write(result, priorsFile: priors, command: command, to: out)
            print(RecoveryReport.render(result, folder: out), terminator: "")
            return
        }
        let result = try PosteriorCalibration.run(priors: priorSet, source: source, present: base, settings: settings, folder: out,
                                                  threads: try resolveThreads(threads), planOnly: planOnly) { step in
            progress.report(step: step, detail: "", seconds: Date().timeIntervalSince(clock))
        }
        progress.finish()
        if let wave = result.waiting {
            let folder = (out as NSString).appendingPathComponent("wave-\(wave)")
            print("""
            planned wave \(wave) in \(folder)/; run its shards, then this command again to go on:
              retailsim sweep run \(folder) --shard i/N        (or: sbatch --array=0-N-1 Experiments/slurm/sweep.sbatch \(folder))
            """)
            return
        }
        let command = (["retailsim"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        try PosteriorOutput.write(result, priorsFile: priors, command: command, to: out)
        print(PosteriorReport.render(result, folder: out), terminator: "")
    }
}

extension CalibrateCommand {
    /// `--benchmark`: the posterior of a problem whose answer is known, beside that answer.
    func runBenchmark(_ name: String, seed: Int, settings: PosteriorSettings) throws {
        if recover != nil || planOnly {
            throw InputError(source: "--benchmark", value: name, problem: "runs its waves itself and is not recovered; leave out "
                             + (planOnly ? "--plan-only" : "--recover"))
        }
        let task = try CalibrationBenchmark(name: name, seed: seed)
        let out = self.out ?? "runs/benchmark"
        try OutputFolder.prepare(out, source: "--out")
        let progress = ProgressLine(enabled: !quiet)
        let clock = Date()
        let result = try task.calibrate(settings: settings, folder: out, threads: try resolveThreads(threads)) { step in
            progress.report(step: step, detail: "", seconds: Date().timeIntervalSince(clock))
        }
        progress.finish()
        let command = (["retailsim"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        try PosteriorOutput.write(result, priorsFile: "benchmark \(name)", command: command, to: out)
        try task.write(to: out)
        var text = PosteriorReport.render(result, folder: out, benchmark: true)
        let (mean, cov) = task.closedForm
        let s = result.sample
        text += "\nagainst the closed form (benchmark.json):\n"
        for (k, prior) in result.priors.priors.enumerated() {
            text += "  \(prior.name): " + String(format: "posterior mean %.4f sd %.4f; closed form %.4f sd %.4f\n", s.mean[k],
                                                 s.covariance[k * mean.count + k].squareRoot(), mean[k], cov[k][k].squareRoot())
        }
        print(text, terminator: "")
    }
}

/// The printed account of a Bayesian calibration.
enum PosteriorReport {
    /// `benchmark`: the runs are a closed form's, not households', and leave no wave folders.
    static func render(_ r: PosteriorResult, folder: String, benchmark: Bool = false) -> String {
        var out = "RetailSim \(RetailSimVersion.string) · posterior of \(benchmark ? "" : "scenario ")\(r.scenario) · seed \(r.seed)\n"
        let runs = r.waves.reduce(0) { $0 + $1.runs }, failed = r.waves.reduce(0) { $0 + $1.failed }
        let size = benchmark ? "of the closed form" : "of \(r.settings.shoppers) households"
        out += String(format: "%d waves, %d runs \(size) (%d failed) · %.0f s\n", r.waves.count, runs, failed, r.seconds)
        for w in r.waves {
            out += String(format: "  wave %d: %d points, %.3g %% of candidates plausible before it, %d points plausible as measured, %d emulators\n",
                          w.wave, w.points, 100 * w.plausibleShare, w.measuredPlausible, w.emulators.count)
            if let failures = w.failures { out += "    \(failures)\n" }
        }
        out += String(format: "posterior: %d states of %d Metropolis chains on the last wave's emulators (acceptance %.2f), effective sample size %.1f\n\n",
                      r.sample.points.count, r.acceptance.count, r.acceptance.isEmpty ? 0 : r.acceptance.reduce(0, +) / Double(r.acceptance.count),
                      r.effectiveSize)
        out += "figure                                   use          published    q05      mean     q95   covered\n"
        for c in r.predictive {
            out += "\(c.figure.kind.rawValue):\(c.figure.name)".padding(toLength: 41, withPad: " ", startingAt: 0)
                + (c.figure.calibration ? "calibration" : "held out").padding(toLength: 11, withPad: " ", startingAt: 0)
                + String(format: "%11.4f %8.4f %8.4f %8.4f  %@\n", c.figure.value, c.q05, c.mean, c.q95, c.covered ? "yes" : "no")
        }
        let coverage = r.heldOutCoverage
        out += "\nheld-out figures inside their 90 % predictive interval: \(coverage.covered) of \(coverage.of)\n"
        out += "\nwrote \(folder)/: " + PosteriorOutput.fileNames.joined(separator: ", ")
            + (benchmark ? ", benchmark.json\n" : ", wave-1/ ... wave-\(r.waves.count)/\n")
        return out
    }
}

/// The printed account of a calibration.
enum CalibrationReport {
    static func render(_ r: CalibrationResult, folder: String) -> String {
        var out = "RetailSim \(RetailSimVersion.string) · calibration of scenario \(r.base.name) · seed \(r.base.run.seed)\n"
        out += String(format: "%d evaluations of %d replicate(s) x %d households x %d weeks · %d iterations, %@ · %.0f s\n\n",
                      r.evaluations, r.settings.replicates, r.settings.shoppers, r.base.run.weeks, r.iterations,
                      r.converged ? "converged" : "stopped at the iteration limit", r.seconds)
        out += "target                     use          published     model  residual  tolerance\n"
        for c in r.comparisons {
            out += c.target.name.padding(toLength: 27, withPad: " ", startingAt: 0)
                + c.target.use.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                + String(format: "%11.4f %9.4f %+9.4f %10.4f", c.target.value, c.model, c.residual, c.target.tolerance)
                + (c.passes ? "" : "  outside") + "\n"
        }
        for c in r.responses {
            out += c.target.name.padding(toLength: 27, withPad: " ", startingAt: 0)
                + c.target.use.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                + String(format: "%11.4f %9.4f %+9.4f %10.4f", c.target.value, c.model, c.residual, c.target.tolerance)
                + (c.passes ? "" : "  outside") + "\n"
        }
        out += String(format: "objective (sum of squared residuals / tolerance, calibration targets): %.4f\n\n", r.objective)
        out += "parameter                                               start     fitted\n"
        for p in r.parameters {
            out += p.name.padding(toLength: 52, withPad: " ", startingAt: 0) + String(format: "%9.4f %10.4f\n", p.value(r.base), p.value(r.fitted))
        }
        out += "\nwrote \(folder)/: " + CalibrationOutput.fileNames.joined(separator: ", ") + "\n"
        return out
    }
}

/// The printed account of a parameter recovery.
enum RecoveryReport {
    static func render(_ r: RecoveryResult, folder: String) -> String {
        var out = "RetailSim \(RetailSimVersion.string) · parameter recovery on scenario \(r.scenario) · seed \(r.seed)\n"
        out += "\(r.truthRuns) truths from the priors, \(r.recovered.count) recovered (\(r.skipped) left out: a run failed or a fitted figure was undefined); "
            + "the first wave's \(r.designRuns) runs of \(r.settings.shoppers) households and its emulators for every truth; \(r.figures.count) fitted figures\n\n"
        out += "prior".padding(toLength: 28, withPad: " ", startingAt: 0) + "covered   sd ratio   uniform ranks (p)   pinned most by\n"
        let covered = r.covered
        for (j, prior) in r.priors.priors.enumerated() {
            // A parameter that no emulator reads is pinned by none of the figures.
            let top = r.figures.indices.max { r.pins[$0][j] < r.pins[$1][j] }.flatMap { r.pins[$0][j] > 0 ? $0 : nil }
            out += prior.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: "%3d/%-3d   %8.2f   %17.3f   ", covered[j], r.recovered.count, r.meanSdRatio(j), r.uniformity(j))
                + (top.map { r.figures[$0].name + String(format: " (%.1f sd)", r.pins[$0][j]) } ?? "none: no emulator reads it") + "\n"
        }
        let all = covered.reduce(0, +), cells = r.recovered.count * r.priors.priors.count
        out += String(format: "\nall: %d of %d truths' coordinates inside their 90 %% interval (%.0f %%)\n", all, cells, cells > 0 ? 100 * Double(all) / Double(cells) : 0)
        out += "wrote \(folder)/: " + RecoveryOutput.fileNames.joined(separator: ", ") + ", wave-1/, truths/\n"
        return out
    }
}
