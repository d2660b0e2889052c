import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import RetailStats
import XCTest

/// Running on a posterior (`run.posterior`, `--posterior`, issue 26 item 3):
/// each replicate runs at a point drawn by weight, the same point for the
/// same replicate whatever else differs, and what the posterior draws cannot
/// be set over it.
final class PosteriorSampleTests: XCTestCase {
    /// A posterior of two points for choice.constants.A, weights 1 : 4.
    private func posterior(_ sample: String = "weight,constantA\n0.2,-2.5\n0.8,-0.8\n") throws -> String {
        let folder = try temporaryFolder()
        try "prior,paths,scale,priorMean,priorSd,posteriorMean,posteriorSd,sdRatio,posterior05,posterior95\nconstantA,choice.constants.A,linear,0,1,0,1,1,0,0\n"
            .write(to: folder.appendingPathComponent("parameters.csv"), atomically: true, encoding: .utf8)
        try sample.write(to: folder.appendingPathComponent("posterior.csv"), atomically: true, encoding: .utf8)
        return folder.path
    }

    func testReplicatesDrawThePointsByWeight() throws {
        let sample = try PosteriorSample.read(try posterior())
        XCTAssertEqual(sample.weights, [0.2, 0.8])
        XCTAssertEqual(sample.drawnPaths, ["choice.constants.A"])
        // A run's replicates 1...n, and a sweep's (seed by replicate, replicate 1).
        let plan = try SweepPlan(base: try scenario(settings: ["population.shoppers=500"]), factors: [try SweepFactor(parsing: "amazon.prime.monthlyFee=10,15")],
                                 design: .grid)
        for draws in [(1...4000).map { sample.point(seed: 1, replicate: $0) }, (1...4000).map { sample.point(seed: plan.seed(point: 0, replicate: $0), replicate: 1) }] {
            let share = Double(draws.filter { $0 == 1 }.count) / Double(draws.count)
            XCTAssertEqual(share, 0.8, accuracy: 0.025, "drawn in proportion to the weights (4 sd of 4,000 draws)")
        }
        XCTAssertEqual(sample.point(seed: 7, replicate: 3), sample.point(seed: 7, replicate: 3), "keyed by seed and replicate alone")

        var s = try scenario(settings: ["population.shoppers=500", "run.posterior=\(sample.folder)"])
        s.run.replicates = 1
        for r in 1...6 {
            let drawn = try s.drawn(replicate: r)
            XCTAssertEqual(drawn.model.choice.constants[0], sample.points[sample.point(seed: s.run.seed, replicate: r)][0])
        }
        XCTAssertEqual(s.json().contains("\"posterior\""), true, "a scenario run on a posterior records it")
        XCTAssertFalse(try scenario(settings: []).json().contains("\"posterior\""), "one without reads as before run.posterior existed")
    }

