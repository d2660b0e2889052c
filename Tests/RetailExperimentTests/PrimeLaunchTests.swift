import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// Prime from its launch (issue 23 item 5; docs/MODEL.md section 13): the
/// launch run carries its own inputs and then the history's, its figures'
/// uses are fixed, and from no member Prime spreads by its hazards alone.
final class PrimeLaunchTests: XCTestCase {
    private let root = repositoryRoot
    private func day(_ text: String) -> Int { WeekCalendar.day(text: text)! }
    private func load(_ path: String, _ settings: [String] = []) throws -> Scenario {
        try Scenario.load(file: root.appendingPathComponent(path).path, assignments: try settings.map { try Scenario.commandLineAssignment($0) })
    }

    /// The launch run starts with Prime off and launches it on 2 February
    /// 2005 at $79 a year; each launch-decade count is in force from its
    /// date; and from the history's start on, every fee, launch and count is
    /// the history's at the same date.
    func testTheLaunchRunCarriesItsInputsAndThenTheHistorys() throws {
        let launch = try load("Experiments/scenarios/us-prime-launch.toml"), history = try load("Experiments/scenarios/us-history.toml")
        let offset = launch.calendar.week(containing: history.run.start) - 1
        XCTAssertEqual(launch.calendar.date(ofWeek: offset + 1), history.calendar.date(ofWeek: 1), "the two runs share their weeks")
        let launched = launch.calendar.week(containing: day("2005-02-02"))
        XCTAssertFalse(launch.model.amazon.prime.enabled, "no Prime before its launch")
        XCTAssertTrue(launch.parameters(inForceAt: launched).amazon.prime.enabled)
        XCTAssertEqual(launch.parameters(inForceAt: launched).amazon.prime.monthlyFee, 8.52, "79 dollars a year: 14.99 x 79 / 139")
        XCTAssertEqual(launch.parameters(inForceAt: launch.calendar.week(containing: day("2014-03-01")) - 1).amazon.prime.monthlyFee, 8.52)
        XCTAssertEqual(launch.parameters(inForceAt: launch.calendar.week(containing: day("2014-03-01"))).amazon.prime.monthlyFee, 10.68)

        let text = try String(contentsOf: root.appendingPathComponent("Experiments/history/launch-inputs.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", maxSplits: 3).map(String.init) }
        var counts = 0
        for row in rows where row[1].contains(".network.") {
            var at = launch
            at.model = launch.parameters(inForceAt: launch.calendar.week(containing: day(row[0])))
            XCTAssertEqual(ParameterCatalog.parameter(row[1])?.value(in: at), .number(Double(row[2])!), "\(row[1]) at \(row[0])")
            counts += 1
        }
        XCTAssertEqual(counts, 6)

        let paths = ["amazon.prime.enabled", "amazon.prime.monthlyFee", "walmart.plus.enabled", "amazon.network.fulfillmentCenters",
                     "amazon.network.sameDayMetros", "walmart.network.pickupStores", "walmart.network.deliveryStores",
                     "trend.onlineUtilityPerYear", "trend.walmartOnlineUtilityPerYear", "trend.primeBenefitGrowthPerYear", "trend.anchor"]
        for week in 1...(launch.run.weeks - offset) {
            var a = launch, b = history
            a.model = launch.parameters(inForceAt: week + offset)
            b.model = history.parameters(inForceAt: week)
            for path in paths {
                let parameter = try XCTUnwrap(ParameterCatalog.parameter(path))
                XCTAssertEqual(parameter.value(in: a), parameter.value(in: b), "\(path) in the week of \(history.calendar.date(ofWeek: week))")
            }
        }
        XCTAssertEqual(launch.calendar.date(ofWeek: launch.run.weeks + 1), "2020-01-06", "the launch run ends with 2019")
    }

