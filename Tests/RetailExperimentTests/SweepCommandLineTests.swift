import Foundation
import RetailExperiment
import RetailSimTestSupport
import XCTest

/// The means in a run's summary.json (docs/MODEL.md section 11).
private struct RunSummary: Decodable {
    struct Stat: Decodable { let mean: Double }
    struct OptionStats: Decodable { let spendShare: Stat, tripShare: Stat }
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    let seed: Int
    let options: [String: OptionStats]
    /// Every other metric, by name.
    let derived: [String: Stat]

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        seed = try c.decode(Int.self, forKey: Key(stringValue: "seed"))
        options = try c.decode([String: OptionStats].self, forKey: Key(stringValue: "options"))
        var found: [String: Stat] = [:]
        for name in MetricCatalog.names where !name.hasPrefix("spendShare.") && !name.hasPrefix("tripShare.") {
            found[name] = try c.decode(Stat.self, forKey: Key(stringValue: name))
        }
        derived = found
    }

    /// The mean of a metric named as in results.csv.
    func mean(_ name: String) -> Double {
        let parts = name.split(separator: ".").map(String.init)
        if parts.count == 2 { return (parts[0] == "spendShare" ? options[parts[1]]!.spendShare : options[parts[1]]!.tripShare).mean }
        return derived[name]!.mean
    }
}

/// `retailsim sweep` and `retailsim sensitivity` as a user runs them.
final class SweepCommandLineTests: XCTestCase {

    private func folder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-sweepcli-\(name)-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private let small = ["--shoppers", "3000", "--weeks", "14", "--set", "run.warmupWeeks=2", "--seed", "9"]

    /// Any (point, replicate) of a sweep, re-run alone with `retailsim run`
    /// and the row's seed, gives the row's figures in its summary.json.
    func testALoneRunReproducesARow() throws {
        let root = try folder("lone")
        let scenario = root.appendingPathComponent("cf.toml")
        try "name = \"cf\"\n[amazon.prime]\nmonthlyFee = 12\n".write(to: scenario, atomically: true, encoding: .utf8)
        let sweep = root.appendingPathComponent("sweep")
        let made = try runTool(retailsimBinary, ["sweep", scenario.path] + small + ["--replicates", "2", "--vary", "walmart.priceIndex=0.95,0.99",
                                        "--vary", "amazon.priceIndex=0.98:1.02", "--design", "lhs:3", "--seeds", "independent",
                                        "--out", sweep.path, "--quiet"])
        XCTAssertEqual(made.status, 0, made.err)
        XCTAssertTrue(made.out.contains("3 point(s) × 2 replicate(s) = 6 runs"), made.out)
        let plan = try SweepPlan.read(folder: sweep.path)
        XCTAssertEqual(plan.base.name, "cf")
        let rows = try String(contentsOf: sweep.appendingPathComponent("results.csv"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        for run in [SweepPlan.Run(point: 2, replicate: 1), SweepPlan.Run(point: 0, replicate: 2)] {
            let out = root.appendingPathComponent("alone-\(run.point)-\(run.replicate)")
            let alone = try runTool(retailsimBinary, ["run", scenario.path] + small + plan.runArguments(point: run.point, replicate: run.replicate)
                                    + ["--out", out.path, "--quiet"])
            XCTAssertEqual(alone.status, 0, alone.err)
            // JSONDecoder, not JSONSerialization: the latter loses the last digit here.
            let json = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: out.appendingPathComponent("summary.json")))
            let row = rows[1 + plan.index(of: run)]
            XCTAssertEqual(row[2], String(json.seed))
            for (k, name) in MetricCatalog.names.enumerated() {
                XCTAssertEqual(Double(row[5 + k])!, json.mean(name), "\(name) of point \(run.point) replicate \(run.replicate)")
            }
        }
    }

    /// kill -9 at random moments, then the same command: the sweep finishes
    /// with nothing lost and nothing twice, as if never killed.
    func testResumeAfterKillsAtRandomMoments() throws {
        let root = try folder("kill")
        let arguments = ["sweep"] + small + ["--replicates", "3", "--vary", "amazon.priceIndex=0.96:1.04:5",
                                             "--vary", "walmart.strategy.hubsPerQuarter=0,60", "--quiet", "--out"]
        let reference = root.appendingPathComponent("reference")
        let t0 = Date()
        XCTAssertEqual(try runTool(retailsimBinary, arguments + [reference.path]).status, 0)
        let seconds = Date().timeIntervalSince(t0)
        let expected = try Data(contentsOf: reference.appendingPathComponent("results.csv"))

        var generator = SystemRandomNumberGenerator()
        for attempt in 0..<4 {
            let target = root.appendingPathComponent("target\(attempt)")
            var kills = 0
            while kills < 3 {
                let victim = try startTool(retailsimBinary, arguments + [target.path])
                usleep(UInt32(Double.random(in: 0.05...0.6, using: &generator) * seconds * 1e6))
                kill(victim.processIdentifier, SIGKILL)
                victim.waitUntilExit()
                kills += 1
                // Whatever is recorded is recorded once, and whole.
                let record = target.appendingPathComponent("shards/shard-0-of-1.csv")
                if let text = try? String(contentsOf: record, encoding: .utf8) {
                    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().dropFirst(2)
                    let keys = lines.map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
                    XCTAssertEqual(Set(keys).count, keys.count, "attempt \(attempt): a run recorded twice")
                }
            }
            let finish = try runTool(retailsimBinary, arguments + [target.path])
            XCTAssertEqual(finish.status, 0, finish.err)
            XCTAssertEqual(try Data(contentsOf: target.appendingPathComponent("results.csv")), expected, "attempt \(attempt)")
            let hidden = try FileManager.default.contentsOfDirectory(atPath: target.path).filter { $0.hasPrefix(".") }
            XCTAssertEqual(hidden, [], "attempt \(attempt): temporary files left")
        }
    }

