import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// Saving a run at a week and continuing or forking it (`run --save-state`,
/// `--from-state`; docs/MODEL.md section 2).
final class StateFileTests: XCTestCase {
    private let tiny = ["--households", "3000", "--weeks", "20", "--replicates", "2", "--quiet", "--set", "start.burnInWeeks=8"]
    private let files = ["weekly.csv", "members.csv", "waits.csv", "retailers.csv", "regions.csv", "summary.json", "scenario.json"]

    private func differing(_ a: URL, _ b: URL) throws -> [String] {
        try files.filter { try Data(contentsOf: a.appendingPathComponent($0)) != Data(contentsOf: b.appendingPathComponent($0)) }
    }

    /// A straight run, and the same run saved at a week, restored and
    /// continued, write the same bytes, whatever the threads on either side;
    /// saved at week 0 it is the warm start alone. Slots bind, so their
    /// queues are part of what is saved.
    func testASavedAndContinuedRunIsTheStraightRunOnAnyThreads() throws {
        let folder = try temporaryFolder()
        let slots = ["--set", "walmart.storeDelivery.slotsPerStoreWeek=150", "--set", "walmart.pickup.slotsPerStoreWeek=100"]
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        let straight = try runTool(["run", "--threads", "2", "--out", path("straight"), "--save-state", "13:" + path("w13.state")] + tiny + slots)
        XCTAssertEqual(straight.status, 0, straight.err)
        let zero = try runTool(["run", "--threads", "1", "--out", path("again"), "--save-state", "0:" + path("w0.state")] + tiny + slots)
        XCTAssertEqual(zero.status, 0, zero.err)
        XCTAssertEqual(try differing(folder.appendingPathComponent("straight"), folder.appendingPathComponent("again")), [],
                       "saving changes nothing in the run")
        for (state, threads) in [("w13.state", "1"), ("w13.state", "2"), ("w0.state", "2")] {
            let out = "from-\(state)-\(threads)"
            let continued = try runTool(["run", "--from-state", path(state), "--threads", threads, "--quiet", "--out", path(out)])
            XCTAssertEqual(continued.status, 0, continued.err)
            XCTAssertEqual(try differing(folder.appendingPathComponent("straight"), folder.appendingPathComponent(out)), [], "\(state) on \(threads) thread(s)")
        }
    }