    /// Calibration figures are dated before 2020 and fitted within their
    /// tolerance; every Prime calibration figure of the history before 2020 is
    /// here with its value and use; the two from launch keep the tolerance
    /// committed with them in the responses file; held-out figures are the
    /// launch decade's online shares and the fee rises' floors.
    func testTheLaunchFiguresUsesAreFixed() throws {
        let launch = try HistoryTargetSet.read(root.appendingPathComponent("Experiments/targets/us-launch.toml").path)
        let history = try HistoryTargetSet.read(root.appendingPathComponent("Experiments/targets/us-history.toml").path)
        let responses = try ResponseTargetSet.read(root.appendingPathComponent("Experiments/targets/us-responses.toml").path)
        for t in launch.targets {
            switch t.use {
            case .calibration:
                XCTAssertLessThanOrEqual(t.period.end, day("2020-01-01"), t.name)
                XCTAssertEqual(t.comparison, .within, t.name)
            case .validation:
                XCTAssertTrue(t.series == .onlineShare && t.period.end <= day("2014-10-01")
                              || t.series == .primeHouseholdGrowth && t.comparison == .atLeast, "\(t.name) is held out but neither a check of the launch decade nor a floor")
            case .diagnostic:
                XCTAssertEqual(t.series, .primePeopleMillions, t.name)
            }
        }
        for h in history.targets where h.series.rawValue.hasPrefix("prime") && h.period.end <= day("2020-01-01") {
            let t = try XCTUnwrap(launch.targets.first { $0.name == h.name }, "\(h.name) is not among the launch run's figures")
            XCTAssertEqual(t.value, h.value, h.name)
            XCTAssertEqual(t.use, h.use, h.name)
            XCTAssertEqual(t.period, h.period, h.name)
        }
        for (name, response) in [("primeHouseholds_2015-12", "primeDiffusion2015"), ("primeHouseholds_2018", "primeDiffusion2018")] {
            let t = try XCTUnwrap(launch.targets.first { $0.name == name }), r = try XCTUnwrap(responses.responses.first { $0.name == response })
            XCTAssertEqual([t.value, t.tolerance], [r.value, r.tolerance], name)
            XCTAssertEqual(t.use.rawValue, r.use.rawValue, name)
        }
    }

    /// From no member, Prime spreads by its hazards: none before the launch,
    /// more each year after; the online share grows over the launch decade
    /// as the history's trend carried back says. `reproduce prime-launch`
    /// measures a fee rise's floor as the growth of member households over
    /// the year after it, labels the calibration figures as not fitted yet,
    /// and writes each series.
    func testPrimeSpreadsFromNoMemberAtItsLaunch() throws {
        let spec = try ReproductionSpec.read(root.appendingPathComponent("Experiments/reproduce/prime-launch.toml").path)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-launch-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = try Reproduction.run(spec, results: folder.path, threads: 2, size: ReproductionSize(shoppers: 4000, replicates: 2), root: root.path)
        XCTAssertTrue(record.checks.contains { $0.reference.hasPrefix("calibration, not fitted yet: 0.3300") }, "\(record.checks.map(\.reference))")

        let s = try load("Experiments/scenarios/us-prime-launch.toml", ["population.shoppers=4000", "run.replicates=2", "run.seed=2005"])
        let runs = try Replicates.run(s, threads: 2).replicates
        func mean(_ weeks: [WeekRecord], in period: String, _ value: (WeekRecord) -> Double) throws -> Double {
            let p = try XCTUnwrap(HistoryPeriod(period))
            let inside = weeks.filter { (p.first..<p.end).contains(s.calendar.firstDay(ofWeek: $0.week)) }
            return inside.reduce(0) { $0 + value($1) } / Double(inside.count)
        }
        for weeks in runs {
            // The burn-in had no Prime; the first members join after the launch week (it holds January's last day).
            XCTAssertEqual(weeks[0].members(.prime), 0, "a member at the launch")
            let yearly = try (2005...2019).map { y in try mean(weeks, in: "\(y)") { Double($0.members(.prime)) } }
            XCTAssertGreaterThan(yearly[0], 0)
            // More each year of the launch decade; the decade after is what the figures test (a plateau is a miss, not a failure).
            for (a, b) in zip(yearly[...9], yearly[1...10]) { XCTAssertGreaterThan(b, a, "Prime's households fell in a year: \(yearly)") }
            XCTAssertGreaterThan(yearly[14], yearly[9])
            let online = try ["2005Q1", "2010Q2", "2019Q4"].map { q in
                try mean(weeks, in: q) { w in Option.online.reduce(0) { $0 + w.revenue($1) } / Option.allCases.reduce(0) { $0 + w.revenue($1) } }
            }
            XCTAssertEqual(online, online.sorted(), "the online share grows over the decades")
        }
        // The floor's figure: member households over May 2019 against May 2018, less 1, the replicates' mean.
        let growth = try runs.map { w in try mean(w, in: "2019-05") { Double($0.members(.prime)) } / mean(w, in: "2018-05") { Double($0.members(.prime)) } - 1 }
        let rows = try String(contentsOf: folder.appendingPathComponent("prime-launch/targets.csv"), encoding: .utf8).split(separator: "\n")
        let row = try XCTUnwrap(rows.first { $0.hasPrefix("primeFeeRise_2018,") }).split(separator: ",").map(String.init)
        XCTAssertEqual(Double(row[6])!, (growth[0] + growth[1]) / 2, accuracy: 1e-4)
        let page = try Report.write(folder: folder.appendingPathComponent("prime-launch").path)
        let html = try String(contentsOfFile: page.path, encoding: .utf8)
        XCTAssertTrue(html.contains("Calibration figures not fitted yet, within tolerance:") && !html.contains("Fitted figures"), "the report calls nothing fitted")
        XCTAssertEqual(page.charts.count, Set(try HistoryTargetSet.read(root.appendingPathComponent("Experiments/targets/us-launch.toml").path).targets.map(\.series)).count)
    }

