import Foundation
import RetailExperiment
import XCTest

/// JSON in and out for workflow systems: `--params` (a dictionary of path to
/// value, from a file or standard input) and `run --emit summary`.
final class WorkflowTests: XCTestCase {
    private var binary: URL { builtTool(beside: WorkflowTests.self) }

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-flow-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Runs the tool with `input` on standard input.
    private func run(_ arguments: [String], input: String) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = binary
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
        let shown = try runTool(binary, ["scenario", "show", "--format", "json", "--params", file.path, "--set", "walmart.priceIndex=0.99"])
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
}
