import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// A scenario's `[[timeline]]`: dated changes of parameters during a run.
final class TimelineTests: XCTestCase {
    private let small = ["population.shoppers=2000", "run.weeks=30", "run.seed=3", "start.burnInWeeks=8"]

    private func weeks(_ s: Scenario) throws -> [WeekRecord] {
        try XCTUnwrap(try Replicates.run(s, threads: 2).replicates.first)
    }

    /// Values to try for `p` other than its value in `s`, each one the
    /// catalogue allows: a change that does nothing anywhere it could be set
    /// would be a parameter the model does not read during the run.
    private func candidates(_ p: Parameter, in s: Scenario) -> [ScenarioValue] {
        let v = p.value(in: s)
        switch (p.domain, v) {
        case (.real(let b), .number(let x)):
            var tries = [x * 1.5, x * 0.5, x + 0.5, x - 0.5, x + 5, x == 0 ? 1 : x * 4, b.upper ?? x * 10, b.lower.map { $0 + 0.01 } ?? -x]
            // A price bound acts where the price is: at the retailer's own index it binds.
            if p.path.hasSuffix(".priceFloor") || p.path.hasSuffix(".priceCeiling"), let retailer = p.path.split(separator: ".").first,
               case .number(let index)? = ParameterCatalog.parameter("\(retailer).priceIndex")?.value(in: s) {
                tries.insert(index, at: 0)
            }
            return tries.filter { b.contains($0) && $0 != x }.map(ScenarioValue.number)
        case (.integer(let b), .number(let x)):
            return [x + 1, x * 2, x + 20, x - 1].filter { b.contains($0) && $0 != x }.map(ScenarioValue.number)
        case (.boolean, .boolean(let on)): return [.boolean(!on)]
        case (.choice(let names), .text(let t)): return names.filter { $0 != t }.map(ScenarioValue.text)
        case (.date, .text(let t)): return ["2030-01-01", "2020-01-01"].filter { $0 != t }.map(ScenarioValue.text)
        default: return []
        }
    }

    /// What a parameter acts on only under another setting: the price rule
    /// that reads it, or the strategy or programme it belongs to.
    private func context(_ path: String) -> [String] {
        switch path {
        case "amazon.strategy.targetOnlineShare": ["amazon.strategy.pricing=shareTarget"]
        case "amazon.strategy.testShare", "amazon.strategy.testStep": ["amazon.strategy.pricing=learn"]
        // The weight blends a second estimate into the first: two quarters of tests, then a price.
        case "amazon.strategy.learningWeight": ["amazon.strategy.pricing=learn", "run.weeks=60"]
        case "walmart.strategy.augmentationMidpointWeek", "walmart.strategy.augmentationScaleWeeks": ["walmart.strategy.augmentationMidpointWeek=20"]
        case "choice.powerExponent": ["choice.distanceDecay=power"]
        // Pickup's terms act where pickup is offered, the grocery terms where there are grocery trips.
        case "choice.constants.WP", "walmart.pickup.hours": ["walmart.pickup.offered=true"]
        case "choice.grocery.onlineShift", "choice.grocery.walmartShift", "choice.grocery.lateDayWeight": ["choice.grocery.tripShare=0.3"]
        case "amazon.strategy.maxPriceStep": ["amazon.strategy.pricing=bestResponse"]
        // A bound at the price binds when the rule moves the price toward it.
        case "amazon.strategy.priceFloor": ["amazon.strategy.priceGap=-0.1"]
        case "amazon.strategy.priceCeiling": ["amazon.strategy.priceGap=0.1"]
        // The leader prices once a year: a second year shows the change.
        case "walmart.strategy.pricing", "walmart.strategy.maxPriceStep": ["walmart.strategy.pricing=leader", "run.weeks=60"]
        case "walmart.strategy.priceFloor": ["walmart.strategy.pricing=leader", "run.weeks=60", "walmart.priceIndex=1.3"]
        case "walmart.strategy.priceCeiling": ["walmart.strategy.pricing=leader", "run.weeks=60", "walmart.priceIndex=0.85"]
        // The slots' pace and pooling act where slots bind, near the stores' orders (2,000 households: each stands for 65,000).
        case "walmart.storeDelivery.slotWaitStepHours", "walmart.storeDelivery.zoneHouseholds": ["walmart.storeDelivery.slotsPerStoreWeek=500"]
        // The drivers act before their anchor; the anchor moves a driver that is not 0.
        case "trend.onlineUtilityPerYear", "trend.walmartOnlineUtilityPerYear", "trend.primeBenefitGrowthPerYear": ["trend.anchor=2030-01-01"]
        case "trend.anchor": ["trend.onlineUtilityPerYear=0.2"]
        // A network count acts where it moves many households' reach: from a small network.
        case "walmart.network.pickupStores": ["walmart.network.pickupStores=1000"]
        case "walmart.network.deliveryStores": ["walmart.network.deliveryStores=100"]
        case "amazon.network.fulfillmentCenters": ["amazon.network.fulfillmentCenters=20"]
        case "amazon.network.sameDayMetros": ["amazon.network.sameDayMetros=10"]
        default: []
        }
    }

