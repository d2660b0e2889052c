import Dispatch
import Foundation
import RetailModel
import RetailStats

/// How the Bayesian calibration runs (`retailsim calibrate --posterior`).
public struct PosteriorSettings: Sendable, Equatable {
    /// Households in each evaluation.
    public var shoppers = 10_000
    /// Replicates of each point, on the same seeds at every point.
    public var replicates = 1
    /// Waves of history matching before the posterior.
    public var waves = 3
    /// Points a wave runs; 0: ten a prior coordinate in wave 1 (Loeppky,
    /// Sacks and Welch 2009), five in later waves, whose space is smaller.
    public var points = 0
    /// Candidates each posterior round draws; a later wave's design draws
    /// until it holds its points, at most fifty times as many.
    public var candidates = 20_000
    /// Implausibility beyond which two figures rule a point out.
    public var cutoff = 3.0
    /// Implausibility beyond which one figure rules a point out. The
    /// second-largest alone let the second attempt's wave 2 drift to where
    /// Amazon's share of online missed by 40 sd; one figure a little beyond
    /// the cutoff is still allowed (the committed fit's largest is 1.8).
    public var oneFigureCutoff = 4.0
    /// The most inputs one figure's emulator reads.
    public var activeInputs = 6
    /// Steps of each posterior chain, the first quarter its burn-in; every tenth state after it is kept.
    public var chainSteps = 4000
    /// Points wave 1 adds around the scenario's own values, besides that
    /// point itself; nil: five a coordinate; 0: neither. The space the
    /// figures leave can be a ten-thousandth of the prior's cube, where a
    /// Latin hypercube of a few hundred points seldom lands; the scenario's
    /// committed fit is a point known to lie in it, and a cloud around it
    /// shows the emulators the space's shape there. The design says only
    /// where to run: the posterior is still the prior times the likelihood.
    public var nearPoints: Int?
    /// The cloud's half-width in each coordinate's probability.
    public var nearWidth = 0.1

    public init() {}

    func pointsPerWave(_ wave: Int, coordinates: Int) -> Int { points > 0 ? points : (wave == 1 ? 10 : 5) * coordinates }

    /// `present` at the evaluations' size: households and replicates.
    func sized(_ present: Scenario) throws -> Scenario {
        var base = present
        base.model.population.shoppers = shoppers
        base.run.replicates = replicates
        try base.validate()
        return base
    }

    /// The two cutoffs as one rule.
    var rule: HistoryMatching.Rule { HistoryMatching.Rule(cutoff: cutoff, oneFigureCutoff: oneFigureCutoff) }
}

/// One figure's emulator in one wave.
public struct FigureEmulator: Sendable {
    /// Index into the evidence's figures.
    public var figure: Int
    public var emulator: Emulator
    /// Points it was trained on (those where the figure was measured).
    public var trainedOn: Int
}

/// What one wave ran and learnt.
public struct PosteriorWave: Sendable {
    public var wave: Int
    public var folder: String
    public var points: Int
    public var runs: Int
    /// Runs that stopped with an error (recorded as failed, skipped).
    public var failed: Int
    /// Runs where some figure was not defined at the point.
    public var undefined: Int
    /// The share of the prior's candidates the earlier waves left plausible (1 in wave 1).
    public var plausibleShare: Double
    /// The points, in the unit cube.
    public var design: [[Double]]
    /// Points whose measured figures are plausible themselves: the
    /// second-largest gap over the fitted figures within the cutoff on the
    /// figures' error alone (no emulator).
    public var measuredPlausible: Int { plausibleAsMeasured.count }
    /// Their indices in `design`.
    public var plausibleAsMeasured: [Int]
    /// The runs that failed when this call made them, in one line (nil: none, or made before).
    public var failures: String?
    public var emulators: [FigureEmulator]
    /// Calibration figures that could not be emulated, with why.
    public var notEmulated: [(figure: Int, why: String)]
}

/// A figure's posterior predictive: the published value against the
/// distribution of what would be observed (the model at the posterior's
/// points, its emulator's and the run's spread, observation error and
/// discrepancy).
public struct PredictiveCheck: Sendable {
    public var figure: Evidence.Figure
    public var mean: Double
    public var q05: Double
    public var q95: Double
    /// The published value within the 90 % interval (a bound: on its allowed side of the interval's far end).
    public var covered: Bool
}

