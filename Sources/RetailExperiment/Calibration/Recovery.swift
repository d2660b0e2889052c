import Foundation
import RetailModel
import RetailStats

/// One truth's recovery: where it was, and what the posterior made of it.
public struct RecoveredTruth: Sendable {
    /// The truth in the unit cube (the priors' probabilities).
    public var truth: [Double]
    /// Per prior: the truth in the parameter's units, and whether its posterior's 90 % interval holds it.
    public var value: [Double]
    public var covered: [Bool]
    /// Per prior: how many of the posterior's draws lie below the truth.
    public var ranks: [Int]
    /// Per prior, on the prior's scale: the posterior's mean and 90 % interval.
    public var mean: [Double]
    public var q05: [Double]
    public var q95: [Double]
    /// Per prior: the posterior's sd over the prior's (in the cube, where the prior's is 1/sqrt(12)).
    public var sdRatio: [Double]
    /// The chains' acceptance and effective sample size.
    public var acceptance: Double
    public var effectiveSize: Double
}

/// A parameter recovery's outcome (`calibrate --recover K`).
public struct RecoveryResult: Sendable {
    public var priors: PriorSet
    /// The fitted figures the truths were simulated on and recovered from.
    public var figures: [Evidence.Figure]
    public var settings: PosteriorSettings
    public var scenario: String
    public var seed: Int
    /// Draws of each posterior a rank counts among.
    public var draws: Int
    public var designRuns: Int
    public var truthRuns: Int
    /// Truths left out: their run failed or left a fitted figure undefined.
    public var skipped: Int
    public var recovered: [RecoveredTruth]
    /// Per figure (of `figures`) and prior: how far the figure's emulated
    /// mean moves across the prior's middle 90 % of that parameter, the
    /// others averaged over the prior, in the figure's error sds (what pins what).
    public var pins: [[Double]]
    public var seconds: Double

    /// Per prior: the truths inside their posterior's 90 % interval.
    public var covered: [Int] {
        priors.priors.indices.map { j in recovered.filter { $0.covered[j] }.count }
    }

    /// Prior `j`'s rank histogram's p-value under uniform ranks (Pearson's test, ten bins).
    public func uniformity(_ j: Int) -> Double { ChiSquared.uniformity(rankHistogram(j)) }

    /// Prior `j`'s posterior sd over its prior's, the mean over truths.
    public func meanSdRatio(_ j: Int) -> Double { recovered.map { $0.sdRatio[j] }.reduce(0, +) / Double(max(recovered.count, 1)) }

    /// Per prior: the ranks in `bins` equal bins of 0...draws.
    public func rankHistogram(_ j: Int, bins: Int = 10) -> [Int] {
        var counts = [Int](repeating: 0, count: bins)
        for r in recovered { counts[min(r.ranks[j] * bins / (draws + 1), bins - 1)] += 1 }
        return counts
    }
}

/// Parameter recovery by simulation-based calibration (Talts et al. 2018):
/// truths drawn from the prior are run, their fitted figures (with an
/// observation and discrepancy error drawn from the figures' own) stand for
/// the published ones, and the posterior is made again for each; if the
/// method is calibrated, a truth's rank among its posterior's draws is
/// uniform and 90 % of truths fall in their 90 % intervals. Each truth's
/// posterior is the calibration's first wave (the same design, runs and
/// emulators for every truth, since a design that does not depend on the
/// figures can be shared) and Metropolis chains on its emulators: later
/// waves follow each truth's own plausible space and would cost a whole
/// calibration a truth. So it checks the inference (emulators, likelihood,
/// chains) at the prior's breadth, and says which figures pin which
/// parameters; the committed posterior's narrower waves are not re-run.
public enum ParameterRecovery {
    public static let drawsPerPosterior = 99