    /// A floor or a ceiling is for a held-out figure (a fit reads a
    /// calibration figure within its tolerance), a comparison is one of
    /// three, and only a backcast's figures are labelled unfitted: each
    /// refused by file, field and value.
    func testFloorsAndUnfittedLabelsAreRefusedWhereTheyMeanNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-floors-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func refusal(_ fields: String, file: String = "t.toml", read: (String) throws -> Void) -> String {
            let path = folder.appendingPathComponent(file).path
            try? fields.write(toFile: path, atomically: true, encoding: .utf8)
            do { try read(path); return "" } catch { return "\(error)" }
        }
        let figure = "[targets.rise]\nseries = \"primeHouseholdGrowth\"\nperiod = \"2019-05\"\nvalue = 0\ntolerance = 0\n"
            + "source = \"s\"\ncertainty = \"medium\"\nnote = \"n\"\n"
        let history = { (path: String) throws in _ = try HistoryTargetSet.read(path) }
        XCTAssertEqual(refusal(figure + "use = \"validation\"\ncomparison = \"atLeast\"\n", read: history), "")
        let floor = refusal(figure + "use = \"calibration\"\ncomparison = \"atLeast\"\n", read: history)
        XCTAssertTrue(floor.contains("targets.rise.comparison") && floor.contains("a floor or a ceiling is for a held-out"), floor)
        let unknown = refusal(figure + "use = \"validation\"\ncomparison = \"below\"\n", read: history)
        XCTAssertTrue(unknown.contains("below") && unknown.contains("allowed: \"within\", \"atMost\" or \"atLeast\""), unknown)
        let zero = refusal(figure + "use = \"validation\"\n", read: history)
        XCTAssertTrue(zero.contains("targets.rise.tolerance") && zero.contains("needs a tolerance > 0"), zero)
        let spec = refusal("title = \"t\"\nkind = \"levers\"\nunfitted = \"not yet\"\n", file: "levers.toml") { _ = try ReproductionSpec.read($0) }
        XCTAssertTrue(spec.contains("unfitted") && spec.contains("only a backcast"), spec)
    }
}
