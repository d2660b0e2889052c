import Foundation
import RetailExperiment
import RetailSimTestSupport
import XCTest

/// `retailsim verify DIR`: a folder is re-made from what it recorded and
/// compared file by file; exit 0 when all match, 1 when any differs, 2 when
/// the folder cannot be read.
final class VerificationTests: XCTestCase {
    private let tiny = ["--households", "3000", "--weeks", "6", "--replicates", "2"]

    private func run(_ arguments: [String], in folder: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        try runTool(retailsimBinary, arguments, in: folder)
    }

    /// Replaces the first occurrence of `old` in `file` (the test's tampering).
    private func tamper(_ file: URL, _ old: String, _ new: String) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        let range = try XCTUnwrap(text.range(of: old), "\(old) not in \(file.lastPathComponent)")
        try text.replacingCharacters(in: range, with: new).write(to: file, atomically: true, encoding: .utf8)
    }

    func testARunIsRemadeOnAnyThreadCountAndATamperedFileIsNamed() throws {
        let folder = try temporaryFolder().appendingPathComponent("r")
        let made = try run(["run", "--seed", "7", "--write-facilities", "--threads", "2", "--out", folder.path, "--quiet"] + tiny)
        XCTAssertEqual(made.status, 0, made.err)
        // A printed table kept beside the files is listed, not compared.
        try made.out.write(to: folder.appendingPathComponent("summary.txt"), atomically: true, encoding: .utf8)

        let same = try run(["verify", folder.path, "--threads", "1"])
        XCTAssertEqual(same.status, 0, same.out + same.err)
        for name in ["weekly.csv", "members.csv", "retailers.csv", "waits.csv", "regions.csv", "summary.json", "scenario.json", "facilities.csv"] {
            XCTAssertTrue(same.out.contains("  same      \(name)\n"), "\(name): \(same.out)")
        }
        XCTAssertTrue(same.out.contains("unchecked summary.txt"), same.out)
        XCTAssertTrue(same.out.contains("8 of 8 files the same"), same.out)

        // One trip count changed in weekly.csv's second row: exit 1, the file and the line named.
        let weekly = folder.appendingPathComponent("weekly.csv")
        let lines = try String(contentsOf: weekly, encoding: .utf8).components(separatedBy: "\n")
        var fields = lines[1].components(separatedBy: ",")
        fields[4] = String(Int(fields[4])! + 1)
        try tamper(weekly, lines[1] + "\n", fields.joined(separator: ",") + "\n")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("members.csv"))
        let differs = try run(["verify", folder.path])
        XCTAssertEqual(differs.status, 1, differs.out + differs.err)
        XCTAssertTrue(differs.out.contains("DIFFERS   weekly.csv") && differs.out.contains("line 2: recorded \"\(fields.joined(separator: ","))\""),
                      differs.out)
        XCTAssertTrue(differs.out.contains("MISSING   members.csv"), differs.out)
        XCTAssertTrue(differs.out.contains("6 of 8 files the same"), differs.out)
    }

    func testASweepIsRemadeShardByShardWhateverOrderItsRunsFinished() throws {
        let folder = try temporaryFolder().appendingPathComponent("s")
        XCTAssertEqual(try run(["sweep", "plan", "--vary", "amazon.prime.monthlyFee=10,15", "--out", folder.path] + tiny).status, 0)
        for shard in ["0/2", "1/2"] { XCTAssertEqual(try run(["sweep", "run", folder.path, "--shard", shard, "--quiet"]).status, 0) }
        XCTAssertEqual(try run(["sweep", "merge", folder.path]).status, 0)

        // A shard's records in another order (runs finish in any order) are the same records.
        let record = folder.appendingPathComponent("shards/shard-0-of-2.csv")
        let lines = try String(contentsOf: record, encoding: .utf8).components(separatedBy: "\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 4, "plan line, header, two runs")
        try (lines.prefix(2) + lines.dropFirst(2).reversed()).map { $0 + "\n" }.joined().write(to: record, atomically: true, encoding: .utf8)

        let same = try run(["verify", folder.path])
        XCTAssertEqual(same.status, 0, same.out + same.err)
        for name in ["sweep.json", "points.csv", "results.csv", "summary.csv", "shards/shard-0-of-2.csv", "shards/shard-1-of-2.csv"] {
            XCTAssertTrue(same.out.contains("  same      \(name)\n"), "\(name): \(same.out)")
        }

        // A changed metric in one record is a difference, named as a sorted record.
        let row = lines[2].components(separatedBy: ",")
        try tamper(record, row[5], row[5] == "0.5" ? "0.25" : "0.5")
        let differs = try run(["verify", folder.path])
        XCTAssertEqual(differs.status, 1, differs.out + differs.err)
        XCTAssertTrue(differs.out.contains("DIFFERS   shards/shard-0-of-2.csv") && differs.out.contains("record (sorted)"), differs.out)
    }

    func testAShrunkReproductionIsRemadeAtItsRecordedSize() throws {
        let results = try temporaryFolder()
        let root = repositoryRoot.path
        let spec = try ReproductionSpec.read(root + "/Experiments/reproduce/logit-1974.toml")
        _ = try Reproduction.run(spec, results: results.path, threads: 2, size: ReproductionSize(shoppers: 2_000, replicates: 2), root: root)
        let folder = results.appendingPathComponent("logit-1974")
        let same = try run(["verify", folder.path], in: repositoryRoot)
        XCTAssertEqual(same.status, 0, same.out + same.err)
        XCTAssertTrue(same.out.contains("the reproduced experiment logit-1974") && same.out.contains("3 of 3 files the same"), same.out)

        // An edited table is a difference.
        try tamper(folder.appendingPathComponent("curve.csv"), "\n", "\n#\n")
        XCTAssertEqual(try run(["verify", folder.path], in: repositoryRoot).status, 1)
    }

    func testAFolderThatCannotBeReadIsRefusedWithStatusTwo() throws {
        let base = try temporaryFolder()
        func folder(_ name: String, _ files: [String: String]) throws -> String {
            let f = base.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: f, withIntermediateDirectories: true)
            for (file, text) in files { try text.write(to: f.appendingPathComponent(file), atomically: true, encoding: .utf8) }
            return f.path
        }
        let run = base.appendingPathComponent("run")
        XCTAssertEqual(try self.run(["run", "--out", run.path, "--quiet"] + tiny).status, 0)
        let summary = try String(contentsOf: run.appendingPathComponent("summary.json"), encoding: .utf8)
        let stopped = summary.replacingOccurrences(of: "\"warmupWeeks\": 0,", with: "\"warmupWeeks\": 0,\n  \"stoppedAt\": {\"replicate\": 1, \"week\": 3, \"replicatesSummarised\": 1},")
        let scenario = try String(contentsOf: run.appendingPathComponent("scenario.json"), encoding: .utf8)

        let cases: [(String, [String])] = [
            (base.appendingPathComponent("absent").path, ["absent", "no such folder"]),
            (run.appendingPathComponent("weekly.csv").path, ["weekly.csv", "is a file"]),
            (try folder("empty", [:]), ["empty", "not a folder that `retailsim run`, `sweep` or `reproduce` wrote"]),
            (try folder("broken", ["summary.json": "{\"version\": "]), ["broken/summary.json"]),
            (try folder("lone", ["summary.json": summary]), ["summary.json without scenario.json"]),
            (try folder("stopped", ["summary.json": stopped, "scenario.json": scenario]), ["stoppedAt", "stopped early"]),
            (try folder("unversioned", ["sweep.json": "{}"]), ["sweep.json", "version", "missing"]),
            (try folder("unknown", ["result.json": "{\"experiment\": \"no-such\", \"version\": \"0.9.0\"}"]), ["result.json", "no-such", "no such experiment"]),
            (try folder("badscenario", ["summary.json": summary, "scenario.json": "{\"amazon\": {\"priceIndex\": -1}}"]), ["badscenario/scenario.json", "amazon.priceIndex", "-1"]),
        ]
        for (path, needles) in cases {
            assertRefused(try self.run(["verify", path], in: repositoryRoot), needles, path)
        }
        let full = try folder("full", ["x.txt": "x"])
        assertRefused(try self.run(["verify", run.path, "--keep", full]), ["--keep", "not empty"], "--keep")
        assertRefused(try self.run(["verify", run.path, "--threads", "0"]), ["--threads", "0"], "--threads")
    }
}