/// A Bayesian calibration's outcome.
public struct PosteriorResult: Sendable {
    public var priors: PriorSet
    public var figures: [Evidence.Figure]
    public var settings: PosteriorSettings
    public var scenario: String
    public var seed: Int
    public var waves: [PosteriorWave]
    /// Set when the calibration stopped after planning this wave (`planOnly`): its shards are to be run.
    public var waiting: Int?
    /// Coordinates (the log for log-scale priors), one a prior, with weights.
    public var sample: WeightedSample
    /// The chains' effective sample size and each chain's acceptance (empty when planning).
    public var effectiveSize = 0.0
    public var acceptance: [Double] = []
    public var predictive: [PredictiveCheck]
    public var seconds: Double

    /// The share of held-out figures inside their 90 % predictive interval: the headline check.
    public var heldOutCoverage: (covered: Int, of: Int) {
        let held = predictive.filter { !$0.figure.calibration }
        return (held.filter(\.covered).count, held.count)
    }
}

/// The Bayesian calibration (issue 26): history matching with emulators in
/// waves (Vernon, Goldstein and Bower 2010; Andrianakis et al. 2015), then
/// the posterior on the last wave's emulators. Each wave is a sweep over a
/// points design whose runs record the evidence's figures, so a wave shards,
/// resumes and merges like any sweep, and its failed runs are recorded and
/// skipped. The inputs are the priors' probabilities (each coordinate's
/// quantile), where the prior is uniform on the unit cube.
public enum PosteriorCalibration {
    /// Runs (or resumes) the calibration into `folder`: `wave-K/` a sweep
    /// each. With `planOnly`, stops at the first wave not yet run, planned,
    /// for its shards to be run elsewhere (`retailsim sweep run`).
    public static func run(priors: PriorSet, source: EvidenceSource, present: Scenario, settings: PosteriorSettings, folder: String,
                           threads: Int, planOnly: Bool = false, progress: (@Sendable (String) -> Void)? = nil) throws -> PosteriorResult {
        let (evidence, past) = try source.load()
        let base = try settings.sized(present)
        return try run(priors: priors, figures: evidence.figures, scenario: present.name, seed: base.run.seed, settings: settings,
                       folder: folder, threads: threads, progress: progress, near: { draw in
            nearPoints(priors: priors, present: present, past: past, settings: settings, draw: draw, progress: progress)
        }, evaluate: { _, design, waveFolder in
            try sweptRuns(design, priors: priors, base: base, source: source, folder: waveFolder, threads: threads, planOnly: planOnly,
                          progress: progress)
        })
    }

    /// Runs (or resumes) `design` as a sweep in `folder` and merges it;
    /// with `planOnly`, plans it and returns nil unless every run is recorded.
    static func sweptRuns(_ design: [[Double]], priors: PriorSet, base: Scenario, source: EvidenceSource, folder: String, threads: Int,
                          planOnly: Bool = false, progress: (@Sendable (String) -> Void)?) throws -> WaveRuns? {
        let plan = try planWave(design, priors: priors, base: base, source: source, folder: folder)
        let recorded = try SweepRecord.readAll(folder: folder, plan: plan).reduce(0) { $0 + $1.entries.count }
        var failures: String?
        if recorded < plan.runCount {
            if planOnly { return nil }
            let outcome = try SweepRunner.run(plan, folder: folder, threads: threads) { p in
                progress?("\((folder as NSString).lastPathComponent): \(p.done)/\(p.total) runs")
            }
            failures = outcome.failures
        }
        let merged = try SweepMerge.merge(folder: folder)
        let status = try runStatus(folder: folder)
        return WaveRuns(runs: plan.runCount, summaries: merged.summaries, failed: status.failed, undefined: status.undefined, failures: failures)
    }

    /// What a wave's points gave: each point's figures (the mean over its
    /// runs, by column) and the account of its runs.
    struct WaveRuns {
        var runs: Int
        var summaries: [[MetricSummary]]
        var failed: Int
        var undefined: Int
        var failures: String?
    }

