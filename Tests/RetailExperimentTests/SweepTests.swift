import Foundation
import RetailExperiment
import RetailSimTestSupport
import XCTest

/// Sweeps: designs, seeds, plans, shards and merging (MODEL.md's runs, many at once).
final class SweepTests: XCTestCase {
    private func base(_ extra: [String] = []) throws -> Scenario {
        try scenario(settings: (["population.shoppers=2000", "run.weeks=12", "run.warmupWeeks=2",
                                                    "run.replicates=3", "run.seed=5"] + extra))
    }

    private func plan(_ vary: [String], design: String = "grid", seeding: SweepPlan.Seeding = .common, _ extra: [String] = []) throws -> SweepPlan {
        try SweepPlan(base: base(extra), factors: vary.map { try SweepFactor(parsing: $0) }, design: SweepDesign(parsing: design), seeding: seeding)
    }

    private func folder(_ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-sweep-\(name)-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    private func refusal(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testGridIsEveryCombinationWithEndsIncluded() throws {
        let p = try plan(["amazon.prime.monthlyFee=9.99:19.99:5", "walmart.strategy.hubsPerQuarter=0,40,80"])
        XCTAssertEqual(p.points.count, 15)
        XCTAssertEqual(p.runCount, 45)
        XCTAssertEqual(Set(p.points.map { $0[0] }), Set([9.99, 12.49, 14.99, 17.49, 19.99].map(ScenarioValue.number)))
        XCTAssertEqual(Set(p.points.map { $0[1] }), Set([0, 40, 80].map(ScenarioValue.number)))
        XCTAssertEqual(Set(p.points.map { $0.map(\.csvText).joined(separator: ",") }).count, 15, "no point twice")
        XCTAssertEqual(try plan(["choice.distanceDecay=linear,power", "membership.enabled=true,false", "amazon.priceIndex=1:1.05:3"]).points.count, 12)
        XCTAssertEqual(try plan(["amazon.priceIndex=1:1:1"]).points, [[.number(1)]])
    }

    func testSpaceFillingDesignsStayInRangeAndRoundIntegers() throws {
        let lhs = try plan(["amazon.priceIndex=0.95:1.05", "walmart.strategy.hubsPerQuarter=0:100", "choice.distanceDecay=linear,power"], design: "lhs:40")
        XCTAssertEqual(lhs.points.count, 40)
        for point in lhs.points {
            guard case .number(let price) = point[0], case .number(let hubs) = point[1], case .text(let decay) = point[2] else {
                return XCTFail("wrong value types \(point)")
            }
            XCTAssertTrue((0.95...1.05).contains(price))
            XCTAssertTrue((0...100).contains(hubs) && hubs == hubs.rounded())
            XCTAssertTrue(["linear", "power"].contains(decay))
        }
        // Each of the 40 strata of the price range holds one point.
        let strata = lhs.points.map { point -> Int in
            guard case .number(let x) = point[0] else { return -1 }
            return Int((x - 0.95) / 0.1 * 40)
        }
        XCTAssertEqual(strata.sorted(), Array(0..<40))
        let sobol = try plan(["amazon.priceIndex=0.95:1.05", "walmart.priceIndex=0.9:1"], design: "sobol:32")
        XCTAssertEqual(sobol.points.count, 32 * 4)
    }

    func testBadFactorsAreRefusedByName() {
        let cases: [(() throws -> Void, [String])] = [
            ({ _ = try SweepFactor(parsing: "amazon.prime.fee=1:2:3") }, ["amazon.prime.fee", "did you mean 'amazon.prime.monthlyFee'"]),
            ({ _ = try SweepFactor(parsing: "run.seed=1,2") }, ["run.seed", "cannot be varied"]),
            ({ _ = try SweepFactor(parsing: "amazon.priceIndex") }, ["expected path="]),
            ({ _ = try SweepFactor(parsing: "amazon.priceIndex=2:1:3") }, ["empty or reversed"]),
            ({ _ = try SweepFactor(parsing: "amazon.prime.monthlyFee=-1:5:3") }, ["-1", "out of range", "a number in (1e-12, 1000]"]),
            ({ _ = try SweepFactor(parsing: "amazon.priceIndex=1:2:x") }, ["count"]),
            ({ _ = try SweepFactor(parsing: "membership.enabled=0:1:2") }, ["numeric parameter"]),
            ({ _ = try self.plan(["walmart.strategy.hubsPerQuarter=0:5:3"]) }, ["2.5", "not a whole number"]),
            ({ _ = try self.plan(["amazon.priceIndex=0.95:1.05"]) }, ["grid needs a count"]),
            ({ _ = try self.plan(["amazon.priceIndex=0.95:1.05:3"], design: "lhs:10") }, ["grid's range"]),
            ({ _ = try self.plan(["amazon.priceIndex=0.95,1.7"]) }, ["amazon.priceIndex", "1.7", "point 1"]),
            ({ _ = try self.plan(["membership.enabled=yes,no"]) }, ["membership.enabled", "true or false"]),
            ({ _ = try self.plan(["amazon.priceIndex=1,1.01", "amazon.priceIndex=1"]) }, ["varied twice"]),
            ({ _ = try self.plan([]) }, ["at least one --vary"]),
            ({ _ = try SweepDesign(parsing: "random:5") }, ["unknown design"]),
            ({ _ = try SweepDesign(parsing: "sobol:0") }, ["count of points"]),
            ({ _ = try SweepShard(parsing: "4/4") }, ["0 to n-1"]),
        ]
        for (k, (body, needles)) in cases.enumerated() {
            let message = refusal(body)
            for needle in needles { XCTAssertTrue(message.contains(needle), "case \(k): '\(needle)' not in: \(message)") }
        }
    }

    /// Common seeds: replicate r shares its seed across points; independent:
    /// every run has its own. Either way the seeds follow from the sweep's seed.
    func testSeedsPerPointAndReplicate() throws {
        let vary = ["amazon.priceIndex=1:1.04:3"]
        let common = try plan(vary), independent = try plan(vary, seeding: .independent)
        for r in 1...3 {
            XCTAssertEqual(Set((0..<3).map { common.seed(point: $0, replicate: r) }).count, 1)
        }
        XCTAssertEqual(Set((1...3).map { common.seed(point: 0, replicate: $0) }).count, 3)
        var all = Set<Int>()
        for p in 0..<3 { for r in 1...3 { all.insert(independent.seed(point: p, replicate: r)) } }
        XCTAssertEqual(all.count, 9)
        XCTAssertTrue(all.allSatisfy { (0...(1 << 53)).contains($0) })
        XCTAssertNotEqual(try plan(vary, ["run.seed=6"]).seed(point: 0, replicate: 1), common.seed(point: 0, replicate: 1))
        // The run's scenario: the point's values, one replicate, its seed.
        let s = try common.scenario(point: 2, replicate: 3)
        XCTAssertEqual(s.model.amazon.priceIndex, 1.04)
        XCTAssertEqual(s.run.replicates, 1)
        XCTAssertEqual(s.run.seed, common.seed(point: 2, replicate: 3))
    }

    /// sweep.json reads back as the same plan; the same plan is accepted
    /// again, a different one refused naming what differs.
    func testPlanRoundTripAndRefusalOfAnotherPlan() throws {
        let dir = try folder("plan")
        let p = try plan(["amazon.priceIndex=0.95:1.05", "choice.distanceDecay=linear,power"], design: "lhs:6", ["amazon.prime.monthlyFee=13"])
        XCTAssertTrue(try p.write(to: dir))
        XCTAssertEqual(try SweepPlan.read(folder: dir), p)
        XCTAssertFalse(try p.write(to: dir))
        let others: [(SweepPlan, String)] = [
            (try plan(["amazon.priceIndex=0.95:1.05", "choice.distanceDecay=linear,power"], design: "lhs:6", ["amazon.prime.monthlyFee=14"]),
             "amazon.prime.monthlyFee: 13 there, 14 here"),
            (try plan(["amazon.priceIndex=0.95:1.05", "choice.distanceDecay=linear,power"], design: "lhs:7", ["amazon.prime.monthlyFee=13"]),
             "design: lhs:6 there, lhs:7 here"),
            (try plan(["amazon.priceIndex=0.95:1.05", "choice.distanceDecay=linear,power"], design: "lhs:6", ["amazon.prime.monthlyFee=13", "run.replicates=4"]),
             "replicates: 3 there, 4 here"),
            (try plan(["amazon.priceIndex=0.95:1.04", "choice.distanceDecay=linear,power"], design: "lhs:6", ["amazon.prime.monthlyFee=13"]),
             "--vary"),
        ]
        for (other, needle) in others {
            let message = refusal { try other.write(to: dir) }
            XCTAssertTrue(message.contains("different sweep") && message.contains(needle), message)
        }
        XCTAssertEqual(try SweepPlan.read(folder: dir), p, "a refused plan leaves the folder alone")
    }

    /// Shards run in any order, merged, give byte for byte the unsharded tables;
    /// a missing shard and a run recorded twice are refused by name.
    func testShardsMergeToTheUnshardedTables() throws {
        let p = try plan(["amazon.priceIndex=1:1.04:3", "walmart.strategy.hubsPerQuarter=0,80"])
        let whole = try folder("whole"), parts = try folder("parts")
        try p.write(to: whole)
        let outcome = try SweepRunner.run(p, folder: whole, threads: 2)
        XCTAssertEqual(outcome.ranNow, 18)
        _ = try SweepMerge.merge(folder: whole)

        try p.write(to: parts)
        for i in [3, 0, 2] { _ = try SweepRunner.run(p, folder: parts, shard: SweepShard(index: i, count: 4), threads: 2) }
        let missing = refusal { _ = try SweepMerge.merge(folder: parts) }
        XCTAssertTrue(missing.contains("shard 1/4 is missing") && missing.contains("--shard i/4"), missing)
        XCTAssertFalse(FileManager.default.fileExists(atPath: parts + "/results.csv"), "a refused merge writes nothing")
        let last = try SweepRunner.run(p, folder: parts, shard: SweepShard(index: 1, count: 4), threads: 1)
        XCTAssertEqual(last.runs, 5, "runs 1, 5, 9, 13 and 17 of 18")
        _ = try SweepMerge.merge(folder: parts)
        for name in ["results.csv", "summary.csv", "points.csv", "sweep.json"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: parts + "/" + name)),
                           try Data(contentsOf: URL(fileURLWithPath: whole + "/" + name)), name)
        }
        // Running a shard again does nothing; its runs are recorded.
        XCTAssertEqual(try SweepRunner.run(p, folder: parts, shard: SweepShard(index: 1, count: 4), threads: 2).ranNow, 0)