    func testEveryParameterATimelineMayChangeActsFromItsWeekAndNotBefore() throws {
        let change = 6
        var bases: [[String]: (Scenario, [WeekRecord])] = [:]
        var inert: [String] = []
        for p in ParameterCatalog.all where ParameterCatalog.fixedDuringRun(p.path) == nil {
            let settings = small + context(p.path)
            if bases[settings] == nil {
                let s = try scenario(settings: settings)
                bases[settings] = (s, try weeks(s))
            }
            let (base, before) = bases[settings]!
            var acted = false
            for value in candidates(p, in: base) {
                var s = base
                s.timeline = [TimelineChange(week: change, path: p.path, value: value, source: "test")]
                guard (try? s.validate()) != nil else { continue }
                let after = try weeks(s)
                XCTAssertEqual(Array(after.prefix(change - 1)), Array(before.prefix(change - 1)), "\(p.path) = \(value) acted before week \(change)")
                if after != before { acted = true; break }
            }
            if !acted { inert.append(p.path) }
        }
        // The leader rule raises Walmart's price in every market this test can
        // build (its profit-seeking price lies above the index), so no floor
        // binds; `testTheMarketTakesEachWeeksParametersAtItsStart` shows the
        // market reads it. A dark store's slot multiple acts on dark stores,
        // which only a `[[facility]]` entry opens (settings here cannot).
        XCTAssertEqual(inert, ["walmart.storeDelivery.darkStoreSlotMultiple", "walmart.strategy.priceFloor"],
                       "a timeline may change these, but no value changes the run from its week")
    }

    func testTheMarketTakesEachWeeksParametersAtItsStart() throws {
        var s = try scenario(settings: small)
        s.timeline = [TimelineChange(week: 3, path: "walmart.strategy.priceFloor", value: .number(0.5), source: "test"),
                      TimelineChange(week: 5, path: "amazon.priceIndex", value: .number(1.2), source: "test"),
                      TimelineChange(week: 5, path: "amazon.strategy.enabled", value: .boolean(false), source: "test")]
        try s.validate()
        let market = try s.market(replicate: 1, threads: 2)
        XCTAssertEqual(market.timeline.map(\.week), [3, 5])
        var floors: [Double] = [], prices: [Double] = []
        for _ in 1...6 {
            let record = market.advanceWeek()
            floors.append(market.parameters.walmart.strategy.priceFloor)
            prices.append(record.amazon.priceIndex)
        }
        XCTAssertEqual(floors, [0.8, 0.8, 0.5, 0.5, 0.5, 0.5])
        XCTAssertEqual(market.parameters, market.timeline[1].parameters)
        // A changed price index is the retailer's price from its week (the rule, switched off, holds it there).
        XCTAssertEqual(Array(prices.suffix(2)), [1.2, 1.2])
        XCTAssertNotEqual(prices[3], 1.2)
    }

