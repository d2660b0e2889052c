import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// Interventions at a place (issue 24, item 5): a facility opened or closed
/// at a point from a week, and the distance bands around it in regions.csv.
final class FacilityChangeTests: XCTestCase {
    /// A small synthetic country with both strategies frozen, so that what
    /// moves is the households' answer to the change, not the retailers'.
    /// One store for 2 million people, so that some cities have none.
    private let small = ["geography.kind=synthetic", "population.shoppers=50000", "run.weeks=10", "run.seed=5",
                         "amazon.strategy.enabled=false", "walmart.strategy.enabled=false", "walmart.peoplePerStore=2000000"]

    /// A scenario from `--set` settings and facility changes ACTION:KIND:A,B:WEEK,
    /// the place A,B as xKm,yKm in the synthetic country and degrees in the real one.
    private func load(_ settings: [String], facilities: [String] = []) throws -> Scenario {
        var assignments = try settings.map { try Scenario.commandLineAssignment($0) }
        let synthetic = settings.contains("geography.kind=synthetic")
        for (k, text) in facilities.enumerated() {
            let parts = text.split(separator: ":").map(String.init), place = parts[2].split(separator: ",").map(String.init)
            let fields = ["action": parts[0], "kind": parts[1], "week": parts[3],
                          synthetic ? "xKm" : "latitude": place[0], synthetic ? "yKm" : "longitude": place[1]]
            for (field, value) in fields.sorted(by: { $0.key < $1.key }) {
                assignments.append(Assignment(path: "facility.[\(k + 1)].\(field)", value: field == "action" || field == "kind" ? .text(value)
                                                  : ScenarioValue(commandLine: value), source: "test \(k + 1)"))
            }
        }
        return try Scenario.load(file: nil, assignments: assignments)
    }

    /// The bands of place 1 at the run's end, by band name.
    private func bands(_ s: Scenario, threads: Int = 2) throws -> [String: (households: Double, storeShare: Double, onlineShare: Double)] {
        let weeks = try XCTUnwrap(try Replicates.run(s, threads: threads).replicates.first)
        let r = try XCTUnwrap(weeks.last?.regions)
        var out: [String: (Double, Double, Double)] = [:]
        for g in 0..<r.groupCount where r.kinds[g] == "band" && r.names[g].hasPrefix("place 1 at ") {
            out[String(r.names[g].dropFirst("place 1 at ".count))] = (r.households[g], r.spendShare(g, .walmartStore), r.onlineShare(g))
        }
        return out.mapValues { (households: $0.0, storeShare: $0.1, onlineShare: $0.2) }
    }

    /// The city or town with the most households within 5 km of its centre
    /// among those with no store within 10 km (a store's trade area): where
    /// a new store changes most.
    private func remoteTown(_ s: Scenario) throws -> Point {
        let market = try Market(parameters: s.model, seed: UInt64(s.run.seed), replicate: 1, threads: 2)
        let far = (market.geography.cities + market.geography.towns).map(\.centre).filter { (market.facilities.nearest(.store, to: $0)?.km ?? 0) > 10 }
        let best = try XCTUnwrap(far.max { market.grid.count(within: 5, of: $0, in: market.shoppers) < market.grid.count(within: 5, of: $1, in: market.shoppers) })
        XCTAssertGreaterThan(market.grid.count(within: 5, of: best, in: market.shoppers), 20, "households live in the town")
        return best
    }

    private func place(_ p: Point) -> String { "\(p.x),\(p.y)" }

    /// A store opened in a town without one takes the town's store trips to
    /// Walmart: the households 2 to 5 km away shop at it a fifth more than in
    /// the paired run that only watches the place (same seeds), and those 20
    /// to 50 km away gain less.
    func testAStoreOpenedWhereThereIsNoneServesTheHouseholdsAroundIt() throws {
        let town = try remoteTown(try load(small))
        let watched = try bands(try load(small, facilities: ["watch:store:\(place(town)):2"]))
        let opened = try bands(try load(small, facilities: ["open:store:\(place(town)):2"]))
        XCTAssertEqual(Set(watched.keys), Set(FacilityChange.bandEdgesKm.indices.dropLast().map(FacilityChange.bandName)))
        for band in watched.keys { XCTAssertEqual(watched[band]!.households, opened[band]!.households, "the same households in \(band)") }
        let near = try XCTUnwrap(opened["2-5 km"]), nearBefore = try XCTUnwrap(watched["2-5 km"])
        XCTAssertGreaterThan(near.storeShare, nearBefore.storeShare * 1.2, "Walmart's store share next to the new store")
        let farGain = opened["20-50 km"]!.storeShare - watched["20-50 km"]!.storeShare
        XCTAssertLessThan(farGain, near.storeShare - nearBefore.storeShare, "the gain falls with distance from the store")
    }