        // A record copied in from the unsharded sweep duplicates every run.
        try FileManager.default.copyItem(atPath: whole + "/shards/shard-0-of-1.csv", toPath: parts + "/shards/shard-0-of-1.csv")
        let twice = refusal { _ = try SweepMerge.merge(folder: parts) }
        XCTAssertTrue(twice.contains("recorded twice") && twice.contains("shard-0-of-1.csv") && twice.contains("shard-0-of-4.csv"), twice)

        // A record of another plan is refused.
        let other = try folder("other")
        let q = try plan(["amazon.priceIndex=1:1.04:3", "walmart.strategy.hubsPerQuarter=0,40"])
        try q.write(to: other)
        try FileManager.default.createDirectory(atPath: other + "/shards", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: whole + "/shards/shard-0-of-1.csv", toPath: other + "/shards/shard-0-of-1.csv")
        XCTAssertTrue(refusal { _ = try SweepMerge.merge(folder: other) }.contains("another sweep plan"))
    }

    /// results.csv holds what a lone run of each (point, replicate) gives, and
    /// summary.csv the mean and interval of those rows.
    func testRowsAreLoneRunsAndSummariesTheirMeans() throws {
        let p = try plan(["amazon.priceIndex=1:1.04:2"])
        let dir = try folder("rows")
        try p.write(to: dir)
        _ = try SweepRunner.run(p, folder: dir, threads: 2)
        let merged = try SweepMerge.merge(folder: dir)
        let rows = try String(contentsOfFile: dir + "/results.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let header = rows[0]
        XCTAssertEqual(Array(header.prefix(4)), ["point", "replicate", "seed", "amazon.priceIndex"])
        XCTAssertEqual(Array(header.dropFirst(4)), MetricCatalog.names)
        XCTAssertEqual(rows.count, 1 + 6)
        let run = SweepPlan.Run(point: 1, replicate: 2)
        let alone = try Replicates.run(p.scenario(point: run.point, replicate: run.replicate), threads: 1).metrics[0]
        let row = rows[1 + p.index(of: run)]
        XCTAssertEqual(row[0...2], ["1", "2", String(p.seed(point: 1, replicate: 2))])
        XCTAssertEqual(row.dropFirst(4).map { Double($0)! }, alone.values)

        let k = MetricCatalog.names.firstIndex(of: "amazonShareOfOnline")!
        let values = rows.dropFirst().filter { $0[0] == "1" }.map { Double($0[4 + k])! }
        let s = merged.summaries[1][k]
        XCTAssertEqual(s.name, "amazonShareOfOnline")
        XCTAssertEqual(s.mean, values.reduce(0, +) / 3, accuracy: 1e-15)
        XCTAssertTrue(s.ci95!.contains(s.mean))
        let summary = try String(contentsOfFile: dir + "/summary.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(summary[0], "point,amazon.priceIndex,metric,replicates,mean,sd,ci95Low,ci95High")
        XCTAssertEqual(summary.count, 1 + 2 * MetricCatalog.names.count)
        // Common random numbers: a higher Amazon price lowers its share of trips in every replicate
        // (its share of spend need not fall: Amazon's demand is inelastic at the 0.11.0 fit).
        let trips = MetricCatalog.names.firstIndex(of: "tripShare.A")!
        for r in 1...3 {
            let low = rows[p.index(of: SweepPlan.Run(point: 0, replicate: r)) + 1], high = rows[p.index(of: SweepPlan.Run(point: 1, replicate: r)) + 1]
            XCTAssertLessThan(Double(high[4 + trips])!, Double(low[4 + trips])!, "replicate \(r)")
        }
    }

    /// A last line cut short by a kill is dropped and its run made again.
    func testTornLastLineIsRunAgain() throws {
        let p = try plan(["amazon.priceIndex=1,1.02"])
        let dir = try folder("torn"), reference = try folder("torn-reference")
        try p.write(to: reference)
        _ = try SweepRunner.run(p, folder: reference, threads: 2)
        _ = try SweepMerge.merge(folder: reference)
        try p.write(to: dir)
        _ = try SweepRunner.run(p, folder: dir, shard: SweepShard(index: 0, count: 2), threads: 2)
        let record = dir + "/shards/shard-0-of-2.csv"
        var text = try String(contentsOfFile: record, encoding: .utf8)
        text.removeLast(40)
        try text.write(toFile: record, atomically: false, encoding: .utf8)
        let again = try SweepRunner.run(p, folder: dir, shard: SweepShard(index: 0, count: 2), threads: 2)
        XCTAssertEqual(again.ranNow, 1)
        _ = try SweepRunner.run(p, folder: dir, shard: SweepShard(index: 1, count: 2), threads: 2)
        _ = try SweepMerge.merge(folder: dir)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/results.csv")),
                       try Data(contentsOf: URL(fileURLWithPath: reference + "/results.csv")))
    }
}
