import Foundation
import RetailExperiment
import RetailSimTestSupport
import XCTest

/// JSON in and out for workflow systems: `--params` (a dictionary of path to
/// value, from a file or standard input) and `run --emit summary`.
final class WorkflowTests: XCTestCase {


    /// Runs the tool with `input` on standard input.
    private func run(_ arguments: [String], input: String) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = retailsimBinary
        process.arguments = arguments
        let stdin = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = err
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func testParamsInAndSummaryOut() throws {
        let folder = try temporaryFolder()
        let params = #"{"amazon.prime.monthlyFee": 11.5, "population.shoppers": 3000, "run.weeks": 12, "run.warmupWeeks": 2, "run.replicates": 3}"#
        let r = try run(["run", "--params", "-", "--emit", "summary", "--quiet", "--out", folder.path], input: params)
        XCTAssertEqual(r.status, 0, r.err)
        let lines = r.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one JSON line and nothing else on stdout")
        let line = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(line["version"] as? String, RetailSimVersion.string)
        XCTAssertEqual(line["replicates"] as? Int, 3)
        let metrics = try XCTUnwrap(line["metrics"] as? [String: Double])
        XCTAssertEqual(Set(metrics.keys), Set(MetricCatalog.names))
        // The same means as the run's summary.json, and the parameters as given.
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("summary.json"))) as? [String: Any])
        XCTAssertEqual(metrics["primeShare"], (summary["primeShare"] as? [String: Any])?["mean"] as? Double)
        let scenario = try String(contentsOf: folder.appendingPathComponent("scenario.json"), encoding: .utf8)
        XCTAssertTrue(scenario.contains("\"monthlyFee\": 11.5"), scenario)
        let ci = try XCTUnwrap((line["ci95"] as? [String: Any])?["primeShare"] as? [Double])
        XCTAssertTrue(ci[0] <= metrics["primeShare"]! && metrics["primeShare"]! <= ci[1])
    }

    func testParamsFromAFileComeBeforeSetAndAreCheckedByName() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("p.json")
        try #"{"amazon.prime.monthlyFee": 11.5, "walmart.priceIndex": 0.95}"#.write(to: file, atomically: true, encoding: .utf8)
        let shown = try runTool(retailsimBinary, ["scenario", "show", "--format", "json", "--params", file.path, "--set", "walmart.priceIndex=0.99"])
        XCTAssertEqual(shown.status, 0, shown.err)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(shown.out.utf8)) as? [[String: Any]])
        func value(_ path: String) -> Double? { rows.first { $0["path"] as? String == path }?["value"] as? Double }
        XCTAssertEqual(value("amazon.prime.monthlyFee"), 11.5)
        XCTAssertEqual(value("walmart.priceIndex"), 0.99, "--set wins over --params")
        for (input, needle) in [(#"{"amazon.prime.fee": 3}"#, "--params -: amazon.prime.fee = 3: unknown parameter (did you mean 'amazon.prime.monthlyFee'?)"),
                                (#"{"amazon.prime.monthlyFee": -1}"#, "--params -: amazon.prime.monthlyFee = -1: out of range"),
                                (#"{"amazon": {"prime": {"monthlyFee": 3}}}"#, "--params -: amazon: allowed: a number, true/false or a string"),
                                ("[1, 2]", "expected a JSON object of parameter path to value"),
                                (#"{"run.weeks": 5,}"#, "--params -:1:")] {
            let r = try run(["scenario", "show", "--params", "-"], input: input)
            XCTAssertEqual(r.status, 2, input)
            XCTAssertTrue(r.err.contains(needle), "\(input): \(r.err)")
        }
    }

    /// `--design points:FILE.csv`: exactly the file's points, planned once (the
    /// plan keeps them), sharded and merged byte for byte as the unsharded sweep.
    func testExternalDesignsRunTheirPointsAndShardLikeAnySweep() throws {
        let folder = try temporaryFolder()
        let points = folder.appendingPathComponent("design.csv")
        try "amazon.prime.monthlyFee,walmart.strategy.hubsPerQuarter,choice.distanceDecay\n9.99,0,linear\n14.99,40,power\n19.99,80,linear\n"
            .write(to: points, atomically: true, encoding: .utf8)
        let size = ["--replicates", "2", "--shoppers", "1500", "--weeks", "8", "--set", "run.warmupWeeks=2"]
        let whole = folder.appendingPathComponent("whole"), sharded = folder.appendingPathComponent("sharded")
        XCTAssertEqual(try runTool(retailsimBinary, ["sweep", "--design", "points:\(points.path)", "--quiet", "--out", whole.path] + size).status, 0)
        XCTAssertEqual(try runTool(retailsimBinary, ["sweep", "plan", "--design", "points:\(points.path)", "--out", sharded.path] + size).status, 0)
        try FileManager.default.removeItem(at: points)  // the plan holds the points
        for shard in ["0/2", "1/2"] { XCTAssertEqual(try runTool(retailsimBinary, ["sweep", "run", sharded.path, "--shard", shard, "--quiet"]).status, 0) }
        XCTAssertEqual(try runTool(retailsimBinary, ["sweep", "merge", sharded.path]).status, 0)
        let a = try String(contentsOf: whole.appendingPathComponent("results.csv"), encoding: .utf8)
        XCTAssertEqual(a, try String(contentsOf: sharded.appendingPathComponent("results.csv"), encoding: .utf8))
        let rows = a.split(separator: "\n")
        XCTAssertEqual(rows.count, 1 + 3 * 2)
        XCTAssertTrue(rows[0].hasPrefix("point,replicate,seed,amazon.prime.monthlyFee,walmart.strategy.hubsPerQuarter,choice.distanceDecay,"))
        XCTAssertTrue(rows[3].hasPrefix("1,1,") && rows[3].contains(",14.99,40,power,"), String(rows[3]))

        for (text, needles) in [("amazon.prime.fee\n9\n", ["design.csv:1", "did you mean 'amazon.prime.monthlyFee'"]),
                                ("amazon.prime.monthlyFee\n9.99\n-1\n", ["design.csv:3", "amazon.prime.monthlyFee = -1", "out of range"]),
                                ("walmart.strategy.hubsPerQuarter\n2.5\n", ["design.csv:2", "not a whole number"]),
                                ("amazon.prime.monthlyFee,walmart.priceIndex\n9.99\n", ["design.csv:2", "1 values, the header has 2"]),
                                ("run.seed\n3\n", ["design.csv:1", "cannot be varied"]),
                                ("amazon.prime.monthlyFee\n", ["no points"])] {
            try text.write(to: points, atomically: true, encoding: .utf8)
            let r = try runTool(retailsimBinary, ["sweep", "plan", "--design", "points:\(points.path)", "--out", folder.appendingPathComponent("bad").path] + size)
            XCTAssertEqual(r.status, 2, text)
            for n in needles { XCTAssertTrue(r.err.contains(n), "\(text): '\(n)' not in \(r.err)") }
        }
        let both = try runTool(retailsimBinary, ["sweep", "plan", "--design", "points:\(points.path)", "--vary", "walmart.priceIndex=0.9,1", "--out", folder.path])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.err.contains("give no --vary"), both.err)
    }

    /// `sweep --record weekly`: every run's weeks in long form, merged in plan
    /// order byte for byte however the sweep was sharded, and each series what
    /// the run itself wrote.
    func testWeeklyRecordsMergeLikeResults() throws {
        let folder = try temporaryFolder()
        let size = ["--vary", "amazon.prime.monthlyFee=10,20", "--replicates", "2", "--shoppers", "1500", "--weeks", "9",
                    "--set", "run.warmupWeeks=2", "--record", "weekly"]
        let whole = folder.appendingPathComponent("whole"), sharded = folder.appendingPathComponent("sharded")
        XCTAssertEqual(try runTool(retailsimBinary, ["sweep", "--quiet", "--out", whole.path] + size).status, 0)
        XCTAssertEqual(try runTool(retailsimBinary, ["sweep", "plan", "--out", sharded.path] + size).status, 0)
        for shard in ["1/2", "0/2"] { XCTAssertEqual(try runTool(retailsimBinary, ["sweep", "run", sharded.path, "--shard", shard, "--quiet"]).status, 0) }
        XCTAssertEqual(try runTool(retailsimBinary, ["sweep", "merge", sharded.path]).status, 0)
        let weekly = try String(contentsOf: whole.appendingPathComponent("weekly.csv"), encoding: .utf8)
        XCTAssertEqual(weekly, try String(contentsOf: sharded.appendingPathComponent("weekly.csv"), encoding: .utf8))
        let rows = weekly.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(rows[0], ["point", "replicate", "week", "metric", "value", "date"])
        XCTAssertEqual(rows.count - 1, 2 * 2 * 9 * WeeklySeries.names.count)
        XCTAssertEqual(Set(rows.dropFirst().map { $0[3] }), Set(WeeklySeries.names))

        // Point 1, replicate 2 made again alone: its weekly.csv gives the series' spend shares.
        let results = try String(contentsOf: whole.appendingPathComponent("results.csv"), encoding: .utf8).split(separator: "\n")
        let seed = try XCTUnwrap(results.first { $0.hasPrefix("1,2,") }?.split(separator: ",")[2])
        let alone = folder.appendingPathComponent("alone")
        XCTAssertEqual(try runTool(retailsimBinary, ["run", "--shoppers", "1500", "--weeks", "9", "--set", "run.warmupWeeks=2", "--set", "amazon.prime.monthlyFee=20",
                                            "--seed", String(seed), "--replicates", "1", "--quiet", "--out", alone.path]).status, 0)
        var revenue: [Int: [String: Double]] = [:]
        for line in try String(contentsOf: alone.appendingPathComponent("weekly.csv"), encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            revenue[Int(f[1])!, default: [:]][f[3], default: 0] += Double(f[5])!
        }
        for row in rows.dropFirst() where row[0] == "1" && row[1] == "2" && row[3] == "spendShare.A" {
            let week = revenue[Int(row[2])!]!
            XCTAssertEqual(Double(row[4])!, week["A"]! / week.values.reduce(0, +), accuracy: 1e-6, "week \(row[2])")
        }
    }
}
