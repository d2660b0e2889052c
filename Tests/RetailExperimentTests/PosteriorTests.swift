import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// The Bayesian calibration's machinery (issue 26): a wave is a sweep whose
/// runs record the evidence; the calibration runs its waves, resumes them,
/// and can stop with a wave planned for a cluster.
final class PosteriorTests: XCTestCase {
    private func path(_ p: String) -> String { repositoryRoot.appendingPathComponent(p).path }

    private func source() throws -> EvidenceSource {
        try EvidenceSource(levels: path("Experiments/targets/us-2024.toml"), responses: path("Experiments/targets/us-responses.toml"),
                           history: path("Experiments/targets/us-history.toml"), past: path("Experiments/scenarios/us-history.toml"),
                           marketGrowth: path("Experiments/history/market-growth.csv"))
    }

    /// Each run records a status and every figure; a run recorded as failed
    /// is kept in results.csv and left out of the summary; a damaged status
    /// is refused by line; the plan names its evidence and refuses it changed.
    func testAWaveRecordsTheEvidenceAndSkipsFailedRuns() throws {
        let folder = try temporaryFolder()
        let design = folder.appendingPathComponent("design.csv").path
        try "choice.constants.A\n-1.9\n-1.2\n-0.5\n".write(toFile: design, atomically: true, encoding: .utf8)
        let base = try scenario(settings: ["population.shoppers=600", "run.replicates=1", "run.seed=3"])
        let evidence = try source()
        let plan = try SweepPlan(base: base, factors: try SweepDesign.readPoints(design).factors, design: .external(file: design), evidence: evidence)
        let wave = folder.appendingPathComponent("wave").path
        try plan.write(to: wave)
        XCTAssertEqual(try SweepPlan.read(folder: wave), plan, "sweep.json carries the evidence")
        // Point 1's run is recorded as failed before the sweep runs: it is not made again.
        let shards = (wave as NSString).appendingPathComponent("shards")
        try FileManager.default.createDirectory(atPath: shards, withIntermediateDirectories: true)
        let columns = ["point", "replicate", "seed", "choice.constants.A", "status"] + evidence.columns
        let failed = ["1", "1", String(plan.seed(point: 1, replicate: 1)), "-1.2", "failed"] + evidence.columns.map { _ in "" }
        let fingerprint = plan.fingerprint
        try ("#plan \(fingerprint)\n" + columns.joined(separator: ",") + "\n" + failed.joined(separator: ",") + "\n")
            .write(toFile: (shards as NSString).appendingPathComponent("shard-1-of-2.csv"), atomically: true, encoding: .utf8)
        let outcome = try SweepRunner.run(plan, folder: wave, shard: SweepShard(index: 0, count: 2), threads: 2)
        XCTAssertEqual(outcome.ranNow, 2)
        let merged = try SweepMerge.merge(folder: wave)
        XCTAssertEqual(merged.runs, 3)
        XCTAssertTrue(merged.summaries[1].isEmpty, "a failed run gives its point no figure")
        let share = try XCTUnwrap(evidence.columns.firstIndex(of: "level:amazonShareOfOnline"))
        let a = merged.summaries.map { $0.first { $0.name == evidence.columns[share] }?.mean }
        XCTAssertGreaterThan(try XCTUnwrap(a[2]), try XCTUnwrap(a[0]) + 0.05, "a higher Amazon constant, a higher Amazon share of online")
        let results = try String(contentsOfFile: (wave as NSString).appendingPathComponent("results.csv"), encoding: .utf8)
        XCTAssertTrue(results.hasPrefix(columns.joined(separator: ",") + "\n"))
        let statuses = results.split(separator: "\n").map { String($0.split(separator: ",", omittingEmptySubsequences: false)[4]) }
        XCTAssertEqual(statuses[2], "failed")
        for k in [1, 3] { XCTAssertTrue(["ok", "undefined"].contains(statuses[k]), statuses[k]) }

        // A damaged status is refused with the record's line.
        let record = (shards as NSString).appendingPathComponent("shard-1-of-2.csv")
        let text = try String(contentsOfFile: record, encoding: .utf8)
        try text.replacingOccurrences(of: ",failed,", with: ",broken,").write(toFile: record, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SweepMerge.merge(folder: wave)) {
            XCTAssertTrue("\($0)".contains("shard-1-of-2.csv:3") && "\($0)".contains("ok, undefined or failed"), "\($0)")
        }
        try text.write(toFile: record, atomically: true, encoding: .utf8)

        // Evidence changed after planning: a shard run later refuses it.
        let copy = folder.appendingPathComponent("levels.toml").path
        try FileManager.default.copyItem(atPath: path("Experiments/targets/us-2024.toml"), toPath: copy)
        let moved = try EvidenceSource(levels: copy, responses: evidence.responses, history: evidence.history, past: evidence.past,
                                       marketGrowth: evidence.marketGrowth)
        try (try String(contentsOfFile: copy, encoding: .utf8) + "\n# edited\n").write(toFile: copy, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try moved.load()) { XCTAssertTrue("\($0)".contains("changed since the sweep was planned"), "\($0)") }
    }

