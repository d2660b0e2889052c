import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// The defects of the third hostile test of 0.8.0 outside explore
/// (reliability campaign 3, defects F3-F24; explore's are in
/// ExploreTests): each as the input that showed it, and each failed on 0.8.0.
final class HostileInputTests: XCTestCase {
    private let tiny = ["--households", "2000", "--weeks", "8", "--quiet"]

    private func run(_ arguments: [String], in folder: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        try runTool(retailsimBinary, arguments, in: folder)
    }

    /// Runs the tool with its standard input and output taken from the given files.
    private func run(_ arguments: [String], input: FileHandle? = nil, output: FileHandle? = nil) throws -> (status: Int32, err: String) {
        let process = Process()
        process.executableURL = retailsimBinary
        process.arguments = arguments
        if let input { process.standardInput = input }
        if let output { process.standardOutput = output }
        let err = Pipe()
        process.standardError = err
        try process.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: e, as: UTF8.self))
    }

    /// F3: an allowed value never crashes a run. A tiny positive value used to
    /// pass the catalogue and overflow in single precision later
    /// (`shoppers.referenceIncome = 1e-320` trapped in the habits' warm start);
    /// every positive parameter now has a floor fifteen decades below its ceiling.
    func testTinyPositiveValuesAreRefusedAtTheCatalogue() throws {
        let r = try run(["run", "--set", "shoppers.referenceIncome=1e-320", "--out", try temporaryFolder().path] + tiny)
        XCTAssertEqual(r.status, 2, r.err)
        XCTAssertTrue(r.err.contains("shoppers.referenceIncome") && r.err.contains("(1e-07, 100000000]"), r.err)
        let lowest = try run(["run", "--set", "shoppers.referenceIncome=1.00001e-07", "--out", try temporaryFolder().path] + tiny)
        XCTAssertEqual(lowest.status, 0, "the lowest allowed value runs: \(lowest.err)")
        for p in ParameterCatalog.all {
            guard case .real(let b) = p.domain, let lower = b.lower, !b.lowerInclusive, lower == 0 else { continue }
            XCTFail("\(p.path) allows any positive value (\(p.allowed)); give it a ceiling and the floor of positiveUpTo")
        }
    }

    /// F5: a regions file edited at the same path is another country: the
    /// network built from its old rows is never reused (it crashed explore, or
    /// paired old stores with new rows in silence).
    func testAnEditedRegionsFileIsReadAfresh() throws {
        let file = try temporaryFolder().appendingPathComponent("my.csv")
        let header = "zcta,state,county,lat,lon,land_sq_mi,people,households,median_income,gini,cbsa\n"
        func market(_ rows: String) throws -> Market {
            try (header + rows).write(to: file, atomically: true, encoding: .utf8)
            let s = try scenario(settings: ["population.shoppers=1000", "geography.regionsFile=\(file.path)"])
            return try Market(parameters: s.model, seed: 1, replicate: 1, threads: 1)
        }
        let ma = try market("01001,MA,25013,42.06237,-72.62575,11.292,16045,6611,73398,0.4308,44140\n"
                            + "01002,MA,25015,42.37721,-72.46479,53.256,22992,8782,74265,0.5308,11200\n")
        XCTAssertEqual(Set(ma.facilities.storeLabels.map(\.state)), ["MA"])
        let ny = try market("10001,NY,36061,40.75064,-73.99718,0.6,29079,15452,101409,0.5,35620\n")
        XCTAssertEqual(Set(ny.facilities.storeLabels.map(\.state)), ["NY"], "the stores stand in the edited file's state")
    }

    /// F10: output that cannot be written is a failed command, not exit 0.
    func testStandardOutputThatCannotBeWrittenFails() throws {
        let full = try XCTUnwrap(FileHandle(forWritingAtPath: "/dev/full"))
        let r = try run(["run", "--emit", "summary", "--out", try temporaryFolder().path] + tiny, output: full)
        XCTAssertEqual(r.status, 1, r.err)
        XCTAssertTrue(r.err.contains("stdout: write failed"), r.err)
        XCTAssertEqual(try run(["scenario", "show", "--format", "json"], output: full).status, 1)
    }

    /// F11: `--params -` from a folder or an endless stream is refused, exit 2, never a trap.
    func testParametersFromAnUnreadableOrEndlessStdinAreRefused() throws {
        let folder = try XCTUnwrap(FileHandle(forReadingAtPath: "/etc"))
        let fromFolder = try run(["scenario", "show", "--params", "-"], input: folder)
        XCTAssertEqual(fromFolder.status, 2, fromFolder.err)
        XCTAssertTrue(fromFolder.err.contains("--params -") && fromFolder.err.contains("cannot read standard input"), fromFolder.err)
        let endless = try run(["scenario", "show", "--params", "-"], input: try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/zero")))
        XCTAssertEqual(endless.status, 2, endless.err)
        XCTAssertTrue(endless.err.contains("longer than 64 MB"), endless.err)
    }

    /// F12: the memory check counts the process's own address-space limit (`ulimit -v`).
    func testTheMemoryCheckHonoursUlimit() throws {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "ulimit -v 4194304; exec \"$0\" run --households 100000000 --weeks 2 --out \"$1\"", retailsimBinary.path,
                           try temporaryFolder().appendingPathComponent("big").path]
        let err = Pipe()
        shell.standardError = err
        shell.standardOutput = FileHandle.nullDevice
        try shell.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationStatus, 2, text)
        XCTAssertTrue(text.contains("population.shoppers") && text.contains("ulimit -v"), text)
    }

    /// F14, F24: facilities.csv belongs to the run that summary.json seals: a
    /// later run without it retires the old one, a stopped write leaves none of
    /// the old run's, and the "wrote" line names it.
    func testFacilitiesAreSealedWithTheirRun() throws {
        let out = try temporaryFolder().appendingPathComponent("run")
        let first = try run(["run", "--write-facilities", "--out", out.path, "--households", "2000", "--weeks", "8"])
        XCTAssertEqual(first.status, 0, first.err)
        XCTAssertTrue(first.out.contains("facilities.csv"), "the wrote line names it: \(first.out)")
        XCTAssertEqual(try run(["run", "--seed", "9", "--out", out.path] + tiny).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("facilities.csv").path),
                       "no facilities.csv of the earlier run beside this run's files")

        let folder = try temporaryFolder().path
        func result(_ fee: Double) throws -> (RunResult, [AtomicFile]) {
            var s = Scenario.baseline
            s.model.population.shoppers = 300
            s.run.weeks = 6
            s.run.warmupWeeks = 1
            s.model.amazon.prime.monthlyFee = fee
            var files: [AtomicFile] = []
            let r = try Replicates.run(s, threads: 1, inspect: { market, k in
                if k == 1 { files.append(try RunOutput.facilitiesFile(market, in: folder)) }
            })
            return (r, files)
        }
        let (old, oldFiles) = try result(10)
        try RunOutput.write(old, to: folder, alongside: oldFiles)
        struct Stop: Error {}
        RunOutput.afterEachRename = { k in if k == 1 { throw Stop() } }
        defer { RunOutput.afterEachRename = nil }
        let (new, newFiles) = try result(20)
        XCTAssertThrowsError(try RunOutput.write(new, to: folder, alongside: newFiles))
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder)).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(names, ["weekly.csv", "members.csv"], "only the new files renamed so far; no old facilities.csv, no seal")
    }

    /// F9's root: two writers of one path in one process each have their own temporary file.
    func testTwoWritersOfOneFileDoNotCollide() throws {
        let path = try temporaryFolder().appendingPathComponent("x.csv").path
        let a = try AtomicFile(path: path), b = try AtomicFile(path: path)
        try a.write("a\n")
        try b.write("b\n")
        try a.commit()
        try b.commit()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "b\n")
    }

    /// F15: a regions file saved with Windows line ends (Excel) runs.
    func testCRLFRegionsFilesAreRead() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("crlf.csv")
        try Data(("zcta,state,county,lat,lon,land_sq_mi,people,households,median_income,gini,cbsa\r\n"
                  + "01001,MA,25013,42.06,-72.62,11.3,16045,6611,73398,0.43,44140\r\n").utf8).write(to: file)
        let r = try run(["run", "--set", "geography.regionsFile=\(file.path)", "--out", folder.appendingPathComponent("r").path] + tiny)
        XCTAssertEqual(r.status, 0, r.err)
    }

    /// F22: `scenario check` without a file checks the built-in baseline with the settings given.
    func testScenarioCheckWithoutAFileChecksTheBaseline() throws {
        let ok = try run(["scenario", "check", "--set", "amazon.prime.monthlyFee=10"])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.out.contains("the built-in baseline") && ok.out.contains("1 parameter(s) differ"), ok.out)
        XCTAssertEqual(try run(["scenario", "check", "--set", "amazon.prime.monthlyFee=-1"]).status, 2)
    }
}