    func testBadInputExitsWithStatusTwoNamingTheProblem() throws {
        let root = try folder("bad")
        let planned = root.appendingPathComponent("planned")
        let plan = try runTool(retailsimBinary, ["sweep", "plan"] + small + ["--vary", "amazon.priceIndex=1,1.02", "--out", planned.path])
        XCTAssertEqual(plan.status, 0, plan.err)
        XCTAssertTrue(plan.out.hasPrefix("2 runs (2 points × 1 replicates) planned in"), plan.out)
        let cases: [([String], [String])] = [
            (["sweep", "--vary", "amazon.prime.fee=1:2:3"], ["amazon.prime.fee", "did you mean 'amazon.prime.monthlyFee'"]),
            (["sweep", "--vary", "amazon.prime.monthlyFee=0:5:3"], ["amazon.prime.monthlyFee", "out of range", "a number in (1e-12, 1000]"]),
            (["sweep", "--vary", "amazon.priceIndex=1:2"], ["grid needs a count"]),
            (["sweep", "--vary", "amazon.priceIndex=1,1.01", "--design", "halton:5"], ["--design", "unknown design"]),
            (["sweep", "--vary", "amazon.priceIndex=1,1.01", "--seeds", "same"], ["--seeds", "common or independent"]),
            (["sweep", "--vary", "amazon.priceIndex=1,1.01", "--set", "amazon.priceIndex=7"], ["amazon.priceIndex", "7"]),
            (["sweep", "plan"] + small + ["--vary", "amazon.priceIndex=1,1.03", "--out", planned.path], ["different sweep", "--vary"]),
            (["sweep", "run", root.appendingPathComponent("nothing").path], ["no such folder"]),
            (["sweep", "run", planned.path, "--shard", "2/2"], ["--shard", "0 to n-1"]),
            (["sweep", "merge", planned.path], ["cannot merge", "no shard has run yet"]),
            (["sensitivity", planned.path, "--metric", "amazonShareOfOnline"], ["sobol"]),
            (["sensitivity", planned.path, "--metric", "amazonShare"], ["--metric", "unknown metric", "amazonShareOfOnline"]),
        ]
        for (arguments, needles) in cases {
            let result = try runTool(retailsimBinary, arguments + (arguments[1] == "run" || arguments[1] == "merge" || arguments[0] == "sensitivity" || arguments[1] == "plan" ? [] : ["--out", root.appendingPathComponent("x").path]))
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.err)")
            for needle in needles { XCTAssertTrue(result.err.contains(needle), "\(arguments): '\(needle)' not in \(result.err)") }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("x").path), "a refused sweep wrote a folder")
    }

    /// A Sobol sweep and its indices: Amazon's own price moves its share of
    /// trips far more than word of mouth about memberships does (its share of
    /// spend moves little with its price since 0.11.0's fit put Amazon's
    /// elasticity near -0.84: spend and quantity move apart).
    func testSensitivityOfASobolSweep() throws {
        let root = try folder("sobol")
        let sweep = root.appendingPathComponent("sa")
        let made = try runTool(retailsimBinary, ["sweep"] + small + ["--design", "sobol:32", "--vary", "amazon.priceIndex=0.92:1.08",
                                        "--vary", "membership.imitation=0:0.1", "--out", sweep.path, "--quiet"])
        XCTAssertEqual(made.status, 0, made.err)
        let result = try runTool(retailsimBinary, ["sensitivity", sweep.path, "--metric", "tripShare.A", "--bootstrap", "200"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("Sobol indices of tripShare.A"), result.out)
        let rows = try String(contentsOf: sweep.appendingPathComponent("sensitivity-tripShare.A.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(rows[0], ["parameter", "firstOrder", "firstOrderCI95Low", "firstOrderCI95High", "total", "totalCI95Low", "totalCI95High"])
        XCTAssertEqual(rows.map { $0[0] }.dropFirst(), ["amazon.priceIndex", "membership.imitation"])
        let price = Double(rows[1][4])!, imitation = Double(rows[2][4])!
        XCTAssertGreaterThan(price, 0.5)
        XCTAssertGreaterThan(price, 5 * imitation)
    }
}