    /// History matching and the posterior over any model whose figures are
    /// `figures`: `near` gives the points wave 1 adds (from the stream it is
    /// given), `evaluate` runs wave K's points (in the unit cube) into its
    /// folder, or returns nil when the wave is planned for elsewhere.
    static func run(priors: PriorSet, figures: [Evidence.Figure], scenario: String, seed: Int, settings: PosteriorSettings, folder: String,
                    threads: Int, progress: (@Sendable (String) -> Void)?, near: (RandomStream) -> [[Double]],
                    evaluate: (_ wave: Int, _ design: [[Double]], _ folder: String) throws -> WaveRuns?) throws -> PosteriorResult {
        let clock = Date()
        let d = priors.priors.count
        let figureErrors = figures.map { f in
            CalibrationFigure(observed: f.value, variance: priors.variance(tolerance: f.tolerance),
                              bound: f.comparison == .atMost ? .ceiling : f.comparison == .atLeast ? .floor : .both)
        }
        let fitted = figures.indices.filter { figures[$0].calibration }
        var waves: [PosteriorWave] = []
        for w in 1...settings.waves {
            let last = w == settings.waves
            let draw = try designStream(seed: seed, wave: w)
            let (design, share, tried) = designPoints(wave: w, count: settings.pointsPerWave(w, coordinates: d), dimensions: d, earlier: waves,
                                                      figures: figureErrors, settings: settings, threads: threads, draw: draw, near: near)
            guard !design.isEmpty else {
                // Which figures rule the space out, on a fresh set of candidates.
                let last = waves.last!
                var beyond = [Int: Int](), sampled = min(settings.candidates, 2000)
                for _ in 0..<sampled {
                    let u = (0..<d).map { _ in draw.uniform() }
                    for e in last.emulators where HistoryMatching.isBeyond(u, emulator: e.emulator, figure: figureErrors[e.figure], cutoff: settings.cutoff) {
                        beyond[e.figure, default: 0] += 1
                    }
                }
                let worst = beyond.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(6).map { f, n in
                    "\(figures[f].column) (\(Int((100 * Double(n) / Double(sampled)).rounded())) %)"
                }
                throw InputError(source: "calibrate --posterior", problem: "wave \(w): none of \(tried) candidates is plausible "
                                 + "after wave \(w - 1) (implausibility above \(settings.cutoff) for two figures or more, or above \(settings.oneFigureCutoff) for one); the figures "
                                 + "that rule out most of the space, with the share of candidates each rules out: "
                                 + worst.joined(separator: ", ") + ". The model cannot meet them within the stated errors "
                                 + "(observation and discrepancy in the priors file), or wave \(w - 1) needs more points")
            }
            let waveFolder = (folder as NSString).appendingPathComponent("wave-\(w)")
            progress?("wave \(w): \(design.count) points x \(settings.replicates) replicate(s) (\(Int((share * 100).rounded())) % of candidates plausible)")
            guard let merged = try evaluate(w, design, waveFolder) else {
                return PosteriorResult(priors: priors, figures: figures, settings: settings, scenario: scenario, seed: seed, waves: waves,
                                       waiting: w, sample: WeightedSample(points: [], weights: []), predictive: [],
                                       seconds: Date().timeIntervalSince(clock))
            }
            let wanted = last ? Array(figures.indices) : fitted
            let (emulators, missing) = fitEmulators(design: design, summaries: merged.summaries, figures: wanted, of: figures,
                                                    settings: settings, threads: threads)
            let measured = merged.summaries.indices.filter { p in
                let point = merged.summaries[p]
                return !settings.rule.rulesOut(fitted.lazy.compactMap { f -> Double? in
                    guard let m = point.first(where: { $0.name == figures[f].column }) else { return nil }
                    return abs(figureErrors[f].gap(m.mean)) / figureErrors[f].variance.squareRoot()
                })
            }
            waves.append(PosteriorWave(wave: w, folder: waveFolder, points: design.count, runs: merged.runs, failed: merged.failed,
                                       undefined: merged.undefined, plausibleShare: share, design: design, plausibleAsMeasured: measured, failures: merged.failures, emulators: emulators,
                                       notEmulated: missing.filter { figures[$0.figure].calibration }))
            progress?("wave \(w): \(emulators.count) emulators")
        }
        // The posterior on the last wave's emulators of the fitted figures,
        // screened by every earlier wave.
        let final = waves.last!
        let used = final.emulators.filter { figures[$0.figure].calibration }
        let earlier = Array(waves.dropLast())
        let screen: @Sendable ([Double]) -> Bool = { plausible($0, waves: earlier, figures: figureErrors, settings: settings) }
        // The chains start at the last wave's runs that are plausible as
        // measured, else at its points the emulators leave plausible: the
        // space left can be a thin share of the cube, where draws in a box
        // seldom land (the third attempt's posterior had one point).
        var starts = final.plausibleAsMeasured.map { final.design[$0] }.filter(screen)
        if starts.isEmpty { starts = final.design.filter { plausible($0, waves: waves, figures: figureErrors, settings: settings) } }
        guard !starts.isEmpty else {
            throw InputError(source: "calibrate --posterior", problem: "no point of wave \(final.wave) is plausible, as measured or emulated: "
                             + "nowhere to start the posterior's chains; run more waves or more points a wave")
        }
        let streams = try starts.indices.map { c in
            try RandomStream(key: StreamKey(seed: UInt64(seed), replicate: settings.waves + 1, purpose: .design, chunk: 26 + c))
        }
        let posterior = HistoryMatching.chains(starts: starts, emulators: used.map(\.emulator), figures: used.map { figureErrors[$0.figure] },
                                               screen: screen, steps: settings.chainSteps, burnIn: settings.chainSteps / 4, thin: 10,
                                               threads: threads, streams: streams)
        let sample = posterior.sample
        let checks = predictive(sample: sample, wave: final, figures: figures, errors: figureErrors)
        let coordinates = WeightedSample(points: sample.points.map { priors.coordinates(quantiles: $0) }, weights: sample.weights)
        return PosteriorResult(priors: priors, figures: figures, settings: settings, scenario: scenario, seed: seed,
                               waves: waves, waiting: nil, sample: coordinates, effectiveSize: posterior.effectiveSize,
                               acceptance: posterior.acceptance, predictive: checks, seconds: Date().timeIntervalSince(clock))
    }