/// Issue 22, item 4: a setting that does nothing in the scenario's country
/// is reported on standard error by `run` and `scenario check`, not ignored
/// in silence; the run goes on (one file may serve both countries).
final class CountrySettingTests: XCTestCase {
    func testSettingsInertInTheirCountryAreWarnedOf() throws {
        let check = try runTool(["scenario", "check", "--set", "walmart.hubRadiusKm=20"])
        XCTAssertEqual(check.status, 0, check.err)
        XCTAssertTrue(check.err.contains("warning: walmart.hubRadiusKm = 20 does nothing in the \"us\" country"), check.err)
        let synthetic = try runTool(["scenario", "check", "--set", "geography.kind=synthetic", "--set", "walmart.network.stores=100"])
        XCTAssertTrue(synthetic.err.contains("walmart.network.stores = 100 does nothing in the \"synthetic\" country"), synthetic.err)
        let quiet = try runTool(["scenario", "check", "--set", "geography.kind=synthetic", "--set", "walmart.hubRadiusKm=20"])
        XCTAssertFalse(quiet.err.contains("warning"), "a setting of its own country: \(quiet.err)")
        XCTAssertEqual(try runTool(["scenario", "check"]).err, "", "the baseline sets nothing out of place")
        let inert = ParameterCatalog.all.filter { ParameterCatalog.onlyCountry($0) == .synthetic }.map(\.path)
        for path in ["walmart.hubRadiusKm", "geography.widthKm", "walmart.peoplePerStore", "amazon.sameDaySites"] {
            XCTAssertTrue(inert.contains(path), "\(path) acts in the synthetic country only")
        }
        XCTAssertEqual(ParameterCatalog.parameter("walmart.strategy.hubsPerQuarter").flatMap(ParameterCatalog.onlyCountry), nil, "acts in both")
    }
}