    public static func run(priors: PriorSet, source: EvidenceSource, present: Scenario, settings: PosteriorSettings, truths count: Int,
                           folder: String, threads: Int, progress: (@Sendable (String) -> Void)? = nil) throws -> RecoveryResult {
        let clock = Date()
        let (evidence, past) = try source.load()
        let d = priors.priors.count
        let base = try settings.sized(present)
        let fitted = evidence.figures.indices.filter { evidence.figures[$0].calibration }
        let variance = evidence.figures.map { priors.variance(tolerance: $0.tolerance) }

        // The first wave, as the posterior's: the same stream, so the same points.
        let draw = try PosteriorCalibration.designStream(seed: base.run.seed, wave: 1)
        let design = PosteriorCalibration.designPoints(wave: 1, count: settings.pointsPerWave(1, coordinates: d), dimensions: d, earlier: [],
                                                       figures: [], settings: settings, threads: threads, draw: draw) { draw in
            PosteriorCalibration.nearPoints(priors: priors, present: present, past: past, settings: settings, draw: draw, progress: progress)
        }.points
        // In `wave-1/`, as the posterior's: a recovery in a posterior's folder reuses its first wave's runs.
        let designRuns = try runPoints(design, name: "wave-1", priors: priors, base: base, source: source, folder: folder, threads: threads, progress: progress)

        // The truths, from the prior, on a stream of their own.
        let truthDraw = try RandomStream(key: StreamKey(seed: UInt64(base.run.seed), replicate: 0, purpose: .design, chunk: 27))
        let truths = (0..<count).map { _ in (0..<d).map { _ in truthDraw.uniform() } }
        let truthRuns = try runPoints(truths, name: "truths", priors: priors, base: base, source: source, folder: folder, threads: threads, progress: progress)

        let (emulators, _) = PosteriorCalibration.fitEmulators(design: design, summaries: designRuns, figures: fitted, of: evidence.figures,
                                                               settings: settings, threads: threads)
        progress?("recovery: \(emulators.count) emulators of \(fitted.count) fitted figures")
        let rule = settings.rule
        var recovered: [RecoveredTruth] = [], skipped = 0
        for (k, truth) in truths.enumerated() {
            let measured = emulators.map { e in truthRuns[k].first { $0.name == evidence.figures[e.figure].column }?.mean }
            guard measured.allSatisfy({ $0?.isFinite == true }) else {
                skipped += 1
                continue
            }
            // What would have been published: the truth's figures with an error drawn from the stated one.
            let noise = try RandomStream(key: StreamKey(seed: UInt64(base.run.seed), replicate: k + 1, purpose: .design, chunk: 28))
            let figures = zip(emulators, measured).map { e, m in
                CalibrationFigure(observed: m! + noise.normal(sd: variance[e.figure].squareRoot()), variance: variance[e.figure])
            }
            // The chains start at the design's points plausible as measured against them, the closest first.
            let gaps = designRuns.map { point in
                zip(emulators, figures).compactMap { e, z -> Double? in
                    point.first { $0.name == evidence.figures[e.figure].column }.map { abs(z.gap($0.mean)) / z.variance.squareRoot() }
                }
            }
            let order = design.indices.sorted { (gaps[$0].max() ?? .infinity, $0) < (gaps[$1].max() ?? .infinity, $1) }
            let plausible = order.filter { !rule.rulesOut(gaps[$0]) }
            // Four chains: a truth's posterior is one of many, and its ranks need draws, not a long sample.
            let starts = Array((plausible.isEmpty ? order : plausible).prefix(4)).map { design[$0] }
            let streams = try starts.indices.map { c in
                try RandomStream(key: StreamKey(seed: UInt64(base.run.seed), replicate: k + 1, purpose: .design, chunk: 29 + c))
            }
            let chains = HistoryMatching.chains(starts: starts, emulators: emulators.map(\.emulator), figures: figures, steps: settings.chainSteps,
                                                burnIn: settings.chainSteps / 4, thin: 10, threads: threads, streams: streams)
            guard let r = recover(truth, from: chains, priors: priors) else {
                skipped += 1
                continue
            }
            recovered.append(r)
            progress?("recovery: truth \(k + 1) of \(count)")
        }
        let pins = try pinning(emulators: emulators, variance: variance, dimensions: d, seed: base.run.seed, threads: threads)
        return RecoveryResult(priors: priors, figures: emulators.map { evidence.figures[$0.figure] }, settings: settings, scenario: present.name,
                              seed: present.run.seed, draws: drawsPerPosterior, designRuns: design.count, truthRuns: truths.count,
                              skipped: skipped, recovered: recovered, pins: pins, seconds: Date().timeIntervalSince(clock))
    }

    /// Runs `points` (in the cube) as a sweep in `folder/name` (resumed when
    /// there), and returns each point's figures.
    static func runPoints(_ points: [[Double]], name: String, priors: PriorSet, base: Scenario, source: EvidenceSource, folder: String,
                          threads: Int, progress: (@Sendable (String) -> Void)?) throws -> [[MetricSummary]] {
        progress?("recovery: \(name), \(points.count) points")
        let said: (@Sendable (String) -> Void)? = progress.map { say in { @Sendable in say("recovery: " + $0) } }
        let runs = try PosteriorCalibration.sweptRuns(points, priors: priors, base: base, source: source,
                                                      folder: (folder as NSString).appendingPathComponent(name), threads: threads, progress: said)
        return runs?.summaries ?? []
    }

    /// A truth's ranks and intervals among evenly spaced draws of its chains' sample.
    static func recover(_ truth: [Double], from chains: EmulatedChains, priors: PriorSet) -> RecoveredTruth? {
        let points = chains.sample.points
        guard !points.isEmpty else { return nil }
        let draws = (0..<drawsPerPosterior).map { points[$0 * points.count / drawsPerPosterior] }
        var r = RecoveredTruth(truth: truth, value: [], covered: [], ranks: [], mean: [], q05: [], q95: [], sdRatio: [],
                               acceptance: chains.acceptance.reduce(0, +) / Double(max(chains.acceptance.count, 1)),
                               effectiveSize: chains.effectiveSize)
        for (j, prior) in priors.priors.enumerated() {
            r.ranks.append(draws.filter { $0[j] < truth[j] }.count)
            let (mean, sd, q05, q95) = PosteriorOutput.weightedSummary(points.map { prior.coordinate(quantile: $0[j]) }, chains.sample.weights)
            let (_, sdCube, _, _) = PosteriorOutput.weightedSummary(points.map { $0[j] }, chains.sample.weights)
            r.mean.append(prior.value(mean))
            r.q05.append(prior.value(q05))
            r.q95.append(prior.value(q95))
            r.sdRatio.append(sd.isFinite ? sdCube * 12.0.squareRoot() : .nan)
            let x = prior.value(prior.coordinate(quantile: truth[j]))
            r.value.append(x)
            r.covered.append(r.q05[j] <= x && x <= r.q95[j])
        }
        return r
    }