    /// A fork: the saved weeks are the straight run's, the change acts from
    /// the week after the save, and the scenario records it.
    func testAForkChangesOnlyTheWeeksAfterTheSave() throws {
        let folder = try temporaryFolder()
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        XCTAssertEqual(try runTool(["run", "--out", path("straight"), "--save-state", "10:" + path("s.state")] + tiny).status, 0)
        let fork = try runTool(["run", "--from-state", path("s.state"), "--set", "amazon.prime.monthlyFee=40", "--weeks", "24", "--quiet", "--out", path("fork")])
        XCTAssertEqual(fork.status, 0, fork.err)
        func rows(_ run: String) throws -> [Int: [String]] {
            let lines = try String(contentsOfFile: path(run + "/members.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            return Dictionary(grouping: lines.map(String.init)) { Int($0.split(separator: ",")[1])! }
        }
        let (a, b) = (try rows("straight"), try rows("fork"))
        for week in 1...10 { XCTAssertEqual(a[week], b[week], "week \(week) is the saved run's") }
        XCTAssertEqual(b.keys.max(), 24, "the fork runs to its own length")
        func prime(_ lines: [String]?) -> Int {
            (lines ?? []).filter { $0.contains(",prime,") }.reduce(0) { $0 + Int($1.split(separator: ",")[4])! }
        }
        XCTAssertLessThan(prime(b[20]), prime(a[20]), "a $40 Prime from week 11 loses members by week 20")
        // The fork's scenario.json says what ran: the saved scenario and the change as a timeline change of
        // the week after the save; `verify` re-makes it from that alone, without the state.
        let recorded = try String(contentsOfFile: path("fork/scenario.json"), encoding: .utf8)
        XCTAssertTrue(recorded.contains(#"{"week": 11, "path": "amazon.prime.monthlyFee", "value": 40}"#), recorded.suffix(400).description)
        let verified = try runTool(["verify", path("fork")])
        XCTAssertEqual(verified.status, 0, verified.out + verified.err)
    }

    /// What cannot be continued is refused with exit status 2, by name, and nothing is written.
    func testWhatCannotBeContinuedIsRefused() throws {
        let folder = try temporaryFolder()
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        XCTAssertEqual(try runTool(["run", "--out", path("straight"), "--save-state", "10:" + path("s.state")] + tiny).status, 0)
        let good = try Data(contentsOf: URL(fileURLWithPath: path("s.state")))
        func refusedState(_ bytes: Data, _ needles: [String], _ what: String) throws {
            try bytes.write(to: URL(fileURLWithPath: path("bad.state")))
            assertRefused(try runTool(["run", "--from-state", path("bad.state"), "--quiet", "--out", path("out")]), ["--from-state"] + needles, what)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("out/summary.json")), "\(what): nothing written")
        }
        var damaged = good
        damaged[damaged.count - 1000] ^= 0x40
        try refusedState(damaged, ["checksum does not match"], "a changed byte")
        try refusedState(good.prefix(good.count / 2), ["cut short"], "cut short")
        try refusedState(Data("name,value\n".utf8), ["not a RetailSim state file"], "another file")
        let version = try XCTUnwrap(good.range(of: Data("\"version\":\"\(RetailSimVersion.string)\"".utf8)))
        var older = good
        let at = version.upperBound - 2
        older[at] = older[at] == UInt8(ascii: "9") ? UInt8(ascii: "8") : UInt8(ascii: "9")
        try refusedState(older, ["was written by RetailSim", "this is \(RetailSimVersion.string)"], "another version")

        func refused(_ arguments: [String], _ needles: [String], _ what: String) throws {
            assertRefused(try runTool(["run", "--quiet", "--out", path("out")] + arguments), needles, what)
        }
        try refused(["--from-state", path("s.state"), "--set", "population.shoppers=4000"],
                    ["population.shoppers", "cannot change when a run is continued", "households"], "a fixed parameter")
        try refused(["--from-state", path("s.state"), "--weeks", "8"], ["run.weeks", "allowed: an integer >= 10"], "fewer weeks")
        try refused(["--from-state", path("s.state"), "Experiments/scenarios/baseline.toml"], ["--from-state", "the state holds its scenario"], "a scenario file")
        try refused(["--from-state", path("absent.state")], ["--from-state", "absent.state", "cannot be read"], "no file")
        let early = folder.appendingPathComponent("early.csv")
        try "week,path,value\n5,amazon.prime.monthlyFee,30\n".write(to: early, atomically: true, encoding: .utf8)
        try refused(["--from-state", path("s.state"), "--timeline", early.path], ["at or before week 10", "from week 11 on"], "a change in the saved weeks")
        try refused(["--save-state", "30:" + path("x.state")] + tiny, ["--save-state", "30:", "[0, 20]"], "a week past the run")
        try refused(["--save-state", "ten"] + tiny, ["--save-state", "WEEK:FILE"], "no week")
        try refused(["--from-state", path("s.state"), "--save-state", "5:" + path("x.state")], ["--save-state", "[11, 20]"], "a save before the state")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.state")))
    }

    /// The market alone: saved into memory and restored into a market made
    /// without its warm start, it goes on week for week as the original.
    func testARestoredMarketGoesOnAsTheOriginal() throws {
        let s = try scenario(settings: ["population.shoppers=3000", "start.burnInWeeks=6", "geography.kind=synthetic"])
        let original = try s.market(replicate: 1, threads: 2)
        for _ in 0..<9 { _ = original.advanceWeek() }
        var saved: [UInt8] = []
        try original.save { saved.append(contentsOf: $0) }
        let restored = try s.market(replicate: 1, threads: 1, warm: false)
        var at = 0
        try restored.restore(parameters: s.model) { buffer in
            saved.withUnsafeBytes { source in buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[at..<(at + buffer.count)])) }
            at += buffer.count
        }
        XCTAssertEqual(at, saved.count)
        XCTAssertEqual(restored.state, original.state)
        for _ in 0..<8 { XCTAssertEqual(restored.advanceWeek(), original.advanceWeek()) }
    }

