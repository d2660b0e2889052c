import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

final class ScenarioTests: XCTestCase {
    private func set(_ settings: String...) throws -> Scenario {
        try scenario(settings: settings)
    }

    private func refusal(_ settings: String..., file: StaticString = #filePath, line: UInt = #line) -> InputError? {
        do {
            _ = try scenario(settings: settings)
            XCTFail("accepted \(settings)", file: file, line: line)
            return nil
        } catch {
            return error as? InputError
        }
    }

    /// Every path of docs/MODEL.md section 10 exists with its default: in the
    /// built-in baseline, except the calibrated values, which MODEL.md gives
    /// "until calibrated" and Experiments/scenarios/uncalibrated.toml keeps.
    /// The values set from outside evidence in 0.6.0 (section 10's table) are
    /// those of 0.6.0; every path is still there.
    func testBaselineHasEveryStablePathWithItsDefault() throws {
        let defaults: [String: ScenarioValue] = [
            "run.weeks": .number(104), "run.warmupWeeks": .number(0), "run.replicates": .number(1), "run.seed": .number(1),
            "population.shoppers": .number(100_000), "population.people": .number(335e6), "population.urbanShare": .number(0.8),
            "geography.widthKm": .number(4500), "geography.heightKm": .number(2500), "geography.cities": .number(300),
            "geography.zipfExponent": .number(1), "geography.citySpreadKm": .number(12), "geography.towns": .number(3000),
            "geography.townSpreadKm": .number(25), "geography.remoteShare": .number(0.15), "shoppers.heterogeneity": .number(1),
            "shoppers.priceSensitivity.median": .number(0.02), "choice.storePriceWeight": .number(0.5), "shoppers.priceSensitivity.sigma": .number(0.4),
            "shoppers.timeSensitivity.median": .number(0.01), "shoppers.timeSensitivity.sigma": .number(0.6),
            "shoppers.travelSensitivity.median": .number(0.08), "shoppers.travelSensitivity.sigma": .number(0.5),
            "shoppers.onlineAffinity.urban": .number(0), "shoppers.onlineAffinity.suburban": .number(-0.3),
            "shoppers.onlineAffinity.rural": .number(-0.8), "shoppers.onlineAffinity.sigma": .number(1),
            "shoppers.tripsPerWeek.shape": .number(4), "shoppers.tripsPerWeek.scale": .number(0.4),
            "shoppers.basketDollars.median": .number(45), "shoppers.basketDollars.sigma": .number(0.5),
            "choice.constants.A": .number(-1), "choice.constants.WS": .number(0.3), "choice.constants.WO": .number(-1.5),
            "choice.constants.OS": .number(0), "choice.constants.OO": .number(-1.2), "choice.habitWeight": .number(1.5),
            "choice.habitDecay": .number(0.1), "choice.distanceDecay": .text("generalisedCost"), "choice.powerExponent": .number(2),
            "choice.shippingFeeDollars": .number(6.99), "choice.freeShippingThresholdDollars": .number(35),
            "choice.otherStoreKm.urban": .number(1.11), "choice.otherStoreKm.suburban": .number(3.44), "choice.otherStoreKm.rural": .number(5),
            "choice.otherOnlineHours": .number(72), "amazon.priceIndex": .number(0.9419), "amazon.grossMargin": .number(0.25),
            "amazon.fulfillmentCenters": .number(110), "amazon.nextDayRadiusKm": .number(300), "amazon.sameDaySites": .number(60),
            "amazon.sameDayRadiusKm": .number(40), "amazon.hours.sameDay": .number(8), "amazon.hours.nextDay": .number(24),
            "amazon.hours.standard": .number(48), "amazon.hours.nonMember": .number(120), "amazon.personalization.max": .number(1),
            "amazon.personalization.ordersScale": .number(20), "amazon.personalization.flywheelScale": .number(50),
            "amazon.prime.monthlyFee": .number(14.99), "amazon.prime.initialShare.urban": .number(0.54),
            "amazon.prime.initialShare.suburban": .number(0.54), "amazon.prime.initialShare.rural": .number(0.54),
            "amazon.strategy.enabled": .boolean(true), "amazon.strategy.pricing": .text("match"),
            "amazon.strategy.maxPriceStep": .number(0.02), "amazon.strategy.priceFloor": .number(0.8),
            "amazon.strategy.priceCeiling": .number(1.6), "amazon.strategy.ruralSitesPerQuarter": .number(25),
            "walmart.priceIndex": .number(0.97), "walmart.grossMargin": .number(0.24), "walmart.peoplePerStore": .number(73000),
            "walmart.hubRadiusKm": .number(16), "walmart.initialHubShare": .number(0.3), "walmart.hours.hub": .number(3),
            "walmart.hours.hubAugmented": .number(2), "walmart.hours.standard": .number(48), "walmart.inStock.before": .number(0.92),
            "walmart.inStock.after": .number(0.97), "walmart.serviceWeight": .number(2), "walmart.plus.monthlyFee": .number(12.95),
            "walmart.plus.initialShare.urban": .number(0.185), "walmart.plus.initialShare.suburban": .number(0.185),
            "walmart.plus.initialShare.rural": .number(0.185), "walmart.strategy.enabled": .boolean(true),
            "walmart.strategy.hubsPerQuarter": .number(75), "walmart.strategy.augmentationMidpointWeek": .number(52),
            "membership.enabled": .boolean(true), "membership.innovation": .number(0.003), "membership.imitation": .number(0.04),
            "membership.valueWeight": .number(0.1155), "membership.churn": .number(0.00168), "membership.churnValueWeight": .number(0.1155),
            "membership.localScope": .text("city"),
        ]
        let root = repositoryRoot
        let uncalibrated = try Scenario.load(file: root.appendingPathComponent("Experiments/scenarios/uncalibrated.toml").path, assignments: [])
        let fitted = FreeParameter.standard + FreeParameter.responseParameters
        let calibrated = Set(fitted.map { $0.name.split(separator: " ")[0] }.flatMap { name -> [String] in
            name.hasSuffix(".urban") ? ["urban", "suburban", "rural"].map { name.dropLast(5) + $0 } : [String(name)]
        })
        XCTAssertEqual(calibrated.count, 16)
        for (path, value) in defaults {
            let parameter = try XCTUnwrap(ParameterCatalog.parameter(path), path)
            XCTAssertEqual(parameter.value(in: calibrated.contains(path) ? uncalibrated : .baseline), value, path)
            if calibrated.contains(path) { XCTAssertNotEqual(parameter.value(in: .baseline), value, "\(path) is calibrated") }
        }
    }