    func testATimelineFromTOMLJSONAndParamsIsOneAndRoundTrips() throws {
        let folder = try temporaryFolder()
        let toml = folder.appendingPathComponent("t.toml")
        try """
        name = "fees"
        [amazon.prime]
        monthlyFee = 12

        [[timeline]]
        week = 10
        path = "amazon.prime.monthlyFee"
        value = 14.99

        [[timeline]]
        week = 20
        path = "walmart.strategy.enabled"
        value = false
        """.write(to: toml, atomically: true, encoding: .utf8)
        let s = try Scenario.load(file: toml.path, assignments: [])
        XCTAssertEqual(s.timeline, [TimelineChange(week: 10, path: "amazon.prime.monthlyFee", value: .number(14.99), source: ""),
                                    TimelineChange(week: 20, path: "walmart.strategy.enabled", value: .boolean(false), source: "")])
        XCTAssertEqual(s.timeline[0].source, "\(toml.path):6", "errors name the file as given, directory and all")
        XCTAssertEqual(s.schedule.map(\.week), [10, 20])
        XCTAssertEqual(s.schedule[0].parameters.amazon.prime.monthlyFee, 14.99)
        XCTAssertEqual(s.schedule[1].parameters.amazon.prime.monthlyFee, 14.99, "a later week keeps the earlier changes")
        XCTAssertFalse(s.schedule[1].parameters.walmart.strategy.enabled)
        XCTAssertEqual(s.model.amazon.prime.monthlyFee, 12, "the run starts at the scenario's value")

        // scenario.json and the TOML writer give the same scenario back.
        let json = folder.appendingPathComponent("scenario.json")
        try s.json().write(to: json, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Scenario.load(file: json.path, assignments: []), s)
        let written = folder.appendingPathComponent("written.toml")
        try s.toml(comment: ["test"]).write(to: written, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Scenario.load(file: written.path, assignments: []), s)

        // --params adds its changes after the file's.
        let params = folder.appendingPathComponent("p.json")
        try #"{"timeline": [{"week": 25, "path": "walmart.plus.monthlyFee", "value": 9.99}]}"#.write(to: params, atomically: true, encoding: .utf8)
        let more = try Scenario.load(file: toml.path, assignments: try ScenarioFile.parameterDictionary(params.path))
        XCTAssertEqual(more.timeline.map(\.week), [10, 20, 25])

        // A CSV file gives the same changes, each named by its line.
        let csv = folder.appendingPathComponent("t.csv")
        try "week,path,value\n10,amazon.prime.monthlyFee,14.99\n20,walmart.strategy.enabled,false\n".write(to: csv, atomically: true, encoding: .utf8)
        let fromCSV = try Scenario.load(file: nil, assignments: [Assignment(path: "amazon.prime.monthlyFee", value: .number(12), source: "test"),
                                                                 Assignment(path: "name", value: .text("fees"), source: "test")]
                                            + ScenarioFile.timelineCSV(csv.path))
        XCTAssertEqual(fromCSV, s)
        XCTAssertEqual(fromCSV.timeline[1].source, "\(csv.path):3")
    }

