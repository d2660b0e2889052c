import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

final class RunTests: XCTestCase {
    private var folders: [URL] = []

    private func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-\(name)-\(getpid())-\(folders.count)")
        try? FileManager.default.removeItem(at: url)
        folders.append(url)
        return url
    }

    override func tearDown() {
        for f in folders { try? FileManager.default.removeItem(at: f) }
        folders = []
    }

    private func small(_ extra: [String] = []) throws -> Scenario {
        try scenario(settings: (["population.shoppers=25003", "run.weeks=30", "run.warmupWeeks=4",
                                                    "run.replicates=2", "run.seed=7"] + extra))
    }

    /// The price rules that draw (learn's tested chunks) or search (the
    /// leader's yearly price, best response's demand pass) give the same bytes
    /// on 1 and 8 threads too: their draws are keyed by chunk, their sums made in chunk order.
    /// With pickup and the grocery category on, so that the week's category
    /// draws and the demand pass's two categories are covered too.
    func testPriceRulesGiveIdenticalBytesForAnyThreadCount() throws {
        let s = try small(["amazon.strategy.pricing=learn", "walmart.strategy.pricing=leader", "run.weeks=60",
                           "walmart.pickup.offered=true", "choice.grocery.tripShare=0.3", "choice.grocery.onlineShift=-1",
                           "choice.grocery.lateDayWeight=1"])
        var contents: [[Data]] = []
        for threads in [1, 8] {
            let folder = try temporaryFolder("rules\(threads)")
            try RunOutput.write(try Replicates.run(s, threads: threads), to: folder.path)
            contents.append(try RunOutput.fileNames.map { try Data(contentsOf: folder.appendingPathComponent($0)) })
        }
        for (k, name) in RunOutput.fileNames.enumerated() { XCTAssertEqual(contents[0][k], contents[1][k], "\(name): 1 vs 8 threads") }
        // The rules did act: learn moved the Amazon-like price.
        let text = String(decoding: contents[0][RunOutput.fileNames.firstIndex(of: "retailers.csv")!], as: UTF8.self)
        let amazonPrices = Set(text.split(separator: "\n").filter { $0.contains(",amazon,") }.map { $0.split(separator: ",")[3] })
        XCTAssertGreaterThan(amazonPrices.count, 1)
    }

    /// The category metrics: 0 while the grocery category is off; with it
    /// on, grocery's share of spend is its share of trips (one basket), each
    /// share lies in (0, 1), and pickup has online grocery only where it is offered.
    func testCategoryMetricsFollowTheCategory() throws {
        let names = ["groceryShare", "groceryShareOfWalmart", "walmartShareOfGrocery", "onlineShareOfGrocery",
                     "pickupShareOfOnlineGrocery", "walmartShareOfGroceryDelivery", "shippedShareOfOnlineGrocery"]
        for m in try Replicates.run(try small(["choice.grocery.tripShare=0"]), threads: 2).metrics {
            for name in names { XCTAssertEqual(m[name], 0, "\(name) without the category") }
        }
        let on = try Replicates.run(try small(["choice.grocery.tripShare=0.3", "choice.grocery.walmartShift=1",
                                               "walmart.pickup.offered=true", "choice.constants.WP=-1"]), threads: 2).metrics
        let noPickup = try Replicates.run(try small(["choice.grocery.tripShare=0.3", "choice.grocery.walmartShift=1",
                                                     "walmart.pickup.offered=false"]), threads: 2).metrics
        for m in on {
            XCTAssertEqual(m["groceryShare"]!, 0.3, accuracy: 0.01)
            for name in names { XCTAssertTrue(m[name]! > 0 && m[name]! < 1, "\(name) = \(m[name]!)") }
            // Walmart's grocery shift makes grocery a larger part of Walmart's spend than of the market's.
            XCTAssertGreaterThan(m["groceryShareOfWalmart"]!, m["groceryShare"]!)
        }
        for m in noPickup { XCTAssertEqual(m["pickupShareOfOnlineGrocery"], 0) }
    }

    /// regions.csv's category columns: with every price 1 a grocery trip
    /// spends what a general one does, so grocery's share of each region's
    /// expected spend is the category's chance exactly; a negative online
    /// shift makes online grocery's share of grocery smaller than online's
    /// share of all spend in every region.
    func testRegionsSplitGroceryAsTheCategorySays() throws {
        let s = try small(["choice.grocery.tripShare=0.3", "choice.grocery.onlineShift=-1", "amazon.priceIndex=1", "walmart.priceIndex=1",
                           "amazon.strategy.enabled=false", "walmart.strategy.enabled=false", "run.replicates=1"])
        let regions = try XCTUnwrap(try Replicates.run(s, threads: 2).replicates[0].last?.regions)
        var checked = 0
        for k in 0..<regions.groupCount where regions.households[k] >= 50 {
            XCTAssertEqual(regions.groceryShare(k), 0.3, accuracy: 1e-6, regions.names[k])
            XCTAssertLessThan(regions.shareOfGrocery(k, Option.online), regions.onlineShare(k), regions.names[k])
            XCTAssertGreaterThan(regions.shareOfGrocery(k, Option.sold(by: .walmart)), 0, regions.names[k])
            checked += 1
        }
        XCTAssertGreaterThan(checked, 10)
        let off = try Replicates.run(try small(["choice.grocery.tripShare=0", "run.replicates=1"]), threads: 2)
        let none = try XCTUnwrap(off.replicates[0].last?.regions)
        for k in 0..<none.groupCount { XCTAssertEqual(none.groceryShare(k), 0, none.names[k]) }
    }

    /// The same seed and scenario give identical bytes for 1, 2 and 8 threads.
    func testIdenticalBytesForAnyThreadCount() throws {
        let s = try small()
        var contents: [[Data]] = []
        for threads in [1, 2, 8] {
            let folder = try temporaryFolder("threads\(threads)")
            try RunOutput.write(try Replicates.run(s, threads: threads), to: folder.path)
            contents.append(try RunOutput.fileNames.map { try Data(contentsOf: folder.appendingPathComponent($0)) })
        }
        for (k, name) in RunOutput.fileNames.enumerated() {
            XCTAssertEqual(contents[0][k], contents[1][k], "\(name): 1 vs 2 threads")
            XCTAssertEqual(contents[0][k], contents[2][k], "\(name): 1 vs 8 threads")
        }
        // And a different seed gives different results.
        let other = try Replicates.run(try small(["run.seed=8"]), threads: 2)
        let folder = try temporaryFolder("seed8")
        try RunOutput.write(other, to: folder.path)
        XCTAssertNotEqual(try Data(contentsOf: folder.appendingPathComponent("weekly.csv")), contents[0][0])
    }

    /// The files of docs/MODEL.md section 11, with their columns and rows.
    func testOutputFilesHaveTheStableFormat() throws {
        let s = try small()
        let folder = try temporaryFolder("format")
        try RunOutput.write(try Replicates.run(s, threads: 2), to: folder.path)
        func lines(_ name: String) throws -> [String] {
            try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map(String.init)
        }
        let weekly = try lines("weekly.csv")
        XCTAssertEqual(weekly[0], "replicate,week,segment,option,trips,revenue,groceryTrips,groceryRevenue,date")
        XCTAssertEqual(weekly.count, 1 + 2 * 30 * 3 * 6)
        // The grocery columns (0.13.0) are part of each row's trips and spend;
        // with the category on, every segment buys groceries from the Walmart-like store.
        let rows = weekly.dropFirst().map { $0.split(separator: ",").map(String.init) }
        for row in rows {
            XCTAssertLessThanOrEqual(Int(row[6])!, Int(row[4])!, row.joined(separator: ","))
            XCTAssertLessThanOrEqual(Double(row[7])!, Double(row[5])! + 0.01, row.joined(separator: ","))
        }
        if s.model.choice.grocery.tripShare > 0 {
            for segment in Segment.allCases {
                XCTAssertGreaterThan(rows.filter { $0[2] == segment.name && $0[3] == "WS" }.reduce(0) { $0 + Int($1[6])! }, 0, segment.name)
            }
        }
        let members = try lines("members.csv")
        XCTAssertEqual(members[0], "replicate,week,segment,programme,members,date")
        XCTAssertEqual(members.count, 1 + 2 * 30 * 3 * 2)
        let waits = try lines("waits.csv")
        XCTAssertEqual(waits[0], "replicate,week,option,orders,meanWaitHours,date")
        XCTAssertEqual(waits.count, 1 + 2 * 30 * 4)
        XCTAssertEqual(Set(waits.dropFirst().map { $0.split(separator: ",")[2] }), ["A", "WO", "OO", "WP"])
        let retailers = try lines("retailers.csv")
        // responsePrice and margin (0.6.0) and date (0.21.0) were added at the end, so readers by position keep working.
        XCTAssertEqual(retailers[0], "replicate,week,retailer,priceIndex,facilities,hubs,personalization,inStock,revenue,profit,responsePrice,margin,date")
        XCTAssertEqual(retailers.count, 1 + 2 * 30 * 2)

        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("summary.json"))) as! [String: Any]
        XCTAssertEqual(summary["scenario"] as? String, "baseline")
        XCTAssertEqual(summary["seed"] as? Int, 7)
        XCTAssertEqual(summary["version"] as? String, RetailSimVersion.string)
        let options = summary["options"] as! [String: [String: [String: Any]]]
        var total = 0.0
        for o in Option.allCases {
            let share = options[o.code]!["spendShare"]!
            let mean = share["mean"] as! Double
            let ci = share["ci95"] as! [Double]
            XCTAssertLessThanOrEqual(ci[0], mean)
            XCTAssertGreaterThanOrEqual(ci[1], mean)
            XCTAssertNotNil(share["sd"] as? Double)
            total += mean
        }
        XCTAssertEqual(total, 1, accuracy: 1e-9)
        for key in ["onlineShare", "amazonShareOfOnline", "walmartShareOfOnline", "walmartShareOfAll", "primeShare", "plusShare"] {
            XCTAssertNotNil((summary[key] as? [String: Any])?["mean"] as? Double, key)
        }
        XCTAssertEqual(try Scenario.load(file: folder.appendingPathComponent("scenario.json").path, assignments: []), s)
    }

    /// Any replicate can be re-run alone and gives the same weeks.
    func testReplicateIsReproducibleAlone() throws {
        let s = try small()
        let both = try Replicates.run(s, threads: 2)
        let market = try Market(parameters: s.model, seed: 7, replicate: 2, threads: 1)
        var alone = (0..<s.run.weeks).map { _ in market.advanceWeek() }
        // A run closes each replicate with its region outcome.
        alone[alone.count - 1].regions = market.measureRegions()
        XCTAssertEqual(both.replicates[1], alone)
        XCTAssertNotEqual(both.replicates[0], both.replicates[1])
    }

    /// A file that is not committed never appears; an old file stays whole
    /// until the new one replaces it.
    func testAtomicFileLeavesOldOrNewNeverHalf() throws {
        let folder = try temporaryFolder("atomic")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("weekly.csv").path
        try AtomicFile.write("old\n", to: path)
        do {
            let file = try AtomicFile(path: path)
            try file.write(String(repeating: "new line\n", count: 300_000))
            // Abandoned before commit, as a killed run would be.
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["weekly.csv"])
        try AtomicFile.write("new\n", to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new\n")
    }
}