    /// Closing the store nearest a city's centre loses Walmart store trips
    /// around it, and facilities.csv records the week it closed.
    func testClosingTheNearestStoreLosesItsTrips() throws {
        let s = try load(small)
        let market = try Market(parameters: s.model, seed: 5, replicate: 1, threads: 2)
        let centre = market.geography.cities[0].centre
        let store = try XCTUnwrap(market.facilities.nearest(.store, to: centre))
        let at = market.facilities.stores[store.id]
        let watched = try bands(try load(small, facilities: ["watch:store:\(place(at)):3"]))
        let closed = try load(small, facilities: ["close:store:\(place(at)):3"])
        let after = try bands(closed)
        XCTAssertLessThan(after["0-2 km"]!.storeShare, watched["0-2 km"]!.storeShare, "fewer store trips where the store was")
        let m = try closed.market(replicate: 1, threads: 2)
        for _ in 0..<4 { _ = m.advanceWeek() }
        XCTAssertEqual(m.facilities.closeWeek[store.id], 3)
        XCTAssertFalse(m.facilities.isOpen[store.id])
        XCTAssertNotEqual(m.facilities.nearest(.store, to: at)?.id, store.id, "the nearest open store is another")
        let folder = try temporaryFolder()
        let file = try RunOutput.facilitiesFile(m, in: folder.path)
        try file.commit()
        let rows = try String(contentsOf: folder.appendingPathComponent("facilities.csv"), encoding: .utf8).split(separator: "\n")
        let header = rows[0].split(separator: ",").map(String.init)
        let closedWeek = try XCTUnwrap(header.firstIndex(of: "closedWeek"))
        XCTAssertEqual(rows[1 + store.id].split(separator: ",", omittingEmptySubsequences: false)[closedWeek], "3")
    }

    /// A dark store delivers and has no walk-in trips: households around it
    /// come inside an express radius, and their store distance does not change.
    func testADarkStoreDeliversWithoutWalkInTrips() throws {
        let base = try load(small)
        let town = try remoteTown(base)
        let s = try load(small, facilities: ["open:darkStore:\(place(town)):1"])
        let plain = try base.market(replicate: 1, threads: 2), dark = try s.market(replicate: 1, threads: 2)
        _ = plain.advanceWeek()
        _ = dark.advanceWeek()
        let id = try XCTUnwrap(dark.facilities.nearest(.darkStore, to: town)).id
        XCTAssertFalse(dark.facilities.walkIn[id])
        XCTAssertTrue(dark.facilities.isHub[id])
        XCTAssertEqual(dark.facilities.nearest(.store, to: town)?.km, plain.facilities.nearest(.store, to: town)?.km, "no walk-in store nearer")
        XCTAssertGreaterThan(dark.reach.share(.hub), plain.reach.share(.hub), "more households inside an express radius")
    }

    /// A watched place changes nothing in the weekly records, on any thread
    /// count; its bands are the same on one thread and on two.
    func testWatchingChangesNothingAndBandsDoNotDependOnThreads() throws {
        let plain = try Replicates.run(try load(small), threads: 2).replicates[0]
        let watching = try load(small, facilities: ["watch:store:1000,700:1", "watch:sameDaySite:2000,900:4"])
        let watched = try Replicates.run(watching, threads: 2).replicates[0]
        for (a, b) in zip(plain, watched) {
            XCTAssertEqual(a.revenue, b.revenue, "week \(a.week)")
            XCTAssertEqual(a.trips, b.trips, "week \(a.week)")
        }
        let one = try Replicates.run(watching, threads: 1).replicates[0].last!.regions
        XCTAssertEqual(one, watched.last!.regions, "regions and bands on one thread and two")
        XCTAssertEqual(watched.last!.regions!.kinds.filter { $0 == "band" }.count, 2 * FacilityChange.bandCount)
    }

