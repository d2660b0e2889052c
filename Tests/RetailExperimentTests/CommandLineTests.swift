import Foundation
import RetailSimTestSupport
import XCTest

/// The built tool, run as a user would: exit statuses, messages, files.
final class CommandLineTests: XCTestCase {

    private func run(_ arguments: [String], in folder: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        try runTool(retailsimBinary, arguments, in: folder)
    }

    /// The tool is built with the tests (the test target depends on it); its
    /// absence is a failure, not a skip.
    private func requireBinary() throws {
        guard FileManager.default.isExecutableFile(atPath: retailsimBinary.path) else {
            XCTFail("retailsim not built at \(retailsimBinary.path)")
            throw CocoaError(.fileNoSuchFile)
        }
    }


    func testBadInputExitsWithStatusTwoNamingTheProblemAndWritesNothing() throws {
        try requireBinary()
        let folder = try temporaryFolder()
        let bad = folder.appendingPathComponent("bad.toml")
        try "[amazon.prime]\nmonthlyFee = -1\n".write(to: bad, atomically: true, encoding: .utf8)
        let cases: [([String], [String])] = [
            (["run", "--set", "amazon.prime.fee=3"], ["amazon.prime.fee", "did you mean 'amazon.prime.monthlyFee'"]),
            (["run", "--set", "walmart.plus.monthlyFee=-2"], ["walmart.plus.monthlyFee", "-2", "a number in (1e-12, 1000]"]),
            (["run", "--set", "population.urbanShare=1.5"], ["population.urbanShare", "1.5", "[0, 1]"]),
            (["run", "--shoppers", "0"], ["population.shoppers", "0"]),
            (["run", "--set", "amazon.priceIndex=nan"], ["amazon.priceIndex", "not a finite number"]),
            (["run", "--set", "membership.enabled=maybe"], ["membership.enabled", "true or false"]),
            (["run", bad.path], ["bad.toml:2", "amazon.prime.monthlyFee", "-1"]),
            (["run", folder.appendingPathComponent("missing.toml").path], ["missing.toml", "no such file"]),
            (["run", "--threads", "0"], ["--threads"]),
            (["run", "--no-such-flag"], ["no-such-flag"]),
            (["scenario", "check", bad.path], ["monthlyFee"]),
            (["calibrate", "--targets", folder.appendingPathComponent("none.toml").path], ["none.toml", "no such file"]),
            (["calibrate", "--fit-shoppers", "5"], ["--fit-shoppers", "5", "[100, 10000000]"]),
            (["calibrate", "--coarse-shoppers", "5"], ["--coarse-shoppers", "5", "[100, 10000000]"]),
            (["calibrate", "--coarse-shoppers", "1000", "--coarse-iterations", "0"], ["--coarse-iterations", "0", "[1, 100000]"]),
            (["calibrate", "--targets", bad.path], ["bad.toml:2", "expected name"]),
            (["calibrate", "--hold", "choice.habitWeight"], ["--hold", "choice.habitWeight", "not a fitted parameter; allowed: choice.constants.A"]),
            (["calibrate", "--benchmark", "rosenbrock"], ["--benchmark", "rosenbrock", "no such benchmark; allowed: gaussian-linear"]),
            (["calibrate", "--benchmark", "gaussian-linear", "--recover", "3"], ["--benchmark", "leave out --recover"]),
            (["reproduce", "no-such-experiment", "--experiments",
              URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Experiments/reproduce").standardized.path], ["no-such-experiment", "no such experiment; allowed: all, backcast-2015-2024"]),
            (["reproduce", "bass-1969", "--posterior", folder.path, "--experiments",
              URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Experiments/reproduce").standardized.path],
             ["--posterior", "bass-1969", "does not run on a posterior; allowed: backcast-2015-2024"]),
            (["reproduce", "levers", "--replicates", "0", "--experiments",
              URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Experiments/reproduce").standardized.path],
             ["--replicates", "0", "at least 1"]),
            (["report", folder.appendingPathComponent("nowhere").path], ["nowhere", "no such folder"]),
            (["report", folder.path], ["neither a run's folder"]),
        ]
        for (arguments, needles) in cases {
            let out = folder.appendingPathComponent("out-\(arguments.count)")
            let result = try run(arguments + ["--out", out.path, "--quiet"].filter { _ in arguments[0] == "run" })
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.err)")
            for needle in needles { XCTAssertTrue(result.err.contains(needle), "\(arguments): '\(needle)' not in \(result.err)") }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(arguments) wrote output")
        }
    }

    func testRunWritesFilesAndPrintsTheSummaryTable() throws {
        try requireBinary()
        let folder = try temporaryFolder()
        let out = folder.appendingPathComponent("run")
        let result = try run(["run", "--shoppers", "5000", "--weeks", "30", "--replicates", "3", "--seed", "4",
                              "--out", out.path, "--write-shoppers", "--quiet"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("95 % CI"))
        XCTAssertTrue(result.out.contains("Prime-like"))
        for name in ["weekly.csv", "members.csv", "retailers.csv", "waits.csv", "summary.json", "scenario.json", "shoppers.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), name)
        }
        let shoppers = try String(contentsOf: out.appendingPathComponent("shoppers.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(shoppers.count, 5001)
        XCTAssertEqual(shoppers[0], "shopper,segment,xKm,yKm,storeKm,hubKm,sameDayKm,fulfillmentKm")
        // No temporary files left behind.
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: out.path).allSatisfy { !$0.hasPrefix(".") })
        // Running the written scenario.json again gives the same summary.
        let again = folder.appendingPathComponent("again")
        let rerun = try run(["run", out.appendingPathComponent("scenario.json").path, "--out", again.path, "--quiet"])
        XCTAssertEqual(rerun.status, 0, rerun.err)
        XCTAssertEqual(try Data(contentsOf: again.appendingPathComponent("summary.json")),
                       try Data(contentsOf: out.appendingPathComponent("summary.json")))
    }

    func testBenchPrintsOneJSONLine() throws {
        try requireBinary()
        let result = try run(["bench", "--shoppers", "20000", "--weeks", "8"])
        XCTAssertEqual(result.status, 0, result.err)
        let lines = result.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 1)
        let json = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        XCTAssertGreaterThan(json["householdWeeksPerSecond"] as! Double, 0)
        XCTAssertGreaterThan(json["peakMemoryBytes"] as! Double, 0)
        XCTAssertNotNil(json["setupSeconds"] as? Double)
    }

    func testScenarioShowListsEveryParameter() throws {
        try requireBinary()
        let result = try run(["scenario", "show", "--set", "amazon.priceIndex=1.05"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("amazon.prime.monthlyFee"))
        XCTAssertTrue(result.out.contains("membership.localScope"))
        XCTAssertTrue(result.out.split(separator: "\n").contains { $0.hasPrefix("amazon.priceIndex") && $0.contains("1.05") })
    }

    /// Ctrl-C ends a long run after the week in progress: the weeks done are
    /// written, complete, summary.json says where it stopped, and the exit
    /// status (130) says it did not finish.
    func testCtrlCWritesTheWeeksDone() throws {
        try requireBinary()
        let folder = try temporaryFolder()
        // The market saved after week 1 (hundreds of megabytes in the state's partial file; its header is a few
        // kilobytes) says the set-up and the burn-in are past, however loaded the machine: a fixed wait stopped
        // a loaded machine before week 1. Week 520 is far off.
        let states = try temporaryFolder()
        let process = try startTool(retailsimBinary, ["run", "--shoppers", "2000000", "--weeks", "520", "--replicates", "1", "--set", "run.warmupWeeks=0",
                                             "--save-state", "1:" + states.appendingPathComponent("w1.state").path, "--quiet", "--out", folder.path])
        func saved() -> Int {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: states.path)) ?? []
            return names.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: states.appendingPathComponent($1).path)[.size] as? Int) ?? 0) }
        }
        let deadline = Date().addingTimeInterval(300)
        while saved() < 50_000_000 && process.isRunning && Date() < deadline { usleep(100_000) }
        XCTAssertGreaterThan(saved(), 50_000_000, "week 1 never finished")
        process.interrupt()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        let summary = try String(contentsOf: folder.appendingPathComponent("summary.json"), encoding: .utf8)
        let stop = try XCTUnwrap(summary.firstMatch(of: /"stoppedAt": \{"replicate": 1, "week": (\d+)/))
        let week = try XCTUnwrap(Int(stop.1))
        XCTAssertTrue((1..<520).contains(week), "stopped at week \(week)")
        let weekly = try String(contentsOf: folder.appendingPathComponent("weekly.csv"), encoding: .utf8)
        // One line per week, segment and option, after the header.
        XCTAssertEqual(weekly.split(separator: "\n").count, 1 + week * 3 * 6)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }, [])
    }

    func testWriteShoppersIsRefusedAboveItsLimit() throws {
        try requireBinary()
        let r = try run(["run", "--shoppers", "10000001", "--write-shoppers", "--out", try temporaryFolder().path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.err.contains("--write-shoppers") && r.err.contains("10000001") && r.err.contains("at most 10000000"), r.err)
    }
}