/// Corners of the parameter space run to the end with finite, consistent figures.
final class EdgeCaseTests: XCTestCase {
    func testCornersOfTheParameterSpaceRun() throws {
        let corners: [[String]] = [
            ["population.shoppers=1", "run.weeks=1", "run.warmupWeeks=0"],
            ["population.shoppers=3", "geography.cities=1", "amazon.fulfillmentCenters=1", "amazon.sameDaySites=1"],
            ["geography.towns=0", "geography.remoteShare=1"],
            ["population.urbanShare=1", "geography.towns=0"],
            ["population.urbanShare=0"],
            ["amazon.sameDaySites=0", "amazon.fulfillmentCenters=0", "walmart.hubRadiusKm=0", "amazon.sameDayRadiusKm=0"],
            ["shoppers.heterogeneity=0", "choice.habitDecay=1"],
            ["walmart.peoplePerStore=1e9", "walmart.initialHubShare=1"],
            ["choice.distanceDecay=power", "choice.powerExponent=0"],
            ["shoppers.priceSensitivity.median=1e-13", "choice.constants.A=50"],
            ["geography.widthKm=0.001", "geography.heightKm=0.001"],
            ["membership.innovation=100", "membership.churn=100"],
        ]
        for corner in corners {
            var settings = ["population.shoppers=500", "run.weeks=27", "run.warmupWeeks=0"]
            settings += corner
            let s = try scenario(settings: settings)
            let result = try Replicates.run(s, threads: 2)
            for m in result.metrics {
                for (name, value) in zip(MetricCatalog.names, m.values) {
                    XCTAssertTrue(value.isFinite && MetricCatalog.metric(name)!.kind.range.contains(value), "\(corner): \(name) = \(value)")
                }
            }
            XCTAssertNoThrow(try RunOutput.summaryJSON(result), "\(corner)")
        }
    }
}
