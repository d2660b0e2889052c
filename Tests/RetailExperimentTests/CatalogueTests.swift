import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// The parameter and metric catalogues: paths that name their Swift
/// properties, references generated from them, JSON that parses.
final class CatalogueTests: XCTestCase {
    private let root = repositoryRoot

    /// Every path is spelled as its Swift property: a search for
    /// `amazon.prime.monthlyFee` finds `parameters.amazon.prime.monthlyFee`.
    /// The exceptions are listed: option constants are one array indexed by
    /// option, and choices go through their enum's raw value.
    func testEveryParameterPathIsItsKeyPath() {
        let exceptions = Set(Option.allCases.map { "choice.constants.\($0.code)" }
            + ["choice.distanceDecay", "choice.waitForm", "amazon.strategy.pricing", "walmart.strategy.pricing", "membership.localScope", "geography.kind", "walmart.network.siting", "run.calendar"])
        var checked = 0
        for p in ParameterCatalog.all where !exceptions.contains(p.path) {
            let expected = "\\Scenario." + (p.path.hasPrefix("run.") ? p.path : "model." + p.path)
            XCTAssertEqual(p.keyPathText, expected, p.path)
            checked += 1
        }
        XCTAssertEqual(checked, ParameterCatalog.all.count - exceptions.count)
        XCTAssertTrue(ParameterCatalog.all.allSatisfy { !$0.meaning.isEmpty }, "every parameter says what it means")
    }

    /// docs/PARAMETERS.md and docs/METRICS.md are what the catalogues print.
    func testGeneratedReferencesAreCurrent() throws {
        let parameters = try String(contentsOf: root.appendingPathComponent("docs/PARAMETERS.md"), encoding: .utf8)
        XCTAssertEqual(parameters, ParameterCatalog.markdown(),
                       "docs/PARAMETERS.md is stale: retailsim scenario show --format markdown > docs/PARAMETERS.md")
        let metrics = try String(contentsOf: root.appendingPathComponent("docs/METRICS.md"), encoding: .utf8)
        XCTAssertEqual(metrics, MetricCatalog.markdown(), "docs/METRICS.md is stale: retailsim metrics --format markdown > docs/METRICS.md")
        for p in ParameterCatalog.all { XCTAssertTrue(parameters.contains("| `\(p.path)` |"), p.path) }
        for m in MetricCatalog.all { XCTAssertTrue(metrics.contains("| `\(m.name)` |"), m.name) }
    }