/// kill -9 at any moment leaves every output file either as it was or complete.
final class KilledRunTests: XCTestCase {

    private func start(_ arguments: [String]) throws -> Process { try startTool(retailsimBinary, arguments) }

    func testKilledRunLeavesOldOrNewFilesNeverHalf() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-kill-\(getpid())")
        try? FileManager.default.removeItem(at: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let names = ["weekly.csv", "members.csv", "retailers.csv", "waits.csv", "summary.json", "scenario.json"]
        func files(_ folder: URL) throws -> [Data?] { names.map { try? Data(contentsOf: folder.appendingPathComponent($0)) } }
        let oldArgs = ["run", "--shoppers", "20000", "--weeks", "40", "--replicates", "4", "--seed", "1", "--quiet"]
        let newArgs = ["run", "--shoppers", "20000", "--weeks", "40", "--replicates", "4", "--seed", "2", "--quiet"]
        // The complete old and new outputs, for reference.
        let reference = root.appendingPathComponent("new")
        let full = try start(newArgs + ["--out", reference.path])
        let t0 = Date()
        full.waitUntilExit()
        let runSeconds = Date().timeIntervalSince(t0)
        let newFiles = try files(reference)
        let oldFolder = root.appendingPathComponent("old")
        let old = try start(oldArgs + ["--out", oldFolder.path])
        old.waitUntilExit()
        let oldFiles = try files(oldFolder)
        XCTAssertTrue(newFiles.allSatisfy { $0 != nil } && oldFiles.allSatisfy { $0 != nil })

        var generator = SystemRandomNumberGenerator()
        for attempt in 0..<8 {
            let target = root.appendingPathComponent("target\(attempt)")
            try FileManager.default.copyItem(at: oldFolder, to: target)
            let victim = try start(newArgs + ["--out", target.path])
            // Anywhere in the run, the writing at its end included.
            usleep(UInt32(Double.random(in: 0.3...1.05, using: &generator) * runSeconds * 1e6))
            kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()
            let now = try files(target)
            for (k, name) in names.enumerated() {
                XCTAssertTrue(now[k] == oldFiles[k] || now[k] == newFiles[k], "attempt \(attempt): \(name) is neither old nor new")
            }
            // The next run to that folder clears what the killed one left behind.
            let again = try start(newArgs + ["--out", target.path])
            again.waitUntilExit()
            XCTAssertEqual(try files(target), newFiles)
            let hidden = try FileManager.default.contentsOfDirectory(atPath: target.path).filter { $0.hasPrefix(".") }
            XCTAssertEqual(hidden, [], "attempt \(attempt)")
        }
    }
}