    /// The real country (stores sited by the 10-K, so they have formats): a
    /// store opened at degrees lands in its state, with an express radius and
    /// the supercenter format, and writes back.
    func testARealStoreOpensAtItsDegreesAndWritesBack() throws {
        let s = try load(["population.shoppers=5000", "run.weeks=4", "run.seed=2", "walmart.network.siting=published"],
                         facilities: ["open:store:36.37,-94.21:2"])
        XCTAssertEqual(s.facilityChanges.count, 1)
        let m = try s.market(replicate: 1, threads: 2)
        let before = m.facilities.stores.count
        for _ in 0..<2 { _ = m.advanceWeek() }
        XCTAssertEqual(m.facilities.stores.count, before + 1)
        XCTAssertEqual(m.facilities.storeLabels.last?.state, "AR")
        XCTAssertEqual(m.facilities.storeFormats.last, .supercenter)
        XCTAssertGreaterThan(m.facilities.hubRadiusKm.last ?? 0, 30, "an express radius at its density class's speed")
        // Both writings read back to the same entries.
        let json = try ScenarioFile.parseJSON(Data(s.json().utf8), name: "scenario.json")
        XCTAssertEqual(try Scenario.load(file: nil, assignments: json).facilityChanges, s.facilityChanges)
        let folder = try temporaryFolder(), toml = folder.appendingPathComponent("s.toml")
        try s.toml(comment: ["test"]).write(to: toml, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Scenario.load(file: toml.path, assignments: []).facilityChanges, s.facilityChanges)
    }