    /// `retailsim metrics --format json` and `scenario show --format json`
    /// parse, hold every entry, and carry the values a scenario sets.
    func testCatalogueJSONParses() throws {
        let metrics = try runTool(retailsimBinary, ["metrics", "--format", "json"])
        XCTAssertEqual(metrics.status, 0)
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(metrics.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(list.compactMap { $0["name"] as? String }, MetricCatalog.names)
        XCTAssertTrue(list.allSatisfy { Metric.Kind.allCases.map(\.rawValue).contains($0["kind"] as? String ?? "") })

        let shown = try runTool(retailsimBinary, ["scenario", "show", "--format", "json", "--set", "amazon.prime.monthlyFee=9.5"])
        XCTAssertEqual(shown.status, 0, shown.err)
        let parameters = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(shown.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(parameters.count, ParameterCatalog.all.count)
        let fee = try XCTUnwrap(parameters.first { $0["path"] as? String == "amazon.prime.monthlyFee" })
        XCTAssertEqual(fee["value"] as? Double, 9.5)
        XCTAssertEqual(fee["default"] as? Double, 14.99)
        XCTAssertEqual(fee["unit"] as? String, "dollars a month")
        let decay = try XCTUnwrap(parameters.first { $0["path"] as? String == "choice.distanceDecay" })
        XCTAssertEqual(decay["choices"] as? [String], ["generalisedCost", "linear", "power"])
        let pricing = try XCTUnwrap(parameters.first { $0["path"] as? String == "amazon.strategy.pricing" })
        XCTAssertEqual(pricing["choices"] as? [String], ["match", "bestResponse", "learn", "shareTarget", "fixed"])
    }

    /// A metric's kind, not its name, sets its range, and every metric a run
    /// reports lies in it; summary.json holds every non-option metric by name.
    func testMetricKindsBoundTheValues() throws {
        XCTAssertEqual(MetricCatalog.metric("primeSpendRatio")?.kind, .ratio)
        XCTAssertEqual(MetricCatalog.metric("plusShareChange")?.kind.range, -1...1)
        XCTAssertEqual(Set(MetricCatalog.names).count, MetricCatalog.names.count, "names are unique")
        XCTAssertThrowsError(try MetricCatalog.metric(named: "primeShares", source: "--metric")) { error in
            XCTAssertTrue("\(error)".hasPrefix("--metric: primeShares: unknown metric; allowed: spendShare.A"), "\(error)")
        }
    }

    /// Nothing in the repository points at files outside it (a reference
    /// model, reviews, a machine's own folders): a fresh clone is the whole story.
    func testNothingReferencesFilesOutsideTheRepository() throws {
        let outside = ["../shared", "shared/MODEL.md", "shared/EVIDENCE", "shared/reviews", "shared/fuzz", "shared/geo", "/work/"]
        let skip: Set<String> = [".build", ".git", ".swiftpm", "runs", "sweeps"]
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey])!
        var read = 0
        for case let url as URL in files {
            if skip.contains(url.lastPathComponent) || url.lastPathComponent.hasPrefix(".build") { files.skipDescendants(); continue }
            guard (try url.resourceValues(forKeys: [.isDirectoryKey])).isDirectory == false, url.path != #filePath,
                  let data = try? Data(contentsOf: url), data.count < 8_000_000, let text = String(data: data, encoding: .utf8) else { continue }
            read += 1
            for needle in outside where text.contains(needle) {
                XCTFail("\(url.path.replacingOccurrences(of: root.path + "/", with: "")) refers to \(needle)")
            }
        }
        XCTAssertGreaterThan(read, 100)
    }
}