    /// Each figure's main effect of each parameter: its emulated mean on a
    /// grid of the parameter's probability from 0.05 to 0.95, averaged over
    /// 64 points of the prior for the others; the range, in the figure's error sds.
    static func pinning(emulators: [FigureEmulator], variance: [Double], dimensions d: Int, seed: Int, threads: Int) throws -> [[Double]] {
        let others = LatinHypercube.sample(points: 64, dimensions: d,
                                           stream: try RandomStream(key: StreamKey(seed: UInt64(seed), replicate: 0, purpose: .design, chunk: 30)))
        let grid = (0..<9).map { 0.05 + 0.1125 * Double($0) }
        return try WorkQueue.map(count: emulators.count, workers: threads) { f in
            let e = emulators[f]
            return (0..<d).map { j in
                let curve = grid.map { g in
                    others.reduce(0.0) { sum, x in
                        var u = x
                        u[j] = g
                        return sum + e.emulator.mean(u)
                    } / Double(others.count)
                }
                return (curve.max()! - curve.min()!) / variance[e.figure].squareRoot()
            }
        }
    }
}

/// Writes a recovery's files, atomically and with nothing from the clock:
/// `recovery.csv` (each truth and prior: the truth, the posterior's mean and
/// 90 % interval, the rank, covered), `ranks.csv` (each prior's rank
/// histogram in ten bins, its coverage and the p-value of Pearson's test
/// of uniform ranks), `pins.csv` (each fitted figure's effect of each
/// parameter in error sds) and `recovery.json`.
public enum RecoveryOutput {
    public static let fileNames = ["recovery.csv", "ranks.csv", "pins.csv", "recovery.json"]

    public static func write(_ r: RecoveryResult, priorsFile: String, command: String, to folder: String) throws {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        let number = JSONText.number
        var table = "truth,prior,value,posteriorMean,posterior05,posterior95,rank,draws,covered,sdRatio\n"
        for (k, t) in r.recovered.enumerated() {
            for (j, prior) in r.priors.priors.enumerated() {
                table += [String(k + 1), prior.name, number(t.value[j]), number(t.mean[j]), number(t.q05[j]), number(t.q95[j]), String(t.ranks[j]),
                          String(r.draws), t.covered[j] ? "yes" : "no", number(t.sdRatio[j])].joined(separator: ",") + "\n"
            }
        }
        try AtomicFile.write(table, to: path("recovery.csv"))
        let covered = r.covered
        var ranks = "prior," + (0..<10).map { "bin\($0 + 1)" }.joined(separator: ",") + ",covered,truths,uniformityP,meanSdRatio\n"
        for (j, prior) in r.priors.priors.enumerated() {
            ranks += ([prior.name] + r.rankHistogram(j).map(String.init) + [String(covered[j]), String(r.recovered.count), number(r.uniformity(j)),
                                                                          number(r.meanSdRatio(j))]).joined(separator: ",") + "\n"
        }
        try AtomicFile.write(ranks, to: path("ranks.csv"))
        var pins = "kind,figure," + r.priors.priors.map(\.name).joined(separator: ",") + "\n"
        for (f, figure) in r.figures.enumerated() {
            pins += "\(figure.kind.rawValue),\(figure.name)," + r.pins[f].map(number).joined(separator: ",") + "\n"
        }
        try AtomicFile.write(pins, to: path("pins.csv"))
        let all = covered.reduce(0, +), cells = r.priors.priors.count * r.recovered.count
        try AtomicFile.write("""
        {
          "version": \(JSONText.string(RetailSimVersion.string)),
          "command": \(JSONText.string(command)),
          "scenario": \(JSONText.string(r.scenario)),
          "seed": \(r.seed),
          "priors": \(JSONText.string(priorsFile)),
          "shoppers": \(r.settings.shoppers),
          "replicates": \(r.settings.replicates),
          "designRuns": \(r.designRuns),
          "truths": \(r.truthRuns),
          "skipped": \(r.skipped),
          "recovered": \(r.recovered.count),
          "draws": \(r.draws),
          "chainSteps": \(r.settings.chainSteps),
          "covered": \(all),
          "of": \(cells),
          "coverage": \(cells > 0 ? number(Double(all) / Double(cells)) : "null")
        }

        """, to: path("recovery.json"))
    }
}