    /// The draw holds through the run: a timeline change of another
    /// parameter leaves it, and a file's values are drawn over.
    func testTheDrawHoldsThroughTheTimeline() throws {
        let folder = try posterior()
        let file = try temporaryFolder().appendingPathComponent("s.toml").path
        try """
        [run]
        weeks = 3
        posterior = "\(folder)"
        [population]
        shoppers = 500
        [choice.constants]
        A = -3.0
        [[timeline]]
        week = 2
        path = "amazon.prime.monthlyFee"
        value = 12.0
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let s = try Scenario.load(file: file, assignments: [])
        let sample = try PosteriorSample.read(folder)
        for r in 1...3 {
            let market = try s.market(replicate: r, threads: 1)
            for _ in 0..<3 { _ = market.advanceWeek() }
            XCTAssertEqual(market.parameters.choice.constants[0], sample.points[sample.point(seed: s.run.seed, replicate: r)][0])
            XCTAssertEqual(market.parameters.amazon.prime.monthlyFee, 12)
        }
    }

    func testWhatThePosteriorDrawsIsNotSetOverItAndDamageIsRefused() throws {
        let folder = try posterior()
        let with = Assignment(path: "run.posterior", value: .text(folder), source: "--posterior")
        XCTAssertThrowsError(try Scenario.load(file: nil, assignments: [with, Assignment(path: "choice.constants.A", value: .number(-1), source: "--set")])) {
            XCTAssertTrue("\($0)".hasPrefix("--set: choice.constants.A") && "\($0)".contains("draws this parameter"), "\($0)")
        }
        let base = try Scenario.load(file: nil, assignments: [with])
        XCTAssertThrowsError(try SweepPlan(base: base, factors: [try SweepFactor(parsing: "choice.constants.A=-2,-1")], design: .grid)) {
            XCTAssertTrue("\($0)".hasPrefix("--vary: choice.constants.A"), "\($0)")
        }
        XCTAssertNoThrow(try SweepPlan(base: base, factors: [try SweepFactor(parsing: "amazon.prime.monthlyFee=10,15")], design: .grid))
        // An experiment's arm may set what the posterior draws (its lever): the draw leaves it.
        let armed = try Scenario.load(file: nil, assignments: [with], arm: [Assignment(path: "choice.constants.A", value: .number(-9), source: "[off]")])
        for r in 1...4 { XCTAssertEqual(try armed.drawn(replicate: r).model.choice.constants[0], -9, "an arm's lever holds over the draw") }
        XCTAssertNotEqual(Set((1...4).map { try! base.drawn(replicate: $0).model.choice.constants[0] }), [-9])
        for (sample, expected) in [("weight,constantA\n0.5,-2.5\n0.5,nan\n", "posterior.csv:3: constantA = nan"),
                                   ("weight,constantA\n0,-2.5\n", "every weight is 0"),
                                   ("weight,constantB\n1,-2.5\n", "constantB"),
                                   ("weight,constantA\n1,-99\n", "posterior.csv:2: choice.constants.A = -99")] {
            let bad = try posterior(sample)
            XCTAssertThrowsError(try Scenario.load(file: nil, assignments: [Assignment(path: "run.posterior", value: .text(bad), source: "--posterior")])) {
                XCTAssertTrue("\($0)".contains(expected), "\($0)")
                XCTAssertEqual(($0 as? InputError)?.exitStatus, 2)
            }
        }
    }
    /// A claim on a posterior carries the parameters' uncertainty: each
    /// replicate runs at its own draw, so the effect spreads as the drawn
    /// parameter moves it, and the interval is where the middle 90 % of the
    /// replicates' effects fall, not the mean's. The record says which
    /// posterior it drew from.
    func testAClaimOnAPosteriorCarriesTheParametersUncertainty() throws {
        let root = repositoryRoot.path
        var spec = try ReproductionSpec.read(root + "/Experiments/reproduce/claim-prime-loyalty.toml")
        // From the built-in baseline, short: the fork into the history is tested elsewhere.
        spec.scenarioFile = ""
        spec.fork = nil
        spec.settings = [Assignment(path: "run.weeks", value: .number(30), source: "test"),
                         Assignment(path: "run.warmupWeeks", value: .number(4), source: "test")]
        // Amazon's constant drawn far apart: Prime's effect on Amazon's share of online moves with Amazon's size.
        let folder = try posterior("weight,constantA\n0.5,-3.5\n0.5,-0.5\n")
        var drawing = spec
        drawing.settings = [Assignment(path: "run.posterior", value: .text(folder), source: "--posterior")] + spec.settings
        let size = ReproductionSize(shoppers: 3000, replicates: 10)
        var effects: [[Double]] = []
        for (k, s) in [spec, drawing].enumerated() {
            let out = try temporaryFolder().path
            let record = try Reproduction.run(s, results: out, threads: 2, size: size, root: root)
            let rows = try String(contentsOfFile: "\(out)/claim-prime-loyalty/replicates.csv", encoding: .utf8)
                .split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            let share = try XCTUnwrap(rows[0].firstIndex(of: "amazonShareOfOnline"))
            let arm = { (name: String) in rows.filter { $0[0] == name }.map { Double($0[share])! } }
            effects.append(zip(arm("on"), arm("off")).map { $0 - $1 })
            let header = try String(contentsOfFile: "\(out)/claim-prime-loyalty/effects.csv", encoding: .utf8).prefix { $0 != "\n" }
            if k == 0 {
                XCTAssertNil(record.posterior)
                XCTAssertEqual(record.command, "retailsim reproduce claim-prime-loyalty --replicates 10 --households 3000")
                XCTAssertTrue(header.contains("ci95Low,ci95High"))
                continue
            }
            XCTAssertEqual(record.posterior, folder)
            XCTAssertTrue(record.command.contains("--posterior \(folder)"), record.command)
            XCTAssertTrue(header.contains("q05,q95"), String(header))
            let check = try XCTUnwrap(record.checks.first { $0.name == "amazonShareOfOnline (equilibrium)" })
            XCTAssertEqual(check.tolerance, "90 % posterior interval on the claimed side of 0")
            // The interval holds the middle of the replicates' effects, the two draws' apart.
            let sorted = effects[1].sorted()
            let row = try XCTUnwrap(try String(contentsOfFile: "\(out)/claim-prime-loyalty/effects.csv", encoding: .utf8)
                .split(separator: "\n").first { $0.hasPrefix("amazonShareOfOnline,equilibrium,") }).split(separator: ",")
            let (low, high) = (Double(row[6])!, Double(row[7])!)
            XCTAssertLessThanOrEqual(low, sorted[1])
            XCTAssertGreaterThanOrEqual(high, sorted[8])
        }
        func sd(_ x: [Double]) -> Double { Summary(x).standardDeviation! }
        XCTAssertGreaterThan(sd(effects[1]), 3 * sd(effects[0]),
                             "the effect spreads with the drawn constant far more than with the households' draws alone")
    }
    /// A run's table on a posterior shows where 90 % of the draws fall, the
    /// answer's uncertainty, wider here than the mean's interval.
    func testARunOnAPosteriorPrintsItsPosteriorInterval() throws {
        let folder = try posterior("weight,constantA\n0.5,-3.5\n0.5,-0.5\n")
        let s = try scenario(settings: ["population.shoppers=800", "run.weeks=6", "run.warmupWeeks=1", "run.replicates=8", "run.posterior=\(folder)"])
        let result = try Replicates.runConcurrently(s, threads: 2)
        let table = try SummaryTable.render(result, folder: nil)
        XCTAssertTrue(table.contains("mean     90 % posterior"), table)
        let m = try XCTUnwrap(try MetricSummary.all(result.metrics).first { $0.name == "spendShare.A" })
        XCTAssertTrue(table.contains(String(format: "[%6.2f, %6.2f]", 100 * m.q05, 100 * m.q95)), table)
        XCTAssertGreaterThan(m.q95 - m.q05, try XCTUnwrap(m.ci95).upperBound - m.ci95!.lowerBound)
        // Its report's bands are the draws' 90 % intervals too, and say so.
        let out = try temporaryFolder().appendingPathComponent("run")
        try RunOutput.write(result, to: out.path)
        let made = try runTool(["report", out.path])
        XCTAssertEqual(made.status, 0, made.err)
        let page = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("each a posterior draw; bands: 90 % posterior intervals"), String(page.prefix(2000)))
        XCTAssertFalse(page.contains("Student-t"))
    }

    /// A sweep on a posterior: its summary.csv adds each point's 90 %
    /// posterior interval (the middle 90 % of its replicates, each a draw)
    /// beside the mean's 95 % one; one without keeps its columns.
    func testASweepOnAPosteriorSummarisesItsPosteriorInterval() throws {
        let folder = try posterior("weight,constantA\n0.5,-3.5\n0.5,-0.5\n")
        for onPosterior in [true, false] {
            let base = try scenario(settings: ["population.shoppers=600", "run.weeks=6", "run.warmupWeeks=1", "run.replicates=8"]
                                    + (onPosterior ? ["run.posterior=\(folder)"] : []))
            let plan = try SweepPlan(base: base, factors: [try SweepFactor(parsing: "amazon.prime.monthlyFee=10,15")], design: .grid)
            let out = try temporaryFolder().appendingPathComponent("sweep").path
            try plan.write(to: out)
            _ = try SweepRunner.run(plan, folder: out, threads: 2)
            _ = try SweepMerge.merge(folder: out)
            let lines = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            XCTAssertEqual(lines[0].suffix(onPosterior ? 6 : 4), onPosterior ? ["mean", "sd", "ci95Low", "ci95High", "q05", "q95"]
                                                                              : ["mean", "sd", "ci95Low", "ci95High"])
            guard onPosterior else { continue }
            // Point 0's interval is the spread of its eight replicates' values, which the two draws set apart.
            let runs = try String(contentsOfFile: out + "/results.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            let (point, metric) = (try XCTUnwrap(runs[0].firstIndex(of: "point")), try XCTUnwrap(runs[0].firstIndex(of: "spendShare.A")))
            let values = runs.dropFirst().filter { $0[point] == "0" }.map { Double($0[metric])! }
            XCTAssertEqual(values.count, 8)
            let expected = try MetricSummary(name: "spendShare.A", values: values)
            let row = try XCTUnwrap(lines.first { $0[0] == "0" && $0.contains("spendShare.A") }).suffix(2).map { Double($0)! }
            XCTAssertEqual(row, [expected.q05, expected.q95])
            XCTAssertGreaterThan(expected.q95 - expected.q05, 0.05, "the draws of constantA (-3.5, -0.5) set Amazon's share apart: \(values)")
        }
    }
}