    /// A scenario file's `[[facility]]` tables, and the refusals: each names
    /// where, the field, the value and what is allowed.
    func testScenarioEntriesAndRefusals() throws {
        let folder = try temporaryFolder()
        func file(_ text: String) throws -> String {
            let url = folder.appendingPathComponent("f\(UInt32.random(in: 0...UInt32.max)).toml")
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let good = try file("[[facility]]\nweek = 3\naction = \"open\"\nkind = \"sameDaySite\"\nlatitude = 41.88\nlongitude = -87.63\n"
                            + "[[facility]]\nweek = 5\naction = \"close\"\nkind = \"fulfillmentCenter\"\nlatitude = 33.75\nlongitude = -84.39\n")
        let s = try Scenario.load(file: good, assignments: [])
        XCTAssertEqual(s.facilityChanges.map(\.kind), [.sameDaySite, .fulfillmentCenter])
        XCTAssertEqual(s.facilityChanges.map(\.week), [3, 5])
        // By date: from the week that holds it, counted from run.start; written back as a date.
        let dated = try Scenario.load(file: try file("run.start = 2019-01-07\n[[facility]]\ndate = 2019-03-01\naction = \"open\"\nkind = \"store\"\n"
                                                     + "latitude = 41.88\nlongitude = -87.63\n"), assignments: [])
        XCTAssertEqual(dated.facilityChanges.map { $0.week(in: dated.calendar) }, [8])
        XCTAssertEqual(dated.facilityChanges.map(\.when), ["2019-03-01"])
        XCTAssertEqual(try Scenario.load(file: try file(dated.toml(comment: ["again"])), assignments: []), dated)
        func refused(_ text: String, _ needles: [String], file line: UInt = #line) throws {
            let path = try file(text)
            XCTAssertThrowsError(try Scenario.load(file: path, assignments: []), line: line) { error in
                let message = "\(error)"
                for n in needles { XCTAssertTrue(message.contains(n), "'\(n)' not in \(message)", line: line) }
            }
        }
        let place = "latitude = 41.88\nlongitude = -87.63\n"
        try refused("[[facility]]\nweek = 3\naction = \"build\"\nkind = \"store\"\n" + place, [":3", "action", "build", "\"open\", \"close\", \"watch\""])
        try refused("[[facility]]\nweek = 3\naction = \"open\"\nkind = \"warehouse\"\n" + place, ["kind", "warehouse", "\"darkStore\""])
        try refused("[[facility]]\nweek = 0\naction = \"open\"\nkind = \"store\"\n" + place, ["week", "0", "integer >= 1"])
        try refused("run.weeks = 10\n[[facility]]\nweek = 11\naction = \"open\"\nkind = \"store\"\n" + place, ["week", "11", "[1, 10]"])
        try refused("[[facility]]\naction = \"open\"\nkind = \"store\"\n" + place, ["without week (or date)"])
        try refused("[[facility]]\nweek = 3\ndate = 2024-01-20\naction = \"open\"\nkind = \"store\"\n" + place, ["both week and date"])
        try refused("[[facility]]\ndate = 2023-12-31\naction = \"open\"\nkind = \"store\"\n" + place, ["date", "2023-12-31", "outside the run", "from 2024-01-01 (run.start)"])
        try refused("[[facility]]\ndate = \"March\"\naction = \"open\"\nkind = \"store\"\n" + place, ["date", "March", "YYYY-MM-DD"])
        try refused("[[facility]]\nweek = 3\naction = \"open\"\nkind = \"store\"\nlatitude = 95\nlongitude = -87\n", ["latitude", "95", "[-90, 90]"])
        try refused("[[facility]]\nweek = 3\naction = \"open\"\nkind = \"store\"\nlatitude = 0\nlongitude = 0\n", ["km from the nearest region", "within 50 km"])
        try refused("[[facility]]\nweek = 3\naction = \"open\"\nkind = \"store\"\nlatitude = 41.88\n", ["latitude and longitude", "one pair and both"])
        try refused("[[facility]]\nweek = 3\naction = \"open\"\nkind = \"store\"\nxKm = 10\nyKm = 10\n", ["the real country's places are latitude and longitude"])
        try refused("geography.kind = \"synthetic\"\n[[facility]]\nweek = 3\naction = \"open\"\nkind = \"store\"\nxKm = 99999\nyKm = 10\n",
                    ["off the map", "geography.widthKm"])
        try refused("[[facility]]\nweek = 3\naction = \"open\"\nkind = \"store\"\nplace = 4\n", ["place", "allowed: one of them"])
        try refused("[[facility]]\nweek = 3\naction = \"open\"\nkind = \"store\"\ndelivers = 1\n" + place, ["delivers", "true or false"])
    }

    /// `--facility` on the command line: an entry, or a refusal with exit status 2 and nothing written.
    func testCommandLineFacility() throws {
        let out = try temporaryFolder().appendingPathComponent("run")
        assertRefused(try runTool(["run", "--facility", "open:store:36.37:2", "--out", out.path]),
                      ["--facility", "ACTION:KIND:LATITUDE,LONGITUDE:WEEK"], "malformed")
        assertRefused(try runTool(["run", "--facility", "open:mall:36.37,-94.21:2", "--out", out.path]), ["--facility 1", "kind", "mall"], "kind")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing written")
        let ok = try runTool(["run", "--households", "3000", "--weeks", "3", "--quiet", "--facility", "open:store:36.37,-94.21:2024-01-10",
                              "--facility", "watch:store:36.37,-94.21:1", "--out", out.path])
        XCTAssertEqual(ok.status, 0, ok.err)
        let regions = try String(contentsOf: out.appendingPathComponent("regions.csv"), encoding: .utf8)
        XCTAssertTrue(regions.contains(",band,place 2 at 0-2 km,"), "the watched place's bands: \(regions.suffix(300))")
        let recorded = try String(contentsOf: out.appendingPathComponent("scenario.json"), encoding: .utf8)
        XCTAssertTrue(recorded.contains(#""date": "2024-01-10", "action": "open""#), "a dated --facility is recorded by its date")
    }

    /// By ZCTA on request (`--write-zctas`, issue 24 item 5): each
    /// replicate's rows hold every simulated household once, the ZCTAs
    /// around the opened store come first by their km to it, `verify`
    /// makes the file again byte for byte, and the synthetic country, which
    /// has no ZCTAs, is refused by name before anything runs.
    func testByZCTAOnRequest() throws {
        let out = try temporaryFolder().appendingPathComponent("zctas")
        assertRefused(try runTool(["run", "--set", "geography.kind=synthetic", "--households", "2000", "--weeks", "2", "--write-zctas",
                                   "--out", out.path]), ["--write-zctas", "geography.kind", "synthetic", "us"], "synthetic")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing written")
        let ok = try runTool(["run", "--households", "6000", "--weeks", "3", "--replicates", "2", "--quiet", "--write-zctas",
                              "--facility", "open:store:39.74,-104.99:2", "--out", out.path])
        XCTAssertEqual(ok.status, 0, ok.err)
        let lines = try String(contentsOf: out.appendingPathComponent("zctas.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first.map { $0 + "\n" }, RunOutput.zctasHeader)
        let header = lines[0].split(separator: ",").map(String.init)
        let rows = lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
        for r in ["1", "2"] {
            let mine = rows.filter { $0["replicate"] == r }
            XCTAssertEqual(mine.reduce(0) { $0 + Int($1["agents"]!)! }, 6000, "replicate \(r)'s households")
            XCTAssertEqual(Set(mine.map { $0["region"]! }).count, mine.count, "a ZCTA once a replicate")
            XCTAssertTrue(mine.allSatisfy { $0["kind"] == "zcta" && Int($0["agents"]!)! > 0 })
        }
        let nearest = try XCTUnwrap(rows.min { Double($0["kmToPlace"]!)! < Double($1["kmToPlace"]!)! })
        XCTAssertLessThan(Double(nearest["kmToPlace"]!)!, 5, "a ZCTA of downtown Denver")
        XCTAssertEqual(nearest["state"], "CO")
        let verified = try runTool(["verify", out.path])
        XCTAssertEqual(verified.status, 0, verified.out + verified.err)
        XCTAssertTrue(verified.out.contains("same      zctas.csv"), verified.out)
    }
}
