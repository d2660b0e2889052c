import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// The README's worked example and the committed Results are what the current
/// code prints: a change that moves the numbers must update them.
final class DocumentationTests: XCTestCase {
    private let root = repositoryRoot


    /// docs/PERFORMANCE.md shows the table that Experiments/scripts/performance.sh
    /// made from `retailsim bench`, of the current version, with every size the
    /// issue asks for and the state's bytes a household.
    func testPerformanceTableIsTheMeasuredOne() throws {
        let table = try String(contentsOf: root.appendingPathComponent("Results/performance/table.md"), encoding: .utf8)
        let page = try String(contentsOf: root.appendingPathComponent("docs/PERFORMANCE.md"), encoding: .utf8)
        XCTAssertTrue(page.contains(table), "docs/PERFORMANCE.md does not show Results/performance/table.md")
        let lines = try String(contentsOf: root.appendingPathComponent("Results/performance/bench.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        let cases = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(Set(cases.compactMap { $0["version"] as? String }), [RetailSimVersion.string], "bench.jsonl is stale: make bench-scale")
        for n in [1_000_000, 10_000_000, 100_000_000] {
            XCTAssertEqual(Set(cases.filter { $0["households"] as? Int == n }.compactMap { $0["threads"] as? Int }), [1, 2], "\(n) households")
        }
        // Every US household, the whole model, a year: issue 13's full scale (under 4 minutes and 8 GiB here).
        XCTAssertTrue(cases.contains { $0["households"] as? Int == 131_000_000 && $0["weeks"] as? Int == 52 })
        XCTAssertTrue(cases.allSatisfy { $0["stateBytesPerHousehold"] as? Int == Bench.stateBytesPerHousehold })
    }

    func testReadmeExampleAndResultsMatchTheCurrentCode() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-doc-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = retailsimBinary
        process.arguments = ["run", "--replicates", "5", "--seed", "1", "--out", out.path, "--quiet"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        // Everything but the last line, which names the output folder.
        func table(_ text: String) -> [String] {
            Array(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).prefix { !$0.hasPrefix("wrote ") })
        }
        let committed = try String(contentsOf: root.appendingPathComponent("Results/baseline/summary.txt"), encoding: .utf8)
        XCTAssertEqual(table(printed), table(committed), "Results/baseline is stale: bash Experiments/scripts/baseline.sh")
        for name in ["summary.json", "weekly.csv", "members.csv", "retailers.csv", "waits.csv", "scenario.json"] {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(name)),
                           try Data(contentsOf: root.appendingPathComponent("Results/baseline/\(name)")), "Results/baseline/\(name) is stale")
        }
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssertTrue(readme.contains(table(printed).joined(separator: "\n")), "README's worked example is stale")
    }

    /// The committed sweeps are what the current code makes: their shards
    /// merge to the committed tables, runs re-made alone give their rows, and
    /// the committed Sobol indices come out again. (Re-running whole sweeps is
    /// Experiments/scripts/sweeps.sh's job: minutes, not a unit test's.)
    func testCommittedSweepsMatchTheCurrentCode() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-doc-sweep-\(getpid())")
        defer { try? FileManager.default.removeItem(at: copy) }
        for name in ["sweep-fee-x-hubs", "sensitivity-prices", "sweep-prime-fee", "sweep-slots"] {
            let committed = root.appendingPathComponent("Results/\(name)")
            try? FileManager.default.removeItem(at: copy)
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            for file in ["sweep.json", "points.csv", "shards"] {
                try FileManager.default.copyItem(at: committed.appendingPathComponent(file), to: copy.appendingPathComponent(file))
            }
            _ = try SweepMerge.merge(folder: copy.path)
            for file in ["results.csv", "summary.csv"] {
                XCTAssertEqual(try Data(contentsOf: copy.appendingPathComponent(file)), try Data(contentsOf: committed.appendingPathComponent(file)),
                               "Results/\(name)/\(file) is stale: bash Experiments/scripts/sweeps.sh")
            }
            let plan = try SweepPlan.read(folder: committed.path)
            XCTAssertEqual(plan.version, RetailSimVersion.string, "Results/\(name) was made by another version")
            let rows = try String(contentsOf: committed.appendingPathComponent("results.csv"), encoding: .utf8).split(separator: "\n")
            for k in [0, plan.runCount - 1] {
                let run = plan.run(k)
                let metrics = try Replicates.run(plan.scenario(point: run.point, replicate: run.replicate), threads: 2).metrics[0]
                let row = rows[1 + k].split(separator: ",")
                XCTAssertEqual(row.suffix(metrics.values.count).map { Double($0)! }, metrics.values, "Results/\(name): run \(k) differs")
            }
        }
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let printed = try String(contentsOf: root.appendingPathComponent("Results/sweep-fee-x-hubs/sweep.txt"), encoding: .utf8)
        XCTAssertTrue(readme.contains(printed.replacingOccurrences(of: "Results/sweep-fee-x-hubs", with: "sweeps/fee-x-hubs")),
                      "README's sweep example is not Results/sweep-fee-x-hubs/sweep.txt")
        let sensitivity = try SweepSensitivity(folder: root.appendingPathComponent("Results/sensitivity-prices").path, metric: "amazonShareOfOnline")
        XCTAssertEqual(sensitivity.csv, try String(contentsOf: root.appendingPathComponent("Results/sensitivity-prices/sensitivity-amazonShareOfOnline.csv"),
                                                   encoding: .utf8))
    }

    /// The committed reproductions are what the current code makes: the
    /// closed forms re-made here give the same bytes; every experiment was
    /// made by this version; the calibration's fit is the built-in baseline;
    /// and Results/README.md's table is the one the records give.
    /// (`reproduce all` itself takes minutes: CI-sized checks only.)
    func testCommittedReproductionsMatchTheCurrentCode() throws {
        let results = root.appendingPathComponent("Results").path
        let records = Reproduction.records(results: results)
        let specs = try ReproductionSpec.readAll(folder: root.appendingPathComponent("Experiments/reproduce").path)
        XCTAssertEqual(Set(records.map(\.experiment)), Set(specs.map(\.name)), "every experiment has its committed Results folder")
        for r in records { XCTAssertEqual(r.version, RetailSimVersion.string, "Results/\(r.experiment) was made by another version") }

        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-doc-reproduce-\(getpid())")
        defer { try? FileManager.default.removeItem(at: copy) }
        for name in ["logit-1974", "huff-1963", "bass-1969"] {
            let spec = try XCTUnwrap(specs.first { $0.name == name })
            _ = try Reproduction.run(spec, results: copy.path, threads: 2, root: root.path)
            for file in ["result.json", "curve.csv", "figure.svg"] {
                XCTAssertEqual(try Data(contentsOf: copy.appendingPathComponent("\(name)/\(file)")),
                               try Data(contentsOf: root.appendingPathComponent("Results/\(name)/\(file)")),
                               "Results/\(name)/\(file) is stale: retailsim reproduce \(name)")
            }
        }

        let fitted = try Scenario.load(file: root.appendingPathComponent("Results/calibration-us-2024/fitted.toml").path, assignments: [])
        for p in FreeParameter.standard + FreeParameter.responseParameters {
            XCTAssertEqual(p.value(fitted), p.value(Scenario.baseline), "\(p.name): the built-in baseline is not the committed fit")
        }

        let readme = try String(contentsOf: root.appendingPathComponent("Results/README.md"), encoding: .utf8)
        XCTAssertTrue(readme.contains(Reproduction.table(records)), "Results/README.md's table is stale: retailsim reproduce all")
    }
    /// The committed posterior and the answers on it: made by this version,
    /// its held-out coverage the one its predictive table gives, every point
    /// a valid scenario, and the claims, levers and backcast on it drawn from
    /// it, with their tables in Results/posterior-claims/README.md and the
    /// claims' posterior intervals in Results/README.md.
    func testCommittedPosteriorAndTheAnswersOnItMatchTheCurrentCode() throws {
        let folder = root.appendingPathComponent("Results/posterior-us-2024")
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("posterior.json"))) as? [String: Any])
        XCTAssertEqual(summary["version"] as? String, RetailSimVersion.string, "Results/posterior-us-2024 was made by another version")
        let rows = try String(contentsOf: folder.appendingPathComponent("predictive.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let heldOut = rows.filter { $0[2] == "validation" }
        XCTAssertEqual(summary["heldOut"] as? Int, heldOut.count)
        XCTAssertEqual(summary["heldOutCovered"] as? Int, heldOut.filter { $0.last == "yes" }.count, "posterior.json's coverage is not predictive.csv's")
        XCTAssertNoThrow(try Scenario.load(file: nil, assignments: [Assignment(path: "run.posterior", value: .text(folder.path), source: "test")]),
                         "every point of the committed posterior is a valid baseline")

        // The recovery beside it: made by this version, its coverage its ranks' sums, every truth in every histogram.
        let recovery = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("recovery.json"))) as? [String: Any])
        XCTAssertEqual(recovery["version"] as? String, RetailSimVersion.string, "Results/posterior-us-2024's recovery was made by another version")
        let ranks = try String(contentsOf: folder.appendingPathComponent("ranks.csv"), encoding: .utf8).split(separator: "\n")
        let header = ranks[0].split(separator: ",").map(String.init)
        let (covered, truths) = (try XCTUnwrap(header.firstIndex(of: "covered")), try XCTUnwrap(header.firstIndex(of: "truths")))
        let perPrior = ranks.dropFirst().map { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(perPrior.count, try PriorSet.read(root.appendingPathComponent("Experiments/targets/us-priors.toml").path).priors.count)
        XCTAssertEqual(perPrior.reduce(0) { $0 + Int($1[covered])! }, recovery["covered"] as? Int, "recovery.json's coverage is not ranks.csv's")
        for row in perPrior {
            XCTAssertEqual(row[1...10].reduce(0) { $0 + Int($1)! }, recovery["recovered"] as? Int, "\(row[0])'s rank histogram leaves out a truth")
            XCTAssertEqual(Int(row[truths]), recovery["recovered"] as? Int)
        }
        let readmeText = try String(contentsOf: root.appendingPathComponent("Results/README.md"), encoding: .utf8)
        let share = try XCTUnwrap(recovery["coverage"] as? Double)
        XCTAssertTrue(readmeText.contains("\(recovery["covered"] as! Int) of \(recovery["of"] as! Int)"),
                      "Results/README.md does not give the recovery's coverage (\(share))")

        let answers = root.appendingPathComponent("Results/posterior-claims").path
        let records = Reproduction.records(results: answers)
        let specs = try ReproductionSpec.readAll(folder: root.appendingPathComponent("Experiments/reproduce").path)
        XCTAssertEqual(Set(records.map(\.experiment)), Set(specs.filter { $0.kind == .paired || $0.kind == .levers || $0.kind == .backcast }.map(\.name)),
                       "every claim, the levers and the backcast on the posterior")
        let readme = try String(contentsOf: root.appendingPathComponent("Results/README.md"), encoding: .utf8)
        for r in records {
            XCTAssertEqual(r.version, RetailSimVersion.string, "Results/posterior-claims/\(r.experiment) was made by another version")
            XCTAssertEqual(r.posterior, "Results/posterior-us-2024", "Results/posterior-claims/\(r.experiment) did not draw from the committed posterior")
            for c in r.checks where r.kind == "paired" && c.name.hasSuffix("(equilibrium)") {
                XCTAssertTrue(readme.contains(c.model), "Results/README.md does not show \(r.experiment) \(c.name) on the posterior: \(c.model)")
            }
        }
        let table = try String(contentsOfFile: answers + "/README.md", encoding: .utf8)
        XCTAssertTrue(table.contains(Reproduction.table(records)), "Results/posterior-claims/README.md is stale: bash Experiments/scripts/posterior_claims.sh")
    }
}