    /// Whether `u` survives every wave in `waves`: over the wave's fitted
    /// figures, its second-largest implausibility within the cutoff (Vernon,
    /// Goldstein and Bower 2010: one figure the model misses everywhere
    /// does not rule out the whole space) and its largest within the
    /// one-figure cutoff.
    static func plausible(_ u: [Double], waves: [PosteriorWave], figures: [CalibrationFigure], settings: PosteriorSettings) -> Bool {
        let rule = settings.rule
        // Lazily: the rest need not be predicted once the point is out.
        return !waves.contains { wave in
            rule.rulesOut(wave.emulators.lazy.filter { $0.figure < figures.count }.map {
                HistoryMatching.implausibility(u, emulator: $0.emulator, figure: figures[$0.figure], over: settings.cutoff)
            })
        }
    }

    /// A wave's points in the unit cube: a Latin hypercube in wave 1; later,
    /// the first `count` candidates from the prior that every earlier wave
    /// left plausible (drawn until there are `count`, or fifty times
    /// `candidates` were tried: the plausible space can be a small share of
    /// the prior's). Every other candidate is drawn instead near a point
    /// of an earlier wave that is still plausible (within `nearWidth` in
    /// each coordinate): where the space left is a small share of the
    /// cube, the prior's draws alone seldom land in it, and a design may
    /// hold any point. Returns the share of the prior's candidates kept.
    /// Candidates are drawn in order in blocks and judged on `threads`
    /// threads: the design does not depend on the thread count.
    /// Wave 1 is a Latin hypercube of `count` points and then what `near` adds, from the same stream.
    static func designPoints(wave: Int, count: Int, dimensions d: Int, earlier: [PosteriorWave], figures: [CalibrationFigure],
                             settings: PosteriorSettings, threads: Int, draw: RandomStream,
                             near: (RandomStream) -> [[Double]]) -> (points: [[Double]], share: Double, tried: Int) {
        guard wave > 1 else { return (LatinHypercube.sample(points: count, dimensions: d, stream: draw) + near(draw), 1, count) }
        let earlierPoints = earlier.flatMap(\.design)
        let seeds = zip(earlierPoints, (try? WorkQueue.map(count: earlierPoints.count, workers: threads) {
            plausible(earlierPoints[$0], waves: earlier, figures: figures, settings: settings)
        }) ?? []).filter(\.1).map(\.0)
        var kept: [[Double]] = [], tried = 0, triedPrior = 0, keptPrior = 0
        let most = 50 * settings.candidates, chunk = 256
        while kept.count < count && tried < most {
            let block = (0..<min(64 * chunk, most - tried)).map { i -> [Double] in
                guard i % 2 == 1, !seeds.isEmpty else { return (0..<d).map { _ in draw.uniform() } }
                let seed = seeds[min(Int(draw.uniform() * Double(seeds.count)), seeds.count - 1)]
                return seed.map { min(max($0 + settings.nearWidth * (2 * draw.uniform() - 1), 0), 1) }
            }
            let judged = (try? WorkQueue.map(count: (block.count + chunk - 1) / chunk, workers: threads) { c in
                (c * chunk..<min(block.count, (c + 1) * chunk)).map { plausible(block[$0], waves: earlier, figures: figures, settings: settings) }
            }) ?? []
            for (i, (u, ok)) in zip(block, judged.joined()).enumerated() {
                tried += 1
                let fromPrior = i % 2 == 0 || seeds.isEmpty
                if fromPrior { triedPrior += 1 }
                if ok {
                    kept.append(u)
                    if fromPrior { keptPrior += 1 }
                }
                if kept.count == count { break }
            }
        }
        return (kept, Double(keptPrior) / Double(max(triedPrior, 1)), tried)
    }