    /// A change given by date takes effect from the week that holds it,
    /// counted from `run.start` wherever in the file that is set; TOML's bare
    /// dates, quoted ones, JSON, --params and CSV say the same; dates outside
    /// the run are refused by file and line with the run's first and last days.
    func testADatedChangeActsFromTheWeekThatHoldsIt() throws {
        let folder = try temporaryFolder()
        let toml = folder.appendingPathComponent("dated.toml")
        try """
        [[timeline]]
        date = 2020-03-16
        path = "amazon.prime.monthlyFee"
        value = 14.99

        [[timeline]]
        date = "2020-06-30"
        path = "walmart.strategy.enabled"
        value = false

        [run]
        start = 2020-01-06
        weeks = 30
        """.write(to: toml, atomically: true, encoding: .utf8)
        let s = try Scenario.load(file: toml.path, assignments: [])
        XCTAssertEqual(s.run.start, WeekCalendar.day(year: 2020, month: 1, day: 6))
        // 2020-03-16 is a Monday: week 11's first day; 2020-06-30 falls in the week of 29 June, week 26.
        XCTAssertEqual(s.schedule.map(\.week), [11, 26])
        XCTAssertEqual(s.timeline.map(\.when), ["2020-03-16", "2020-06-30"])
        let json = folder.appendingPathComponent("scenario.json")
        try s.json().write(to: json, atomically: true, encoding: .utf8)
        XCTAssertTrue(try String(contentsOf: json, encoding: .utf8).contains(#""date": "2020-03-16""#))
        XCTAssertEqual(try Scenario.load(file: json.path, assignments: []), s)
        let written = folder.appendingPathComponent("written.toml")
        try s.toml(comment: ["test"]).write(to: written, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Scenario.load(file: written.path, assignments: []), s)
        let csv = folder.appendingPathComponent("t.csv")
        try "date,path,value\n2020-03-16,amazon.prime.monthlyFee,14.99\n".write(to: csv, atomically: true, encoding: .utf8)
        let fromCSV = try Scenario.load(file: nil, assignments: [try Scenario.commandLineAssignment("run.start=2020-01-06")] + ScenarioFile.timelineCSV(csv.path))
        XCTAssertEqual(fromCSV.schedule.map(\.week), [11])
        // Moving the start moves the week.
        let later = try Scenario.load(file: toml.path, assignments: [try Scenario.commandLineAssignment("run.start=2020-02-03")])
        XCTAssertEqual(later.schedule.map(\.week), [7, 22])

        func refusal(_ assignments: [String]) -> InputError? {
            do { _ = try Scenario.load(file: toml.path, assignments: try assignments.map(Scenario.commandLineAssignment)); return nil } catch { return error }
        }
        let early = try XCTUnwrap(refusal(["run.start=2020-04-06"]))
        XCTAssertEqual(early.source, "\(toml.path):2")
        XCTAssertTrue(early.description.contains("2020-03-16") && early.description.contains("from 2020-04-06 (run.start)"), early.description)
        let short = try XCTUnwrap(refusal(["run.weeks=20"]))
        XCTAssertTrue(short.description.contains("to 2020-05-24"), short.description)
        XCTAssertTrue(try XCTUnwrap(refusal(["run.start=2020-02-30"])).description.contains("not a date"))
        let both = folder.appendingPathComponent("both.toml")
        try "[[timeline]]\nweek = 3\ndate = 2020-01-20\npath = \"amazon.priceIndex\"\nvalue = 1\n".write(to: both, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Scenario.load(file: both.path, assignments: [])) { error in
            XCTAssertTrue("\(error)".contains("both week and date"), "\(error)")
        }
    }

    /// Every weekly file names each week's first day, from `run.start`.
    func testWeeklyFilesCarryTheDate() throws {
        let folder = try temporaryFolder()
        let made = try runTool(retailsimBinary, ["run", "--households", "2000", "--weeks", "3", "--quiet", "--set", "start.burnInWeeks=4",
                                                 "--set", "run.start=2015-12-28", "--out", folder.path])
        XCTAssertEqual(made.status, 0, made.err)
        for name in ["weekly.csv", "members.csv", "waits.csv", "retailers.csv"] {
            let lines = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let week = try XCTUnwrap(lines[0].firstIndex(of: "week")), date = try XCTUnwrap(lines[0].firstIndex(of: "date"), name)
            let pairs = Set(lines.dropFirst().map { "\($0[week]) \($0[date])" })
            XCTAssertEqual(pairs, ["1 2015-12-28", "2 2016-01-04", "3 2016-01-11"], name)
        }
    }

    func testARunWithATimelineIsTheSameOnAnyThreadsAndVerifies() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("t.toml")
        try "[[timeline]]\nweek = 5\npath = \"amazon.prime.monthlyFee\"\nvalue = 20\n".write(to: file, atomically: true, encoding: .utf8)
        let tiny = ["--households", "2000", "--weeks", "12", "--replicates", "2", "--quiet", "--set", "start.burnInWeeks=8"]
        let one = try runTool(retailsimBinary, ["run", file.path, "--threads", "1", "--out", folder.appendingPathComponent("a").path] + tiny)
        XCTAssertEqual(one.status, 0, one.err)
        let two = try runTool(retailsimBinary, ["run", file.path, "--threads", "2", "--out", folder.appendingPathComponent("b").path] + tiny)
        XCTAssertEqual(two.status, 0, two.err)
        for name in ["weekly.csv", "members.csv", "summary.json"] {
            XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("a/" + name)), try Data(contentsOf: folder.appendingPathComponent("b/" + name)), name)
        }
        let recorded = try String(contentsOf: folder.appendingPathComponent("a/scenario.json"), encoding: .utf8)
        XCTAssertTrue(recorded.contains(#"{"week": 5, "path": "amazon.prime.monthlyFee", "value": 20}"#), recorded)
        let verified = try runTool(retailsimBinary, ["verify", folder.appendingPathComponent("a").path])
        XCTAssertEqual(verified.status, 0, verified.out + verified.err)
        // A dearer Prime from week 5 loses members: fewer at the end than without the change.
        let without = try runTool(retailsimBinary, ["run", "--out", folder.appendingPathComponent("c").path] + tiny)
        XCTAssertEqual(without.status, 0, without.err)
        func primeShare(_ run: String) throws -> Double {
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(run + "/summary.json"))) as? [String: Any]
            return try XCTUnwrap((summary?["primeShare"] as? [String: Any])?["mean"] as? Double)
        }
        XCTAssertLessThan(try primeShare("a"), try primeShare("c"))
    }

    func testASweepCarriesItsScenariosTimelineToEveryPoint() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("t.toml")
        try "[[timeline]]\nweek = 5\npath = \"amazon.prime.monthlyFee\"\nvalue = 20\n".write(to: file, atomically: true, encoding: .utf8)
        let sweep = folder.appendingPathComponent("s").path
        let tiny = ["--households", "2000", "--weeks", "10", "--replicates", "2", "--set", "start.burnInWeeks=8"]
        let made = try runTool(retailsimBinary, ["sweep", file.path, "--vary", "walmart.plus.monthlyFee=8,14", "--out", sweep, "--quiet"] + tiny)
        XCTAssertEqual(made.status, 0, made.err)
        let plan = try SweepPlan.read(folder: sweep)
        XCTAssertEqual(plan.base.timeline, [TimelineChange(week: 5, path: "amazon.prime.monthlyFee", value: .number(20), source: "")])
        XCTAssertEqual(try plan.scenario(point: 1, replicate: 1).timeline, plan.base.timeline)
        XCTAssertEqual(try runTool(retailsimBinary, ["verify", sweep]).status, 0)
        // Another timeline is another plan: refused for the same folder, by what differs.
        try "[[timeline]]\nweek = 6\npath = \"amazon.prime.monthlyFee\"\nvalue = 20\n".write(to: file, atomically: true, encoding: .utf8)
        assertRefused(try runTool(retailsimBinary, ["sweep", "plan", file.path, "--vary", "walmart.plus.monthlyFee=8,14", "--out", sweep] + tiny),
                      ["already holds a different sweep", "timeline", "week 5", "week 6"], "another timeline")
    }

    func testABadTimelineIsRefusedByFileAndLine() throws {
        let folder = try temporaryFolder()
        func refused(_ body: String, _ needles: [String]) throws {
            let file = folder.appendingPathComponent("bad-\(UUID().uuidString.prefix(8)).toml")
            try body.write(to: file, atomically: true, encoding: .utf8)
            assertRefused(try runTool(retailsimBinary, ["scenario", "check", file.path]), [file.lastPathComponent] + needles, body)
        }
        func entry(_ week: String, _ path: String, _ value: String) -> String { "[[timeline]]\nweek = \(week)\npath = \(path)\nvalue = \(value)\n" }
        try refused(entry("0", "\"amazon.prime.monthlyFee\"", "10"), [":2", "week", "0", "an integer >= 1"])
        try refused(entry("2.5", "\"amazon.prime.monthlyFee\"", "10"), [":2", "week", "2.5"])
        try refused(entry("200", "\"amazon.prime.monthlyFee\"", "10"), [":2", "outside the run", "[1, 104]"])
        try refused(entry("3", "\"amazon.prime.fee\"", "10"), [":2", "amazon.prime.fee", "did you mean 'amazon.prime.monthlyFee'"])
        try refused(entry("3", "\"amazon.prime.monthlyFee\"", "-1"), [":2", "amazon.prime.monthlyFee", "-1", "allowed"])
        try refused(entry("3", "\"\"", "10"), [":2", "path", "empty"])
        try refused(entry("3", "\"population.shoppers\"", "5000"), [":2", "population.shoppers", "cannot change during a run", "households"])
        try refused(entry("3", "\"amazon.sameDayRadiusKm\"", "50"), [":2", "cannot change during a run", "measured once"])
        try refused(entry("3", "\"amazon.strategy.priceFloor\"", "1.5"), [":2", "from week 3", "priceFloor"])
        try refused("[[timeline]]\nweek = 3\npath = \"amazon.prime.monthlyFee\"\n", [":2", "without value"])
        try refused(entry("3", "\"amazon.prime.monthlyFee\"", "10") + "when = 4\n", [":5", "timeline", "week, date, path, value"])
        try refused("[[timeline]]\ndate = 2024-02-30\npath = \"amazon.prime.monthlyFee\"\nvalue = 10\n", [":2", "date", "2024-02-30", "YYYY-MM-DD"])
        try refused("[[timeline]]\ndate = 2024-02-03T10:00\npath = \"amazon.prime.monthlyFee\"\nvalue = 10\n", [":2", "times are not scenario values"])
        assertRefused(try runTool(retailsimBinary, ["scenario", "check", "--set", "run.start=2024-13-01"]), ["--set", "run.start", "2024-13-01", "not a date", "YYYY-MM-DD"], "run.start")
        try refused("[[timelines]]\nweek = 3\n", [":1", "the arrays of tables RetailSim reads", "[[timeline]]"])
        try refused(entry("3", "\"amazon.prime.monthlyFee\"", "10") + "[timeline]\nweek = 3\n", [":5", "array of tables"])
        try refused("timeline = 3\n" + entry("3", "\"amazon.prime.monthlyFee\"", "10"), [":2", "already"])
        let csv = folder.appendingPathComponent("t.csv")
        try "week,path,value\n3,amazon.prime.monthlyFee,10\n4,amazon.prime.monthlyFee,nan\n".write(to: csv, atomically: true, encoding: .utf8)
        assertRefused(try runTool(retailsimBinary, ["scenario", "check", "--timeline", csv.path]), ["t.csv:3", "amazon.prime.monthlyFee", "nan"], "CSV")
        try "week,path\n3,amazon.prime.monthlyFee\n".write(to: csv, atomically: true, encoding: .utf8)
        assertRefused(try runTool(retailsimBinary, ["scenario", "check", "--timeline", csv.path]), ["t.csv:1", "week,path,value"], "CSV columns")
        let params = folder.appendingPathComponent("p.json")
        try #"{"timeline": {"week": 3}}"#.write(to: params, atomically: true, encoding: .utf8)
        assertRefused(try runTool(retailsimBinary, ["scenario", "check", "--params", params.path]), ["p.json", "timeline", "an array"], "--params")
    }
}