    func testSettingsApplyInOrderAndTypesAreChecked() throws {
        let s = try set("amazon.priceIndex=1.02", "population.shoppers=2_000", "choice.distanceDecay=power",
                        "amazon.strategy.enabled=false", "amazon.priceIndex=1.05", "name=cf")
        XCTAssertEqual(s.model.amazon.priceIndex, 1.05)
        XCTAssertEqual(s.model.population.shoppers, 2000)
        XCTAssertEqual(s.model.choice.distanceDecay, .power)
        XCTAssertFalse(s.model.amazon.strategy.enabled)
        XCTAssertEqual(s.name, "cf")
    }

    /// Every class of bad input is refused with the path, the value and what is allowed.
    func testBadInputIsRefusedByName() throws {
        var e = refusal("amazon.prime.fee=3")
        XCTAssertEqual(e?.path, "amazon.prime.fee")
        XCTAssertTrue(e?.problem.contains("did you mean 'amazon.prime.monthlyFee'") ?? false, "\(String(describing: e))")

        e = refusal("amazon.prime.monthlyFee=-3")
        XCTAssertEqual(e?.path, "amazon.prime.monthlyFee")
        XCTAssertEqual(e?.value, "-3")
        XCTAssertTrue(e?.problem.contains("allowed: a number in (1e-12, 1000]") ?? false)

        e = refusal("population.urbanShare=1.2")
        XCTAssertTrue(e?.problem.contains("allowed: a number in [0, 1]") ?? false)
        e = refusal("population.shoppers=0")
        XCTAssertTrue(e?.problem.contains("out of range") ?? false)
        e = refusal("population.shoppers=2.5")
        XCTAssertTrue(e?.problem.contains("whole number") ?? false)
        e = refusal("walmart.priceIndex=nan")
        XCTAssertTrue(e?.problem.contains("not a finite number") ?? false)
        e = refusal("walmart.priceIndex=inf")
        XCTAssertTrue(e?.problem.contains("not a finite number") ?? false)
        e = refusal("walmart.priceIndex=cheap")
        XCTAssertTrue(e?.problem.contains("wrong type") ?? false)
        e = refusal("membership.enabled=1")
        XCTAssertTrue(e?.problem.contains("true or false") ?? false)
        e = refusal("choice.distanceDecay=gravity")
        XCTAssertTrue(e?.problem.contains("\"linear\", \"power\"") ?? false)
        e = refusal("run.warmupWeeks=104")
        XCTAssertEqual(e?.path, "run.warmupWeeks")
        e = refusal("amazon.strategy.priceFloor=1.2")
        XCTAssertNotNil(e)
        e = refusal("geography.kind=synthetic", "amazon.sameDaySites=400")
        XCTAssertEqual(e?.path, "amazon.sameDaySites")
        e = refusal("shoppers.tripsPerWeek.scale=10")
        XCTAssertEqual(e?.path, "shoppers.tripsPerWeek.scale")
        e = refusal("run.seed=9223372036854775807")
        XCTAssertTrue(e?.problem.contains("out of range") ?? false)
        XCTAssertThrowsError(try Scenario.commandLineAssignment("amazon.priceIndex"))
        // A population that cannot fit in memory is refused by name before any work.
        let huge = try set("population.shoppers=2000000000")
        XCTAssertThrowsError(try Replicates.run(huge, threads: 1)) { error in
            XCTAssertEqual((error as? InputError)?.path, "population.shoppers")
        }
    }