/// F20: `--params` neither rounds a whole number in silence nor drops a file.
final class ParamsFileTests: XCTestCase {
    func testParamsAreExactAndAllApplied() throws {
        let folder = try temporaryFolder()
        let big = folder.appendingPathComponent("big.json"), a = folder.appendingPathComponent("a.json"), b = folder.appendingPathComponent("b.json")
        try #"{"run.seed": 9007199254740993}"#.write(to: big, atomically: true, encoding: .utf8)
        assertRefused(try runTool(["scenario", "show", "--params", big.path]), ["big.json", "9007199254740993", "not exactly a double"], "rounded seed")
        try #"{"amazon.prime.monthlyFee": 11, "walmart.plus.monthlyFee": 9}"#.write(to: a, atomically: true, encoding: .utf8)
        try #"{"amazon.prime.monthlyFee": 13}"#.write(to: b, atomically: true, encoding: .utf8)
        let both = try runTool(["scenario", "show", "--format", "json", "--params", a.path, "--params", b.path])
        XCTAssertEqual(both.status, 0, both.err)
        let values = Dictionary(uniqueKeysWithValues: try XCTUnwrap(JSONSerialization.jsonObject(with: Data(both.out.utf8)) as? [[String: Any]])
            .map { ($0["path"] as! String, "\($0["value"]!)") })
        XCTAssertEqual(values["amazon.prime.monthlyFee"], "13", "the later file wins")
        XCTAssertEqual(values["walmart.plus.monthlyFee"], "9", "the earlier file is applied too")
        assertRefused(try runTool(["scenario", "show", "--params", "-", "--params", "-"]), ["--params -", "more than once"], "stdin twice")
    }
}

/// F19: a points file's errors name the file and its own line (blank lines
/// counted), relations and memory included, when the sweep is planned.
final class PointsFileTests: XCTestCase {
    func testPointsFileErrorsNameTheirLine() throws {
        let folder = try temporaryFolder()
        func plan(_ text: String) throws -> (status: Int32, out: String, err: String) {
            let file = folder.appendingPathComponent("p-\(UUID().uuidString).csv")
            try text.write(to: file, atomically: true, encoding: .utf8)
            return try runTool(["sweep", "plan", "--design", "points:\(file.path)", "--out", folder.appendingPathComponent(UUID().uuidString).path,
                                "--households", "500", "--weeks", "8"])
        }
        assertRefused(try plan("amazon.prime.monthlyFee\n10\n\n\n12\n-3\n"), [".csv:6", "amazon.prime.monthlyFee", "-3"], "a bad value after blank lines")
        assertRefused(try plan("walmart.network.deliveryWindowHours\n3\n0.5\n"), [".csv:3", "deliveryWindowHours"], "a broken relation")
        assertRefused(try plan("population.shoppers\n1000\n2000000000\n"), [".csv:3", "population.shoppers", "needs about"], "a point too large")
        XCTAssertEqual(try plan("amazon.prime.monthlyFee\n10\n\n12\n").status, 0)
    }
}

/// F12: the memory check finds the process's own cgroup limit, the tightest
/// of its cgroup and those above it (a Slurm job step below its job).
final class MemoryLimitTests: XCTestCase {
    func testTheOwnCgroupsTightestLimitCounts() {
        let files = ["/sys/fs/cgroup/memory.max": "max\n", "/sys/fs/cgroup/slurm/memory.max": "max\n",
                     "/sys/fs/cgroup/slurm/job_7/memory.max": "4294967296\n", "/sys/fs/cgroup/slurm/job_7/step_0/memory.max": "max\n"]
        XCTAssertEqual(MemoryLimit.cgroupLimit(ownCgroups: "0::/slurm/job_7/step_0\n", read: { files[$0] }), 4_294_967_296)
        let v1 = ["/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": "2147483648\n",
                  "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n"]
        XCTAssertEqual(MemoryLimit.cgroupLimit(ownCgroups: "12:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n", read: { v1[$0] }), 2_147_483_648)
        XCTAssertNil(MemoryLimit.cgroupLimit(ownCgroups: "0::/\n", read: { _ in "max\n" }), "no limit set")
    }
}