/// The options are a table (`Option`: code, title, retailer, channel) that
/// the tallies, the outputs and the metric catalogue read: every option has
/// its columns and metrics, and every sum over options (online, a retailer's,
/// a retailer's online) is the sum of the table's rows, on a real run.
final class OptionTableTests: XCTestCase {
    func testTalliesOutputsAndCatalogueFollowTheTable() throws {
        XCTAssertEqual(Set(Option.allCases.map(\.code)).count, Option.count, "codes are unique")
        XCTAssertEqual(Option.online, Option.allCases.filter { $0.channel == .online })
        for r in RetailerID.allCases {
            XCTAssertFalse(Option.sold(by: r).isEmpty, "\(r.name) sells something")
            XCTAssertEqual(Option.sold(by: r, channel: .online), Option.sold(by: r).filter(\.isOnline))
        }
        for o in Option.allCases {
            XCTAssertNotNil(MetricCatalog.metric("spendShare.\(o.code)"), o.code)
            XCTAssertNotNil(MetricCatalog.metric("tripShare.\(o.code)"), o.code)
        }
        let online = Option.online.map(\.code)
        XCTAssertEqual(MetricCatalog.metric("onlineShare")?.computation, "(\(online.joined(separator: " + "))) / all spend")

        let s = try scenario(settings: ["population.shoppers=3000", "run.weeks=6", "run.warmupWeeks=0", "run.replicates=1"])
        let result = try Replicates.run(s, threads: 2)
        let totals = ReplicateTotals(weeks: result.replicates[0], warmupWeeks: 0, shoppers: 3000)
        func value(_ name: String) throws -> Double { try XCTUnwrap(MetricCatalog.metric(name)).value(totals) }
        let shares = try Dictionary(uniqueKeysWithValues: Option.allCases.map { ($0, try value("spendShare.\($0.code)")) })
        XCTAssertEqual(shares.values.reduce(0, +), 1, accuracy: 1e-12, "every option's spend counted once")
        XCTAssertEqual(try value("onlineShare"), Option.online.reduce(0) { $0 + shares[$1]! }, accuracy: 1e-12)
        XCTAssertEqual(try value("walmartShareOfAll"), Option.sold(by: .walmart).reduce(0) { $0 + shares[$1]! }, accuracy: 1e-12)
        for r in RetailerID.allCases {
            let sold = Option.sold(by: r, channel: .online).reduce(0) { $0 + shares[$1]! }
            XCTAssertEqual(try value("\(r.name)ShareOfOnline"), sold / (try value("onlineShare")), accuracy: 1e-12, r.name)
            // The ledger's revenue is the retailer's options' spend, week by week.
            for w in result.replicates[0] {
                let line = r == .amazon ? w.amazon : w.walmart
                XCTAssertEqual(line.revenue, Option.sold(by: r).reduce(0) { $0 + w.revenue($1) }, accuracy: 1e-9 * max(1, line.revenue))
            }
        }
        // Every output file names each option by its code.
        let folder = try temporaryFolder()
        try RunOutput.write(result, to: folder.path)
        let regions = try String(contentsOfFile: folder.appendingPathComponent("regions.csv").path, encoding: .utf8)
        for o in Option.allCases { XCTAssertTrue(regions.split(separator: "\n")[0].contains("spendShare.\(o.code)"), o.code) }
        let weekly = try String(contentsOfFile: folder.appendingPathComponent("weekly.csv").path, encoding: .utf8)
        for o in Option.allCases { XCTAssertTrue(weekly.contains(",\(o.code),"), "weekly.csv has rows of \(o.code)") }
    }
}

/// Brick Meets Click's ship-to-home as the model counts it: a grocery order
/// is shipped when it waits a day or more, whichever retailer sends it; the
/// weight of a day's wait is what moves fresh groceries off parcels, and
/// shelf-stable ones ship whatever it is.
final class ShippedGroceryTests: XCTestCase {
    /// Every grocery trip fresh unless the settings say otherwise.
    private func totals(_ settings: [String]) throws -> ReplicateTotals {
        let s = try scenario(settings: ["population.shoppers=4000", "run.weeks=8", "run.warmupWeeks=0", "run.replicates=1",
                                        "walmart.pickup.offered=true", "choice.grocery.tripShare=0.3", "choice.grocery.freshShare=1"] + settings)
        return ReplicateTotals(weeks: try Replicates.run(s, threads: 2).replicates[0], warmupWeeks: 0, shoppers: 4000)
    }

    private func shipped(_ t: ReplicateTotals) throws -> Double { try XCTUnwrap(MetricCatalog.metric("shippedShareOfOnlineGrocery")).value(t) }