    /// A small calibration end to end: with `planOnly` it stops at wave 1
    /// planned and unrun; run, it writes its files, and run again it
    /// resumes every wave from its records and writes the same bytes.
    /// Two priors (Tests/Fixtures/two-priors.toml, with wide errors).
    func testTheCalibrationPlansRunsAndResumes() throws {
        let folder = try temporaryFolder()
        let priorsFile = path("Tests/Fixtures/two-priors.toml")
        let priors = try PriorSet.read(priorsFile)
        var settings = PosteriorSettings()
        settings.shoppers = 600
        settings.waves = 2
        settings.points = 8
        settings.candidates = 1000
        settings.nearPoints = 3
        let present = try scenario(settings: ["run.seed=4", "walmart.plus.benefitDollars.median=5"])
        let out = folder.appendingPathComponent("posterior").path
        let planned = try PosteriorCalibration.run(priors: priors, source: try source(), present: present, settings: settings, folder: out,
                                                   threads: 2, planOnly: true)
        XCTAssertEqual(planned.waiting, 1)
        // Wave 1: eight space-filling points, then the scenario's own values and three points near them.
        let wave1 = try SweepPlan.read(folder: out + "/wave-1")
        XCTAssertEqual(wave1.runCount, 12)
        let own = wave1.points[8].map { value -> Double in if case .number(let v) = value { v } else { .nan } }
        XCTAssertEqual(own[0], present.model.choice.constants[0], accuracy: 1e-9)
        XCTAssertEqual(own[1], 5, accuracy: 1e-9)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/wave-1/results.csv"), "planned, not run")

        let result = try PosteriorCalibration.run(priors: priors, source: try source(), present: present, settings: settings, folder: out, threads: 2)
        XCTAssertNil(result.waiting)
        XCTAssertEqual(result.waves.map(\.points), [12, 8])
        XCTAssertTrue(result.waves.allSatisfy { (0...$0.points).contains($0.measuredPlausible) })
        XCTAssertLessThanOrEqual(result.waves[1].plausibleShare, 1)
        XCTAssertFalse(result.sample.points.isEmpty)
        XCTAssertEqual(result.sample.weights.reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertTrue(result.sample.points.allSatisfy { $0[0] >= -4 && $0[0] <= 0 && $0[1] >= log(1) - 1e-12 && $0[1] <= log(40) + 1e-12 },
                      "coordinates within the priors' boxes (the log for a log-uniform prior)")
        XCTAssertEqual(Set(result.predictive.map(\.figure.name)).count, Set(result.figures.map(\.name)).count,
                       "every figure gets its predictive check in the last wave")
        for c in result.predictive { XCTAssertLessThanOrEqual(c.q05, c.q95, c.figure.name) }
        try PosteriorOutput.write(result, priorsFile: priorsFile, command: "test", to: out)
        let first = try PosteriorOutput.fileNames.map { try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0)) }