    func testTOMLFilesTablesDottedKeysAndComments() throws {
        let text = """
        # a comment
        name = "toml test"   # trailing comment
        [run]
        weeks = 52
        warmupWeeks = 4
        [amazon.strategy]
        enabled = false
        [shoppers]
        priceSensitivity.median = 0.06
        onlineAffinity."rural" = -1.5
        [choice]
        distanceDecay = 'power'
        """
        var s = Scenario.baseline
        try s.apply(ScenarioFile.parseTOML(text, name: "t.toml"))
        try s.validate()
        XCTAssertEqual(s.name, "toml test")
        XCTAssertEqual(s.run.weeks, 52)
        XCTAssertFalse(s.model.amazon.strategy.enabled)
        XCTAssertEqual(s.model.shoppers.priceSensitivity.median, 0.06)
        XCTAssertEqual(s.model.shoppers.onlineAffinity.rural, -1.5)
        XCTAssertEqual(s.model.choice.distanceDecay, .power)

        XCTAssertThrowsError(try ScenarioFile.parseTOML("[run\nweeks = 3", name: "bad.toml")) { error in
            XCTAssertEqual((error as? InputError)?.source, "bad.toml:1")
        }
        XCTAssertThrowsError(try ScenarioFile.parseTOML("a = [1, 2]", name: "bad.toml"))
        XCTAssertThrowsError(try ScenarioFile.parseTOML("a = 1\na = 2", name: "bad.toml"))
        XCTAssertThrowsError(try ScenarioFile.parseTOML("just words", name: "bad.toml"))
        var t = Scenario.baseline
        XCTAssertThrowsError(try t.apply(ScenarioFile.parseTOML("[amazon]\nprimeFee = 3", name: "f.toml"))) { error in
            XCTAssertEqual((error as? InputError)?.source, "f.toml:2")
            XCTAssertEqual((error as? InputError)?.path, "amazon.primeFee")
        }
    }

    /// scenario.json holds the whole resolved scenario and reads back to it.
    func testScenarioJSONRoundTrips() throws {
        let s = try set("amazon.priceIndex=1.03", "choice.distanceDecay=power", "walmart.strategy.enabled=false",
                        "population.people=3.3e8", "name=round trip", "shoppers.basketDollars.median=51.25")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-json-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("scenario.json").path
        try AtomicFile.write(s.json(), to: path)
        let back = try Scenario.load(file: path, assignments: [])
        XCTAssertEqual(back, s)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(s.json().utf8)))
    }

    func testShippedScenarioFilesAreValid() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Experiments/scenarios").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }
        XCTAssertFalse(files.isEmpty)
        for f in files {
            XCTAssertNoThrow(try Scenario.load(file: folder.appendingPathComponent(f).path, assignments: []), f)
        }
        let written = try Scenario.load(file: folder.appendingPathComponent("baseline.toml").path, assignments: [])
        XCTAssertEqual(written.model, Scenario.baseline.model, "baseline.toml spells out the built-in defaults")
        XCTAssertEqual(written.run, Scenario.baseline.run)
    }
}
