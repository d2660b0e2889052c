import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// The experiments of Experiments/reproduce, run small.
final class ReproductionTests: XCTestCase {
    private let root = repositoryRoot.path

    private func results() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-reproduce-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    private func spec(_ name: String) throws -> ReproductionSpec {
        try ReproductionSpec.read(root + "/Experiments/reproduce/\(name).toml")
    }

    /// Each closed form passes at a small scale, with its figure and table.
    /// Bass runs at its experiment's own size (a second): its curve sits about
    /// 0.013 under the continuous one (monthly steps), so at 3 replicates of
    /// 10,000 the replicate noise alone could take it past the 0.02 tolerance.
    func testClosedFormsPassAtSmallScale() throws {
        let out = try results()
        for (name, shoppers, replicates) in [("logit-1974", 20_000, 3), ("huff-1963", 20_000, 3), ("bass-1969", 20_000, 10)] {
            let record = try Reproduction.run(try spec(name), results: out, threads: 2,
                                              size: ReproductionSize(shoppers: shoppers, replicates: replicates), root: root)
            XCTAssertEqual(record.checks.count, 1)
            XCTAssertTrue(record.checks[0].pass, "\(name): \(record.checks[0].model)")
            for file in ["figure.svg", "curve.csv", "result.json"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(name)/\(file)"), "\(name)/\(file)")
            }
        }
    }

    /// The closed-form checks can fail: a model whose shares are not the
    /// softmax (here, habit on from a cold start, so past trips shift today's) misses it.
    func testLogitCheckFailsWhenTheModelLeavesTheLimit() throws {
        var s = try spec("logit-1974")
        s.settings.append(Assignment(path: "choice.habitWeight", value: .number(3), source: "test"))
        s.settings.append(Assignment(path: "run.weeks", value: .number(30), source: "test"))
        s.settings.append(Assignment(path: "start.habitIterations", value: .number(0), source: "test"))
        s.settings.append(Assignment(path: "start.burnInWeeks", value: .number(0), source: "test"))
        let record = try Reproduction.run(s, results: try results(), threads: 2, size: ReproductionSize(shoppers: 20_000, replicates: 2), root: root)
        XCTAssertFalse(record.checks[0].pass, record.checks[0].model)
    }

    /// A paired claim: same seeds in both arms, an effect per expected metric,
    /// PASS only when the interval is on the claimed side of zero.
    func testPairedClaimGivesEffectsWithIntervals() throws {
        let out = try results()
        let record = try Reproduction.run(try spec("claim-hubs-dark-stores"), results: out, threads: 2,
                                          size: ReproductionSize(shoppers: 20_000, replicates: 4), root: root)
        // Every claimed metric in both arms: prices on the off arm's path (direct) and free (equilibrium).
        XCTAssertEqual(record.checks.map(\.name), ["walmartShareOfOnline", "walmartOnlineWaitHours", "hubReach"]
            .flatMap { ["\($0) (direct)", "\($0) (equilibrium)"] })
        XCTAssertTrue(record.checks.first { $0.name == "hubReach (direct)" }!.pass, "more hubs must reach more shoppers")
        XCTAssertEqual(record.weeks, 104, "the claim's weeks count from its fork in the history")
        let effects = try String(contentsOfFile: "\(out)/claim-hubs-dark-stores/effects.csv", encoding: .utf8)
        let lines = effects.split(separator: "\n")
        // A header, then each claimed and each reported figure (prices, profits, welfare) in two arms.
        XCTAssertEqual(lines.count, 1 + 2 * (3 + 5))
        XCTAssertTrue(lines.contains { $0.hasPrefix("welfare,direct,reported,") })
        // In the direct arm the prices are the off arm's, so their effect is exactly 0.
        let directPrice = try XCTUnwrap(lines.first { $0.hasPrefix("amazonPriceIndex,direct,") }).split(separator: ",")
        XCTAssertEqual(Double(directPrice[5]), 0)
        // A claim in the wrong direction fails.
        var wrong = try spec("claim-hubs-dark-stores")
        wrong.expect = [("hubReach", .decrease)]
        let refuted = try Reproduction.run(wrong, results: out, threads: 2, size: ReproductionSize(shoppers: 20_000, replicates: 4), root: root)
        XCTAssertFalse(refuted.checks[0].pass)
    }