    /// The points wave 1 adds to its Latin hypercube (`nearPoints`): the
    /// scenario's own values and a cloud around them, drawn after the
    /// hypercube on the same stream.
    static func nearPoints(priors: PriorSet, present: Scenario, past: Scenario, settings: PosteriorSettings, draw: RandomStream,
                           progress: (@Sendable (String) -> Void)?) -> [[Double]] {
        guard settings.nearPoints != 0 else { return [] }
        switch priors.quantiles(present: present, past: past) {
        case .success(let u):
            let cloud = LatinHypercube.sample(points: settings.nearPoints ?? 5 * u.count, dimensions: u.count, stream: draw).map { v in
                zip(u, v).map { min(max($0 + settings.nearWidth * (2 * $1 - 1), 0), 1) }
            }
            return [u] + cloud
        case .failure(let why):
            progress?("wave 1: no points around the scenario's own values: \(why)")
            return []
        }
    }

    /// The stream wave `w`'s design draws from.
    static func designStream(seed: Int, wave w: Int) throws -> RandomStream {
        try RandomStream(key: StreamKey(seed: UInt64(seed), replicate: w, purpose: .design, chunk: 26))
    }

    /// Writes the wave's points file and plans its sweep (or finds the same plan there).
    static func planWave(_ design: [[Double]], priors: PriorSet, base: Scenario, source: EvidenceSource, folder: String) throws -> SweepPlan {
        try OutputFolder.prepare(folder, source: "--out")
        let paths = priors.priors.flatMap(\.paths)
        var rows = [paths.joined(separator: ",")]
        for u in design {
            let x = priors.coordinates(quantiles: u)
            rows.append(zip(priors.priors, x).flatMap { prior, c in prior.paths.map { _ in JSONText.number(prior.value(c)) } }.joined(separator: ","))
        }
        let file = (folder as NSString).appendingPathComponent("design.csv")
        try AtomicFile.write(rows.joined(separator: "\n") + "\n", to: file)
        let points = try SweepDesign.readPoints(file)
        let plan = try SweepPlan(base: base, factors: points.factors, design: .external(file: file), evidence: source)
        try plan.write(to: folder)
        return plan
    }