    func testAnOrderIsShippedWhenItWaitsADayOrMore() throws {
        // Every Amazon-like wait a day or more, every Walmart-like and other seller's one within the day: A's groceries alone are shipped.
        let amazonSlow = ["amazon.hours.sameDay=24", "amazon.hours.nextDay=30", "amazon.hours.standard=48", "amazon.hours.nonMember=120",
                          "walmart.hours.hub=3", "walmart.hours.hubAugmented=2", "walmart.hours.standard=20",
                          "choice.grocery.otherOnlineHours=8"]
        var t = try totals(amazonSlow)
        XCTAssertGreaterThan(t.grocerySpend([.amazon]), 0)
        XCTAssertEqual(try shipped(t), t.grocerySpend([.amazon]) / t.grocerySpend(Option.online), accuracy: 1e-9)
        // The Walmart-like retailer's too, once all its waits are a day or more.
        t = try totals(amazonSlow.dropLast(4) + ["walmart.hours.hub=24", "walmart.hours.hubAugmented=24", "walmart.hours.standard=48",
                                                 "choice.grocery.otherOnlineHours=8"])
        XCTAssertEqual(try shipped(t), t.grocerySpend([.amazon, .walmartOnline]) / t.grocerySpend(Option.online), accuracy: 1e-9)
        // And other sellers' when their groceries ship; pickup never is.
        t = try totals(amazonSlow.dropLast(4) + ["walmart.hours.hub=24", "walmart.hours.hubAugmented=24", "walmart.hours.standard=48",
                                                 "choice.grocery.otherOnlineHours=72"])
        XCTAssertEqual(try shipped(t), 1 - t.grocerySpend([.walmartPickup]) / t.grocerySpend(Option.online), accuracy: 1e-9)
        // Same-day everywhere: nothing is shipped.
        t = try totals(["amazon.hours.sameDay=4", "amazon.hours.nextDay=4", "amazon.hours.standard=4", "amazon.hours.nonMember=4",
                        "walmart.hours.standard=4", "choice.grocery.otherOnlineHours=8"])
        XCTAssertEqual(try shipped(t), 0)
    }

    func testAHeavierLateDayMovesGroceriesOffParcels() throws {
        // Other sellers' groceries shipped too (their general wait), as Amazon-like ones.
        let light = try totals(["choice.grocery.lateDayWeight=0.1", "choice.grocery.otherOnlineHours=72"])
        let heavy = try totals(["choice.grocery.lateDayWeight=2", "choice.grocery.otherOnlineHours=72"])
        XCTAssertLessThan(try shipped(heavy), 0.5 * (try shipped(light)))
        XCTAssertGreaterThan(try shipped(light), 0)
    }

    /// Other sellers' shelf-stable groceries ship on their general wait while
    /// their fresh ones come within the day: with only Amazon-like orders
    /// otherwise waiting, the shipped spend is Amazon-like grocery and other
    /// sellers' shelf-stable grocery, and their mean wait is the two waits
    /// mixed by orders.
    func testShelfStableGroceriesFromOtherSellersShip() throws {
        let settings = ["amazon.hours.sameDay=24", "amazon.hours.nextDay=30", "amazon.hours.standard=48", "amazon.hours.nonMember=120",
                        "walmart.hours.hub=3", "walmart.hours.hubAugmented=2", "walmart.hours.standard=20",
                        "choice.grocery.otherOnlineHours=8", "choice.otherOnlineHours=72", "choice.grocery.lateDayWeight=3"]
        let allFresh = try totals(settings), split = try totals(settings + ["choice.grocery.freshShare=0.4"])
        XCTAssertEqual(try shipped(allFresh), allFresh.grocerySpend([.amazon]) / allFresh.grocerySpend(Option.online), accuracy: 1e-9)
        // Other sellers' grocery spend beyond the Amazon-like retailer's is shipped: part of it, not none and not all.
        let othersShipped = try shipped(split) * split.grocerySpend(Option.online) - split.grocerySpend([.amazon])
        XCTAssertGreaterThan(othersShipped, 0.2 * split.grocerySpend([.otherOnline]))
        XCTAssertLessThan(othersShipped, 0.95 * split.grocerySpend([.otherOnline]))
        // Shelf-stable trips do not pay for a late day: the Amazon-like retailer, whose every wait is a day
        // or more here, sells a larger share of grocery than when every trip is fresh.
        func amazonShare(_ t: ReplicateTotals) -> Double { t.grocerySpend([.amazon]) / t.grocerySpend(Option.allCases) }
        XCTAssertGreaterThan(amazonShare(split), 1.1 * amazonShare(allFresh))
        // Other sellers' mean wait lies between their fresh grocery wait and their general one.
        let wait = split.waitHours[Option.otherOnline.rawValue] / split.trips(.otherOnline)
        XCTAssertGreaterThan(wait, 8)
        XCTAssertLessThan(wait, 72)
    }
}