    /// The table is rebuilt from every result.json, misses carry their sentence,
    /// and the rest of the README is left alone.
    func testIndexKeepsTheReadmeAroundTheTable() throws {
        let out = try results()
        let readme = out + "/README.md"
        try "# Results\n\nHand-written text.\n".write(toFile: readme, atomically: true, encoding: .utf8)
        let passing = ReproductionRecord(experiment: "a", title: "A", kind: "logit", source: "", claim: "", command: "retailsim reproduce a", seed: 1,
                                       version: "0", replicates: 1, shoppers: 1, weeks: 1,
                                       checks: [Check(name: "x", reference: "r", model: "m", tolerance: "t", pass: true)], why: [:], files: [])
        var failing = passing
        failing.experiment = "b"
        failing.command = "retailsim reproduce b"
        failing.checks = [Check(name: "y", reference: "r", model: "m", tolerance: "t", pass: false)]
        failing.why = ["y": "Because the model has no such thing."]
        try Reproduction.writeIndex(records: [passing, failing], readme: readme)
        try Reproduction.writeIndex(records: [passing, failing], readme: readme)
        let text = try String(contentsOfFile: readme, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# Results\n\nHand-written text.\n"))
        XCTAssertEqual(text.components(separatedBy: "| `a` | x |").count, 2, "written once, replaced the second time")
        XCTAssertTrue(text.contains("| **FAIL** | `retailsim reproduce b` |"))
        XCTAssertTrue(text.contains("- `b`, y: Because the model has no such thing."))
        XCTAssertTrue(text.contains("1 of 2 checks pass."))
    }

    /// The response targets, measured small: every target of the committed
    /// file has its row; what the model cannot produce yet is a miss naming
    /// what it lacks; and the measured responses have the signs any demand
    /// must give (a price cut and a closer store each raise what Walmart's
    /// stores sell), on paired runs of the same seeds.
    func testResponsesAreMeasuredOnPairedRuns() throws {
        let out = try results()
        let spec = try spec("responses-us")
        let targets = try ResponseTargetSet.read(root + "/" + spec.targets)
        let record = try Reproduction.run(spec, results: out, threads: 2, size: ReproductionSize(shoppers: 20_000, replicates: 3), root: root)
        XCTAssertEqual(record.checks.map(\.name), targets.responses.map(\.name))
        for r in targets.responses where r.form == nil {
            let check = try XCTUnwrap(record.checks.first { $0.name == r.name })
            XCTAssertFalse(check.pass)
            XCTAssertEqual(check.model, "not measurable yet: \(r.requires)")
        }
        func measured(_ name: String) throws -> Double {
            let lines = try String(contentsOfFile: "\(out)/responses-us/responses.csv", encoding: .utf8).split(separator: "\n")
            let row = try XCTUnwrap(lines.first { $0.hasPrefix(name + ",") }).split(separator: ",", omittingEmptySubsequences: false)
            return try XCTUnwrap(Double(row[6]))
        }
        XCTAssertLessThan(try measured("walmartStorePrice"), 0, "a lower Walmart price must raise the quantity its stores sell")
        XCTAssertLessThan(try measured("amazonOwnPrice"), 0)
        XCTAssertGreaterThan(try measured("closerStoreWalmartStore"), 0, "closer stores must sell more")
        XCTAssertGreaterThan(try measured("fasterDeliveryOnline"), 0, "faster delivery must sell more online")
        XCTAssertGreaterThan(try measured("walmartPlusOrderRatio"), 1, "members pay for delivery less, so they order more")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/responses-us/figure.svg"))
    }

    /// A response may measure any metric of the catalogue (a category's level):
    /// the parser takes its name, and the quantity of a replicate's summarised
    /// weeks is the metric a run reports for them.
    func testAResponseMayMeasureAMetric() throws {
        let text = "[responses.r]\nintervention = \"none\"\nmeasure = \"m\"\nvalue = 0.13\ntolerance = 0.03\nuse = \"calibration\"\n"
            + "source = \"s\"\nform = \"level\"\nquantity = \"onlineShareOfGrocery\"\n"
        let set = try ResponseTargetSet.parse(text, name: "t.toml")
        XCTAssertEqual(set.responses.first?.quantity, .metric("onlineShareOfGrocery"))
        let s = try scenario(settings: ["population.shoppers=5000", "run.weeks=12", "run.warmupWeeks=2", "run.replicates=1",
                                        "choice.grocery.tripShare=0.3", "walmart.pickup.offered=true"])
        let result = try Replicates.run(s, threads: 2)
        let weeks = result.replicates[0].filter { $0.week > 2 }
        for name in ["onlineShareOfGrocery", "pickupShareOfOnlineGrocery", "groceryShareOfWalmart"] {
            let q = try XCTUnwrap(ResponseQuantity(name)).value(weeks[...], households: 5000)
            XCTAssertEqual(q, result.metrics[0][name]!, accuracy: 1e-12, name)
            XCTAssertGreaterThan(q, 0, name)
        }
        // What a category buys: its two parts make the whole, and grocery's is the catalogue's share of it.
        for o in Option.allCases {
            let all = ResponseQuantity.bought([o], category: nil).value(weeks[...], households: 5000)
            let grocery = ResponseQuantity.bought([o], category: .grocery).value(weeks[...], households: 5000)
            let general = ResponseQuantity.bought([o], category: .general).value(weeks[...], households: 5000)
            XCTAssertEqual(grocery + general, all, accuracy: 1e-9 * all, o.code)
            XCTAssertGreaterThan(grocery, 0, o.code)
            XCTAssertGreaterThan(general, 0, o.code)
        }
        let parsed = try ResponseTargetSet.parse(text.replacingOccurrences(of: "onlineShareOfGrocery", with: "A+WP") + "category = \"general\"\n", name: "t.toml")
        XCTAssertEqual(parsed.responses.first?.quantity, .bought([.amazon, .walmartPickup], category: .general))
    }

    /// Walmart+'s published terms (docs/MODEL.md section 5): a fee on every
    /// store-delivered order that members do not pay makes members order,
    /// and spend, more online than non-members, more so as a fee weighs
    /// more; without the fee, membership only waives a fee below $35. The
    /// ratios count WO and WP together (pickup is free to all, so part of
    /// members' orders do not depend on membership), per household.
    func testWalmartPlusTermsMakeMembersOrderMore() throws {
        func ratios(_ settings: [String]) throws -> (orders: Double, spend: Double) {
            let s = try scenario(settings: ["population.shoppers=20000", "run.weeks=26", "run.warmupWeeks=0", "run.replicates=1",
                                            "amazon.strategy.enabled=false", "walmart.strategy.enabled=false"] + settings)
            let weeks = try Replicates.run(s, threads: 2).replicates[0]
            return (try XCTUnwrap(ResponseQuantity("plusOrderRatio")).value(weeks[...], households: 20000),
                    try XCTUnwrap(ResponseQuantity("plusSpendRatio")).value(weeks[...], households: 20000))
        }
        let none = try ratios(["walmart.storeDelivery.feeDollars=0", "walmart.storeDelivery.memberSmallBasketFeeDollars=0", "choice.feeWeight=1"])
        let published = try ratios(["walmart.storeDelivery.feeDollars=8.95", "walmart.storeDelivery.memberSmallBasketFeeDollars=6.99", "choice.feeWeight=1"])
        let weighted = try ratios(["walmart.storeDelivery.feeDollars=8.95", "walmart.storeDelivery.memberSmallBasketFeeDollars=6.99", "choice.feeWeight=5"])
        XCTAssertGreaterThan(published.orders, none.orders, "a fee members do not pay raises members' orders over non-members'")
        XCTAssertGreaterThan(weighted.orders, published.orders + 0.15, "a fee that weighs more than a price raises them more")
        XCTAssertGreaterThan(weighted.spend, published.spend + 0.15)
        XCTAssertEqual(ResponseQuantity("plusSpendRatio")?.description, "plusSpendRatio")
    }

    /// A household's own taste for Walmart-like online (docs/MODEL.md
    /// section 5) makes joining Walmart+ select the households who order
    /// there most: on common random numbers, with the fees as published and
    /// weighing as the fee studies say, members' order ratio over non-members'
    /// and their share of the month's online grocery buyers are higher with
    /// the taste than without (not without limit at fixed constants: a very
    /// wide taste sends the keenest to free pickup too, and makes Walmart
    /// online common among non-members); with no taste every household's is 0.
    func testAWalmartOnlineTasteMakesMembersTheHeavyUsers() throws {
        func measure(_ sigma: Double) throws -> (orders: Double, buyers: Double) {
            let s = try scenario(settings: ["population.shoppers=20000", "run.weeks=52", "run.warmupWeeks=0", "run.replicates=1",
                                            "amazon.strategy.enabled=false", "walmart.strategy.enabled=false", "choice.feeWeight=1.43",
                                            "shoppers.walmartOnlineTasteSigma=\(sigma)"])
            let weeks = try Replicates.run(s, threads: 2).replicates[0]
            return (try XCTUnwrap(ResponseQuantity("plusOrderRatio")).value(weeks[...], households: 20000),
                    try XCTUnwrap(ResponseQuantity("plusShareOfWalmartOnlineGroceryBuyers")).value(weeks[...], households: 20000))
        }
        let none = try measure(0), some = try measure(1.5)
        XCTAssertGreaterThan(some.orders, none.orders + 0.2, "members are the households who order most")
        XCTAssertGreaterThan(some.buyers, none.buyers + 0.01)
        let market = try scenario(settings: ["population.shoppers=2000", "shoppers.walmartOnlineTasteSigma=0"]).market(replicate: 1, threads: 1)
        XCTAssertTrue(market.shoppers.walmartTaste.allSatisfy { $0 == Households.tasteZero })
    }

    /// A response target that cannot be measured is refused by file and line
    /// before anything runs.
    func testUnmeasurableResponsesAreRefused() throws {
        let head = "[responses.r]\nintervention = \"i\"\nmeasure = \"m\"\nvalue = 1\ntolerance = 0.5\nuse = \"calibration\"\nsource = \"s\"\n"
        func refusal(_ body: String) -> String {
            do { _ = try ResponseTargetSet.parse(head + body, name: "t.toml"); return "accepted" } catch { return "\(error)" }
        }
        XCTAssertTrue(refusal("form = \"percentChange\"\nquantity = \"WS\"\n[responses.r.on]\nwalmart.nowhere = 2\n")
            .contains("t.toml:11: walmart.nowhere"), "an unknown path")
        XCTAssertTrue(refusal("form = \"percentChange\"\nquantity = \"WS\"\n[responses.r.on]\nwalmart.priceIndex = 0.97\n[responses.r.off]\nwalmart.priceIndex = 0.97\n")
            .contains("t.toml:11: responses.r.on = walmart.priceIndex = 0.97: an intervention that changes nothing"))
        XCTAssertTrue(refusal("form = \"elasticity\"\nquantity = \"WS\"\nelasticityOf = \"amazon.priceIndex\"\n[responses.r.on]\nwalmart.priceIndex = 0.95\n")
            .contains("responses.r.elasticityOf = amazon.priceIndex"), "a zero denominator: the elasticity's parameter does not move")
        XCTAssertTrue(refusal("form = \"level\"\nquantity = \"WS+XX\"\n").contains("t.toml:9: responses.r.quantity = WS+XX"))
        XCTAssertTrue(refusal("form = \"level\"\nquantity = \"WS\"\n[responses.r.on]\nwalmart.priceIndex = 0.97\n").contains("no [on] or [off]"))
        XCTAssertTrue(refusal("quantity = \"WS\"\n").contains("needs a form"))
        XCTAssertTrue(refusal("form = \"level\"\nquantity = \"WS\"\ncategory = \"toys\"\n").contains("responses.r.category = toys: allowed: \"grocery\", \"general\""))
        XCTAssertTrue(refusal("form = \"level\"\nquantity = \"onlineShare\"\ncategory = \"grocery\"\n").contains("a category is bought from options"))
        XCTAssertEqual(refusal("requires = \"categories\"\n"), "accepted")
    }

    /// The lever table: each lever's effect is with it minus without on the
    /// same replicates; without Prime there are no Prime members, so Prime's
    /// effect on their share is the whole share; a lever that moves its
    /// retailer the other way than it expects is a miss; a lever that changes
    /// nothing, or expects of a metric it does not report, is refused before anything runs.
    func testLeverTableGivesEachLeversEffect() throws {
        let out = try results()
        var s = try spec("levers")
        s.levers = s.levers.filter { $0.name == "prime" || $0.name == "walmartPlus" }
        let primeLever = try XCTUnwrap(s.levers.first)
        XCTAssertEqual(primeLever.expect.map(\.metric), ["amazonShareOfOnline"])
        s.levers.append((name: "primeBackwards", off: primeLever.off, expect: [(metric: "amazonShareOfOnline", direction: .decrease)]))
        s.settings.append(Assignment(path: "run.weeks", value: .number(26), source: "test"))
        let record = try Reproduction.run(s, results: out, threads: 2, size: ReproductionSize(shoppers: 20_000, replicates: 5), root: root)
        XCTAssertEqual(record.checks.map(\.name), ["prime", "walmartPlus", "primeBackwards"])
        XCTAssertTrue(record.checks[0].pass, "Prime moves Amazon's online share up: \(record.checks[0].model)")
        XCTAssertFalse(record.checks[2].pass, "the same effect expected the other way is a miss")
        XCTAssertTrue(record.checks[2].tolerance.contains("lowers amazonShareOfOnline"), record.checks[2].tolerance)
        let rows = try String(contentsOfFile: "\(out)/levers/levers.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(rows.count, 1 + 3 * s.metrics.count)
        let prime = try XCTUnwrap(rows.first { $0[0] == "prime" && $0[1] == "primeShare" })
        XCTAssertEqual(Double(prime[3]), 0, "no Prime, no members")
        XCTAssertEqual(try XCTUnwrap(Double(prime[4])), try XCTUnwrap(Double(prime[2])), accuracy: 1e-12, "the effect is the whole share")

        let bad = try results() + "/levers.toml"
        try "kind = \"levers\"\nmetrics = \"primeShare\"\njudge = \"primeShare\"\ntolerance = 0.01\n[levers.none]\namazon.prime.enabled = true\n".write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReproductionSpec.read(bad)) { XCTAssertTrue("\($0)".contains("levers.toml:6: levers.none: a lever whose settings change nothing"), "\($0)") }
        try "kind = \"levers\"\nmetrics = \"primeShare\"\njudge = \"nowhere\"\ntolerance = 0.01\n[levers.prime]\namazon.prime.enabled = false\n".write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReproductionSpec.read(bad)) { XCTAssertTrue("\($0)".contains("nowhere"), "\($0)") }
        let lever = "kind = \"levers\"\nmetrics = \"primeShare\"\njudge = \"primeShare\"\ntolerance = 0.01\n[levers.prime]\namazon.prime.enabled = false\n"
        try (lever + "expect.amazonShareOfOnline = \"increase\"\n").write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReproductionSpec.read(bad)) {
            XCTAssertTrue("\($0)".contains("levers.prime.expect.amazonShareOfOnline: allowed: one of metrics (primeShare)"), "\($0)")
        }
        try (lever + "expect.primeShare = \"up\"\n").write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReproductionSpec.read(bad)) { XCTAssertTrue("\($0)".contains("levers.toml:7: levers.prime.expect.primeShare = \"up\": allowed"), "\($0)") }
    }

    /// Every committed experiment file reads; bad ones are refused by line.
    func testExperimentFilesReadAndBadOnesAreRefused() throws {
        let specs = try ReproductionSpec.readAll(folder: root + "/Experiments/reproduce")
        XCTAssertEqual(Set(specs.map(\.kind)), Set(ReproductionSpec.Kind.allCases))
        XCTAssertTrue(specs.filter { $0.kind == .paired }.allSatisfy { $0.replicates >= 20 }, "claims need 20 or more replicates")
        // The article's claims start from the present the history run reached (issue 25).
        for claim in specs where claim.kind == .paired {
            XCTAssertEqual(claim.scenarioFile, "Experiments/scenarios/us-history.toml", claim.name)
            XCTAssertEqual(claim.fork, WeekCalendar.day(text: "2024-01-01"), claim.name)
        }
        let folder = try results()
        let bad = folder + "/bad.toml"
        let history = root + "/Experiments/scenarios/us-history.toml"
        let claim = "kind = \"paired\"\nscenario = \"\(history)\"\n[on]\namazon.priceIndex = 1.1\n[off]\namazon.priceIndex = 1\n[expect]\nprimeShare = \"increase\"\n"
        try ("fork = 2031-01-01\n" + claim).write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReproductionSpec.read(bad)) {
            XCTAssertTrue("\($0)".contains("fork = 2031-01-01: outside the run of") && "\($0)".contains("allowed: a date from 2014-10-13"), "\($0)")
        }
        try ("fork = 2024-02-30\n" + claim).write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReproductionSpec.read(bad)) { XCTAssertTrue("\($0)".contains("fork = 2024-02-30: allowed: a date YYYY-MM-DD"), "\($0)") }
        try ("fork = 2024-01-01\n" + claim.replacingOccurrences(of: "[on]\n", with: "[on]\npopulation.shoppers = 5000\n")).write(toFile: bad, atomically: true, encoding: .utf8)
        let forked = try ReproductionSpec.read(bad)
        XCTAssertThrowsError(try Reproduction.run(forked, results: folder, threads: 2, size: ReproductionSize(shoppers: 2000, replicates: 2), root: root)) {
            XCTAssertTrue("\($0)".contains("population.shoppers") && "\($0)".contains("forks from week 482"), "\($0)")
        }
        try "kind = \"paired\"\n[on]\namazon.priceIndex = 1\n[off]\namazon.priceIndex = 1\n[expect]\nprimeShare = \"up\"\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReproductionSpec.read(bad)) { XCTAssertTrue("\($0)".contains("bad.toml:7: expect.primeShare = \"up\": allowed: \"increase\" or \"decrease\""), "\($0)") }
        try "kind = \"paired\"\ncolour = 3\n".write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReproductionSpec.read(bad)) { XCTAssertTrue("\($0)".contains("bad.toml:2: colour: unknown key"), "\($0)") }
    }
}