    /// Failed and undefined runs in a merged wave.
    static func runStatus(folder: String) throws -> (failed: Int, undefined: Int) {
        let path = (folder as NSString).appendingPathComponent("results.csv")
        let lines = try InputError.readText(path).split(separator: "\n")
        guard let header = lines.first, let k = header.split(separator: ",").firstIndex(of: "status") else { return (0, 0) }
        var failed = 0, undefined = 0
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if fields[k] == "failed" { failed += 1 } else if fields[k] == "undefined" { undefined += 1 }
        }
        return (failed, undefined)
    }

    /// One emulator a figure, on the points where it was measured (the mean
    /// over replicates), reading the inputs a forward selection finds.
    static func fitEmulators(design: [[Double]], summaries: [[MetricSummary]], figures: [Int], of all: [Evidence.Figure],
                             settings: PosteriorSettings, threads: Int) -> (emulators: [FigureEmulator], missing: [(figure: Int, why: String)]) {
        let d = design.first?.count ?? 0
        let fits = (try? WorkQueue.map(count: figures.count, workers: threads, { j -> Result<FigureEmulator, EmulatorError> in
            let f = figures[j], column = all[f].column
            var inputs: [[Double]] = [], outputs: [Double] = []
            for (p, point) in summaries.enumerated() {
                if let s = point.first(where: { $0.name == column }) {
                    inputs.append(design[p])
                    outputs.append(s.mean)
                }
            }
            let active = Emulator.activeInputs(inputs: inputs, outputs: outputs, most: settings.activeInputs)
            do {
                let e = try Emulator.fit(inputs: inputs, outputs: outputs, lower: [Double](repeating: 0, count: d),
                                         upper: [Double](repeating: 1, count: d), active: active.isEmpty ? nil : active)
                return .success(FigureEmulator(figure: f, emulator: e, trainedOn: inputs.count))
            } catch let error as EmulatorError {
                return .failure(error)
            }
        })) ?? []
        var emulators: [FigureEmulator] = [], missing: [(figure: Int, why: String)] = []
        for (j, fit) in fits.enumerated() {
            switch fit {
            case .success(let e): emulators.append(e)
            case .failure(let error): missing.append((figures[j], error.description))
            }
        }
        return (emulators, missing)
    }

    /// Each emulated figure's 90 % posterior predictive interval: a mixture
    /// over the sample of Gaussians with the emulator's mean and variance
    /// plus its nugget (the run's noise and the inputs it does not read) and
    /// the figure's observation and discrepancy variance.
    static func predictive(sample: WeightedSample, wave: PosteriorWave, figures: [Evidence.Figure], errors: [CalibrationFigure]) -> [PredictiveCheck] {
        // Points under a millionth of the largest weight change no quantile that matters.
        let top = sample.weights.max() ?? 0
        let kept = sample.weights.indices.filter { sample.weights[$0] > 0 && sample.weights[$0] >= 1e-6 * top }
        return wave.emulators.map { e in
            let z = errors[e.figure]
            var means: [Double] = [], sds: [Double] = [], weights: [Double] = []
            for i in kept {
                let p = e.emulator.predict(sample.points[i])
                means.append(p.mean)
                sds.append((p.variance + e.emulator.noiseVariance + z.variance).squareRoot())
                weights.append(sample.weights[i])
            }
            let total = weights.reduce(0, +)
            let mean = zip(means, weights).reduce(0) { $0 + $1.0 * $1.1 } / max(total, .leastNormalMagnitude)
            let q05 = mixtureQuantile(0.05, means: means, sds: sds, weights: weights)
            let q95 = mixtureQuantile(0.95, means: means, sds: sds, weights: weights)
            let v = z.observed
            let covered: Bool
            switch z.bound {
            case .both: covered = q05 <= v && v <= q95
            case .ceiling: covered = q05 <= v
            case .floor: covered = q95 >= v
            }
            return PredictiveCheck(figure: figures[e.figure], mean: mean, q05: q05, q95: q95, covered: covered && !kept.isEmpty)
        }
    }

    /// The `q` quantile of a weighted mixture of Gaussians, by bisection on its distribution function.
    static func mixtureQuantile(_ q: Double, means: [Double], sds: [Double], weights: [Double]) -> Double {
        guard !means.isEmpty else { return .nan }
        let total = weights.reduce(0, +)
        var low = zip(means, sds).map { $0 - 10 * $1 }.min()!, high = zip(means, sds).map { $0 + 10 * $1 }.max()!
        for _ in 0..<80 {
            let mid = 0.5 * (low + high)
            var f = 0.0
            for k in means.indices { f += weights[k] * StandardNormal.cdf((mid - means[k]) / sds[k]) }
            if f / total < q { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }
}