        let again = try PosteriorCalibration.run(priors: priors, source: try source(), present: present, settings: settings, folder: out, threads: 1)
        try PosteriorOutput.write(again, priorsFile: priorsFile, command: "test", to: out)
        XCTAssertEqual(try PosteriorOutput.fileNames.map { try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0)) }, first,
                       "resumed from the waves' records on another thread count, the same bytes")
    }
    /// Multi-fidelity (issue 26, item 6): the committed posterior measures
    /// the figures at 20,000 households, the answers on it run at 100,000.
    /// At the committed fit, on the same three seeds, each figure's mean at
    /// 20,000 is within a quarter of its error sd (observation and
    /// discrepancy, us-priors.toml) of its mean at 100,000, allowing three
    /// standard errors of the difference for the seeds' noise: the smaller
    /// size puts no bias the posterior would carry. But one, a known miss
    /// (docs/REPRODUCE.md, "Multi-fidelity"): Prime's share of households
    /// in 2024 is about 0.9 error sd lower at 20,000 (a city of fewer
    /// simulated households imitates more slowly); it may not grow.
    func testTwentyThousandHouseholdsMeasureTheFiguresAsAHundredThousandDo() throws {
        let evidenceSource = try source()
        let (evidence, history) = try evidenceSource.load()
        let priors = try PriorSet.read(path("Experiments/targets/us-priors.toml"))
        func measure(_ households: Int) throws -> [[Double]] {
            try (1...3).map { seed in
                let present = try scenario(settings: ["population.shoppers=\(households)", "run.replicates=1", "run.seed=\(seed)"])
                let past = try evidenceSource.past(history, matching: present, assignments: [])
                return try evidence.measure(present: present, past: past, threads: 2)
            }
        }
        let (small, large) = (try measure(20_000), try measure(100_000))
        var worst = (gap: 0.0, figure: "")
        for (f, figure) in evidence.figures.enumerated() {
            let (a, b) = (small.map { $0[f] }, large.map { $0[f] })
            guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { continue }
            let differences = zip(a, b).map { $0 - $1 }
            let mean = differences.reduce(0, +) / 3
            let sd = (differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 2).squareRoot()
            let errorSd = priors.variance(tolerance: figure.tolerance).squareRoot()
            let allowed = figure.column == "history:primeHouseholds_2024" ? 1.2 : 0.25
            XCTAssertLessThan(abs(mean), allowed * errorSd + 3 * sd / 3.0.squareRoot(),
                              "\(figure.column): 20,000 households \(a), 100,000 \(b) (error sd \(errorSd))")
            if abs(mean) / errorSd > worst.gap { worst = (abs(mean) / errorSd, figure.column) }
        }
        print("multi-fidelity: the largest gap, \(worst.figure), is \(worst.gap) error sds")
    }

    /// `calibrate --benchmark gaussian-linear`: the waves, emulators and
    /// chains that make the model's posterior, on a problem whose posterior
    /// is known: its mean and sd within Monte Carlo error of the closed form,
    /// the held-out figure covered, the same on one thread as on two. (The
    /// Python package's tests solve the same task with pyabc.)
    func testTheBenchmarkPosteriorIsTheClosedForm() throws {
        for seed in [1, 2] {
            let task = try CalibrationBenchmark(name: "gaussian-linear", seed: seed)
            let out = try temporaryFolder().path
            let result = try task.calibrate(settings: PosteriorSettings(), folder: out, threads: 2)
            let (mean, cov) = task.closedForm
            let sample = result.sample, c = sample.covariance
            for k in 0..<2 {
                let sd = cov[k][k].squareRoot()
                XCTAssertGreaterThan(min(mean[k] - 4 * sd, 1 - mean[k] - 4 * sd), 0, "the box holds the closed form beyond 4 sd")
                // Monte Carlo error sd / sqrt(ESS) is under 0.03 sd; the rest the emulators'.
                XCTAssertEqual(sample.mean[k], mean[k], accuracy: 0.1 * sd, "seed \(seed): mean of x\(k + 1)")
                XCTAssertEqual(c[3 * k].squareRoot(), sd, accuracy: 0.1 * sd, "seed \(seed): sd of x\(k + 1)")
            }
            XCTAssertGreaterThan(result.effectiveSize, 1000)
            XCTAssertEqual(result.predictive.map(\.figure.calibration), [true, true, true, false])
            XCTAssertEqual(result.heldOutCoverage.of, 1)
            if seed == 1 {
                XCTAssertEqual(try task.calibrate(settings: PosteriorSettings(), folder: out, threads: 1).sample.points, sample.points,
                               "the same posterior on one thread")
            }
        }
        XCTAssertThrowsError(try CalibrationBenchmark(name: "rosenbrock", seed: 1)) {
            XCTAssertTrue("\($0)".contains("allowed: gaussian-linear"), "\($0)")
        }
    }

    /// `calibrate --recover`: truths from the priors, each run and recovered
    /// from its own figures on the first wave's emulators; the files say
    /// each truth's rank and interval, and which figure pins which
    /// parameter (Amazon's share of online moves with Amazon's constant far
    /// more than with the Walmart+ benefit). Remade, the same bytes.
    func testRecoveryRanksTheTruthsAndSaysWhatPinsWhat() throws {
        let priorsFile = path("Tests/Fixtures/two-priors.toml")
        let priors = try PriorSet.read(priorsFile)
        var settings = PosteriorSettings()
        settings.shoppers = 600
        settings.points = 10
        settings.nearPoints = 0
        settings.chainSteps = 800
        let present = try scenario(settings: ["run.seed=5"])
        let out = try temporaryFolder().appendingPathComponent("recovery").path
        let result = try ParameterRecovery.run(priors: priors, source: try source(), present: present, settings: settings, truths: 6,
                                               folder: out, threads: 2)
        XCTAssertEqual(result.designRuns, 10)
        XCTAssertEqual(result.recovered.count + result.skipped, 6)
        XCTAssertGreaterThan(result.recovered.count, 0)
        for r in result.recovered {
            XCTAssertTrue(r.ranks.allSatisfy { (0...result.draws).contains($0) })
            XCTAssertTrue(zip(r.q05, r.q95).allSatisfy { $0 <= $1 })
        }
        let share = try XCTUnwrap(result.figures.firstIndex { $0.name == "amazonShareOfOnline" })
        XCTAssertGreaterThan(result.pins[share][0], 3 * result.pins[share][1], "Amazon's constant pins Amazon's share of online: \(result.pins[share])")
        try RecoveryOutput.write(result, priorsFile: priorsFile, command: "test", to: out)
        let first = try RecoveryOutput.fileNames.map { try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0)) }
        let ranks = try String(contentsOfFile: out + "/ranks.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(ranks.count, 3, "a header and a row a prior")
        let again = try ParameterRecovery.run(priors: priors, source: try source(), present: present, settings: settings, truths: 6,
                                              folder: out, threads: 1)
        try RecoveryOutput.write(again, priorsFile: priorsFile, command: "test", to: out)
        XCTAssertEqual(try RecoveryOutput.fileNames.map { try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0)) }, first,
                       "resumed from its runs on another thread count, the same bytes")
    }
}