    /// A paired experiment's arms start from one warm state: an arm that
    /// changes only what the burn-in does not read runs as it would alone;
    /// one that changes a price starts from the same members as the base and
    /// prices from week 1; one that changes a starting network is warmed on its own.
    func testArmsForkFromOneWarmState() throws {
        let base = try scenario(settings: ["population.shoppers=3000", "start.burnInWeeks=8", "run.weeks=14", "run.replicates=2"])
        let quiet = try scenario(settings: ["population.shoppers=3000", "start.burnInWeeks=8", "run.weeks=14", "run.replicates=2",
                                            "amazon.strategy.ruralSitesPerQuarter=0"])
        let dearer = try scenario(settings: ["population.shoppers=3000", "start.burnInWeeks=8", "run.weeks=14", "run.replicates=2", "amazon.priceIndex=1.05"])
        let fewer = try scenario(settings: ["population.shoppers=3000", "start.burnInWeeks=8", "run.weeks=14", "run.replicates=2",
                                            "amazon.network.sameDayMetros=0"])
        XCTAssertNil(base.fixedDifference(dearer))
        XCTAssertEqual(base.fixedDifference(fewer)?.hasPrefix("amazon.network.sameDayMetros"), true)
        let arms = try Arms.run(base: base, arms: [base, quiet, dearer, fewer], threads: 2)
        XCTAssertEqual(arms[0].replicates, try Replicates.runConcurrently(base, threads: 2).replicates)
        XCTAssertEqual(arms[1].replicates, try Replicates.runConcurrently(quiet, threads: 2).replicates)
        XCTAssertEqual(arms[3].replicates, try Replicates.runConcurrently(fewer, threads: 2).replicates, "warmed on its own")
        let alone = try Replicates.runConcurrently(dearer, threads: 2)
        for r in 0..<2 {
            XCTAssertEqual(arms[2].replicates[r][0].members, arms[0].replicates[r][0].members, "the same members at week 1")
            XCTAssertNotEqual(alone.replicates[r][0].members, arms[0].replicates[r][0].members, "warmed alone at 1.05, they differ")
            XCTAssertEqual(arms[2].replicates[r][0].amazon.priceIndex, 1.05, "the arm's price from week 1")
        }
    }

    /// Arms forked from a history's present (`fork` in a paired experiment):
    /// each arm is the history's run to the fork and then its own, byte for
    /// byte as the arm's scenario run straight through; an arm's setting holds
    /// to the end in place of the history's later change of it, while the
    /// history's other changes (a network path) go on in every arm.
    func testArmsForkFromAHistorysPresent() throws {
        var history = try scenario(settings: ["population.shoppers=3000", "start.burnInWeeks=8", "run.weeks=24", "run.replicates=2",
                                              "walmart.network.deliveryStores=1000", "amazon.strategy.enabled=false"])
        history.timeline = [TimelineChange(week: 4, path: "walmart.network.deliveryStores", value: .number(2000), source: "test"),
                            TimelineChange(week: 11, path: "amazon.strategy.enabled", value: .boolean(true), source: "test"),
                            TimelineChange(week: 16, path: "walmart.network.deliveryStores", value: .number(3000), source: "test")]
        try history.validate()
        func arm(_ settings: [String]) throws -> Scenario {
            let assignments = try settings.map { try Scenario.commandLineAssignment($0) }
            var loaded = history
            for a in assignments { try ParameterCatalog.parameter(a.path)!.set(a.value, in: &loaded, source: a.source) }
            return try history.continued(as: loaded, setting: assignments, after: 10)
        }
        let off = try arm(["amazon.strategy.enabled=false"]), dearer = try arm(["amazon.priceIndex=1.05"])
        XCTAssertFalse(off.parameters(inForceAt: 20).amazon.strategy.enabled, "the arm's setting holds past the history's change")
        XCTAssertTrue(dearer.parameters(inForceAt: 20).amazon.strategy.enabled)
        XCTAssertEqual(off.parameters(inForceAt: 20).walmart.network.deliveryStores, 3000, "the history's network path goes on")
        XCTAssertEqual(dearer.parameters(inForceAt: 5).amazon.priceIndex, history.model.amazon.priceIndex, "the weeks to the fork are the history's")
        let arms = try Arms.run(base: history, arms: [off, dearer], forkWeek: 10, threads: 2)
        for (k, a) in [off, dearer].enumerated() {
            let straight = try Replicates.runConcurrently(a, threads: 2).replicates
            XCTAssertEqual(arms[k].replicates, straight.map { Array($0[10...]) }, "arm \(k) forked after week 10 is its straight run's weeks 11-24")
        }
        XCTAssertEqual(arms[1].replicates[0][0].week, 11)
        XCTAssertEqual(arms[1].replicates[0][0].amazon.priceIndex, 1.05, "the arm's price from the week after the fork")
        // What the households were made with cannot change at a fork.
        let assignment = try Scenario.commandLineAssignment("population.shoppers=4000")
        var bigger = history
        try ParameterCatalog.parameter("population.shoppers")!.set(assignment.value, in: &bigger, source: "claim.toml:9")
        XCTAssertThrowsError(try history.continued(as: bigger, setting: [assignment], after: 10)) {
            XCTAssertTrue("\($0)".contains("population.shoppers") && "\($0)".contains("forks from week 10"), "\($0)")
        }
    }
}
