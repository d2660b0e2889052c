import Foundation
import RetailExperiment
import RetailModel
import RetailStats
import RetailSimTestSupport
import XCTest

/// The real country (docs/GEOGRAPHY.md): the regions file against its
/// sources, placement, the siting rule, the networks from published counts,
/// region outputs, and thread identity.
final class GeographyTests: XCTestCase {
    private var root: URL { repositoryRoot }

    private func regions() throws -> RegionTable { try RegionTable.load("") }

    /// The built-in file holds what its source holds: the populated ZCTAs of
    /// the 50 states and DC (33,056 rows, 331,093,495 people per the source's
    /// description), 125.7 million households (ACS 2018-2022), and every
    /// state's people within 3 % of the 2020 Census count (the county file).
    func testRegionsFileTotalsMatchTheirSources() throws {
        let r = try regions()
        XCTAssertEqual(r.count, 33_056)
        XCTAssertEqual(r.people.reduce(0, +), 331_093_495)
        XCTAssertEqual(r.households.reduce(0, +), 125_735_598)
        XCTAssertEqual(r.states.count, 51)
        let census = RegionTable.censusPeopleByState
        XCTAssertEqual(census.count, 51)
        XCTAssertEqual(census.values.reduce(0, +), 331_449_281, "the 2020 Census count of the 50 states and DC")
        var byState = [String: Double]()
        for i in 0..<r.count { byState[r.states[Int(r.state[i])], default: 0] += r.people[i] }
        for (state, people) in census {
            let ratio = try XCTUnwrap(byState[state], state) / people
            XCTAssertEqual(ratio, 1, accuracy: 0.03, "\(state): ACS 2018-2022 ZCTAs against the 2020 Census")
        }
        // Every income and Gini is a usable number, every area positive.
        XCTAssertTrue(r.medianIncome.allSatisfy { $0 >= 1 } && r.gini.allSatisfy { (0...1).contains($0) })
        XCTAssertTrue(r.landSqMi.allSatisfy { $0 > 0 })
    }

    /// The binary embeds the committed file byte for byte (a stale build would not).
    func testEmbeddedRegionsAreTheCommittedFile() throws {
        let committed = try String(contentsOf: root.appendingPathComponent("Sources/CRegions/data/us-regions.csv"), encoding: .utf8)
        XCTAssertEqual(RegionTable.builtInText, committed, "the embedded regions are stale: swift build again after changing the data")
        XCTAssertEqual(RegionTable.builtInSHA256.count, 64)
    }

    /// A bad regions file is refused with its line, field, value and what is allowed.
    func testBadRegionsFilesAreRefusedByLine() {
        let header = RegionTable.header.joined(separator: ",")
        let good = "01001,MA,25013,42.06237,-72.62575,11.292,16045,6611,73398,0.4308,44140"
        func refusal(_ text: String) -> DataFileError? {
            do {
                _ = try RegionTable(text: text, source: "r.csv")
                return nil
            } catch { return error }
        }
        XCTAssertNil(refusal("# comment\n\(header)\n\(good)\n"))
        let e = refusal("\(header)\n\(good)\n01002,MA,25015,123.4,-72.4,53.2,22992,8782,74265,0.53,\n")
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(e?.field, "lat")
        XCTAssertEqual(e?.value, "123.4")
        XCTAssertTrue(e?.description.hasPrefix("r.csv:3: lat is 123.4; expected a number from -90.0 to 90.0") ?? false, e?.description ?? "")
        XCTAssertEqual(refusal("zip,state\n\(good)\n")?.field, "header")
        XCTAssertEqual(refusal("\(header)\n01001,MA,25013\n")?.field, "row")
        XCTAssertEqual(refusal("\(header)\n01001,MA,25013,42,-72,11,100,200,70000,0.4,\n")?.field, "households")
        XCTAssertEqual(refusal("\(header)\n01001,Mass,25013,42,-72,11,100,20,70000,0.4,\n")?.field, "state")
        XCTAssertEqual(refusal("\(header)\n01001,MA,25013,42,-72,11,100,0,70000,0.4,\n")?.field, "households")
        XCTAssertEqual(refusal("\(header)\n01001,MA,25013,42,-72,nan,100,20,70000,0.4,\n")?.field, "land_sq_mi")
    }

    /// Households are drawn by households and placed on their ZCTA's disc;
    /// incomes have the ZCTA's median.
    func testPlacementPutsEachHouseholdWithinItsRegion() throws {
        let us = USGeography(regions: try regions(), parameters: ModelParameters().geography)
        let law = try USSettlementLaw(parameters: ModelParameters(), us: us)
        let stream = try RandomStream(key: StreamKey(seed: 3, replicate: 1, purpose: .placement, chunk: 0))
        var drawn = [Int](repeating: 0, count: us.regions.count)
        var belowMedian = [Int](repeating: 0, count: us.regions.count)
        let n = 400_000
        for _ in 0..<n {
            let h = law.home(stream)
            drawn[h.region] += 1
            let d = h.point.distance(to: us.point(h.region))
            XCTAssertLessThanOrEqual(d, us.radiusKm[h.region] * 1.0001 + 0.001, "household outside its ZCTA's disc")
            XCTAssertEqual(h.segment, us.segment[h.region])
            XCTAssertEqual(h.community, us.regions.county[h.region])
            if Double(h.income) * ModelParameters().shoppers.referenceIncome < us.regions.medianIncome[h.region] { belowMedian[h.region] += 1 }
        }
        var inEmpty = 0
        for z in 0..<us.regions.count where us.regions.households[z] == 0 { inEmpty += drawn[z] }
        XCTAssertEqual(inEmpty, 0, "no household in a ZCTA without households")
        // The largest state gets its share of households (binomial sd about 0.06 points).
        let ca = UInt8(try XCTUnwrap(us.regions.states.firstIndex(of: "CA")))
        var caHouseholds = 0.0, allHouseholds = 0.0, caDrawn = 0
        for z in 0..<us.regions.count {
            allHouseholds += us.regions.households[z]
            if us.regions.state[z] == ca {
                caHouseholds += us.regions.households[z]
                caDrawn += drawn[z]
            }
        }
        XCTAssertEqual(Double(caDrawn) / Double(n), caHouseholds / allHouseholds, accuracy: 0.003)
        // Half of the households fall below their ZCTA's median income.
        let below: Int = belowMedian.reduce(0, +)
        XCTAssertEqual(Double(below) / Double(n), 0.5, accuracy: 0.005)
        // The Gini's sigma: G = 0.49 (US) gives about 0.93.
        XCTAssertEqual(USSettlementLaw.logNormalSigma(gini: 0.49), 0.93, accuracy: 0.01)
    }

    /// The lazy greedy picks exactly what a full scan each time picks, on
    /// random instances and on a real state's stores.
    func testSitingRuleMatchesABruteForceScan() throws {
        let stream = try RandomStream(key: StreamKey(seed: 11, replicate: 1, purpose: .facilities))
        for trial in 0..<20 {
            let points = 60
            let demand = (0..<points).map { _ in (stream.uniform() * 1000).rounded() }
            let catchment: [[Int32]] = (0..<points).map { c in
                (0..<points).filter { $0 == c || stream.uniform() < 0.1 }.map { Int32($0) }
            }
            let capacity = trial % 2 == 0 ? Double.infinity : 2000
            let count = 5 + trial
            XCTAssertEqual(Siting.greedy(demand: demand, catchment: catchment, count: count, capacity: capacity),
                           Siting.bruteForce(demand: demand, catchment: catchment, count: count, capacity: capacity), "trial \(trial)")
        }
        // Delaware's 26 stores (its population share of 4,611), as the network sites them.
        let us = USGeography(regions: try regions(), parameters: ModelParameters().geography)
        let r = us.regions
        let de = UInt8(try XCTUnwrap(r.states.firstIndex(of: "DE")))
        let members: [Int] = (0..<r.count).filter { r.state[$0] == de }
        let speed = ModelParameters().choice.travelSpeedKmh
        var catchment: [[Int32]] = []
        for i in members {
            let radius = Float(speed[us.segment[i]] * 15 / 60)
            var ids: [Int32] = []
            for (k, j) in members.enumerated() where us.point(j).distance(to: us.point(i)) <= radius { ids.append(Int32(k)) }
            catchment.append(ids)
        }
        let demand: [Double] = members.map { r.households[$0] }
        let capacity: Double = demand.reduce(0, +) / 10
        let lazy = Siting.greedy(demand: demand, catchment: catchment, count: 10, capacity: capacity)
        XCTAssertEqual(lazy, Siting.bruteForce(demand: demand, catchment: catchment, count: 10, capacity: capacity))
        XCTAssertEqual(lazy.count, 10)
        // Each store serves at most its capacity, and each later pick serves no more than the one before.
        XCTAssertTrue(lazy.allSatisfy { $0.served <= capacity })
        XCTAssertEqual(lazy.map(\.served), lazy.map(\.served).sorted(by: >))
        XCTAssertEqual(lazy[0].served, capacity, "the densest trade area fills a store")
    }

    /// Both networks come from the published counts.
    func testNetworksFollowThePublishedCounts() throws {
        let p = ModelParameters()
        let us = USGeography(regions: try regions(), parameters: p.geography)
        let network = USNetwork.shared(us: us, parameters: p)
        XCTAssertEqual(network.storeRegions.count, 4611)
        let r = us.regions
        var storesByState = [String: Int]()
        for z in network.storeRegions { storesByState[r.states[Int(r.state[z])], default: 0] += 1 }
        XCTAssertEqual(storesByState.count, 51, "every state and DC has a store")
        XCTAssertGreaterThan(storesByState["CA"]!, storesByState["TX"]!, "stores follow population")
        XCTAssertEqual(network.fulfillment.count, 305)
        var fcs = [String: Int]()
        for f in network.fulfillment { fcs[f.state, default: 0] += 1 }
        XCTAssertEqual(fcs["CA"], 35)
        XCTAssertEqual(fcs["TX"], 28)
        XCTAssertEqual(fcs["NJ"], 17)
        for state in ["AK", "HI", "ME", "NH", "VT"] { XCTAssertNil(fcs[state], state) }
        XCTAssertEqual(fcs.count, 51 - 5, "every other state has one")
        // Delivery in order of trade area; express radius from drive time by density class.
        let served = network.deliveryOrder.map { network.storeServed[$0] }
        XCTAssertEqual(served, served.sorted(by: >))
        XCTAssertEqual(Set(network.hubRadiusKm), [60, 90, 130])
        // Same-day sites in the 105 largest metros.
        XCTAssertGreaterThanOrEqual(network.sameDay.count, 105)
        let market = try Market(parameters: try scenario(["geography.kind=us", "population.shoppers=20000", "start.burnInWeeks=0"]).model,
                                seed: 1, replicate: 1, threads: 2)
        XCTAssertEqual(market.facilities.hubCount, 4262)
        XCTAssertEqual(market.hubReachPath.map(\.deliveryStores), [3900, 4500])
    }

    /// Region outputs cover every household once per grouping, and the weekly
    /// loop's results are the same for any thread count in both countries.
    func testRegionOutcomeAndThreadIdentityInBothCountries() throws {
        for kind in ["us", "synthetic"] {
            let s = try scenario(["geography.kind=\(kind)", "population.shoppers=30000", "start.burnInWeeks=4", "start.habitIterations=3"])
            let (one, a) = try simulate(s, weeks: 14, threads: 1)
            let (two, b) = try simulate(s, weeks: 14, threads: 2)
            XCTAssertEqual(a, b, kind)
            let g1 = one.measureRegions(), g2 = two.measureRegions()
            XCTAssertEqual(g1, g2, kind)
            let density = g1.kinds.indices.filter { g1.kinds[$0] == "density" }
            XCTAssertEqual(density.reduce(0) { $0 + g1.households[$1] }, 30000, kind)
            if kind == "us" {
                let states = g1.kinds.indices.filter { g1.kinds[$0] == "state" }
                XCTAssertEqual(states.count, 51)
                XCTAssertEqual(states.reduce(0) { $0 + g1.households[$1] }, 30000)
                let incomes = g1.kinds.indices.filter { g1.kinds[$0] == "income" }
                XCTAssertEqual(incomes.reduce(0) { $0 + g1.households[$1] }, 30000)
                // Spend shares sum to one in each group.
                for k in states where g1.households[k] > 0 {
                    XCTAssertEqual(Option.allCases.reduce(0) { $0 + g1.spendShare(k, $1) }, 1, accuracy: 1e-9)
                }
            } else {
                XCTAssertEqual(g1.groupCount, 3, "the synthetic country has density classes only")
            }
        }
    }

    /// Each household's ZCTA, found again for the by-ZCTA outputs from the
    /// placement's streams, is the one it was drawn in: its home lies on that
    /// ZCTA's disc, its density class and county are the ZCTA's, and the same
    /// ZCTAs come back on one thread and on three. The ZCTA outcome sums to
    /// the region outcome's households and members.
    func testEachHouseholdsZCTAIsTheOneItWasPlacedIn() throws {
        let n = 40_000
        let s = try scenario(["geography.kind=us", "population.shoppers=\(n)", "start.burnInWeeks=2", "start.habitIterations=2"])
        let (market, _) = try simulate(s, weeks: 5, threads: 2)
        let us = try XCTUnwrap(market.geography.us)
        let region = try XCTUnwrap(try market.householdRegions())
        XCTAssertEqual(region.count, n)
        let households = market.shoppers, grid = market.grid
        var outside = 0, otherClass = 0, otherCounty = 0
        for i in 0..<n {
            let z = Int(region[i]), c = grid.cell(ofShopper: i)
            let home = grid.position(cell: c, offsetX: households.offsetX[i], offsetY: households.offsetY[i])
            if home.distance(to: us.point(z)) > us.radiusKm[z] * 1.0001 + 0.01 { outside += 1 }
            if Int(households.segment[i]) != us.segment[z].rawValue { otherClass += 1 }
            if households.community[i] != us.regions.county[z] { otherCounty += 1 }
        }
        XCTAssertEqual(outside, 0, "households off their ZCTA's disc")
        XCTAssertEqual(otherClass, 0, "households whose density class is not their ZCTA's")
        XCTAssertEqual(otherCounty, 0, "households whose county is not their ZCTA's")
        let one = try Market(parameters: s.model, calendar: s.calendar, seed: UInt64(s.run.seed), replicate: 1, threads: 1)
        let three = try Market(parameters: s.model, calendar: s.calendar, seed: UInt64(s.run.seed), replicate: 1, threads: 3)
        XCTAssertEqual(try one.householdRegions(), region, "one thread")
        XCTAssertEqual(try three.householdRegions(), region, "three threads")
        let zctas = try XCTUnwrap(try market.measureZCTAs())
        let g = market.measureRegions(), density = g.kinds.indices.filter { g.kinds[$0] == "density" }
        XCTAssertEqual(zctas.outcome.households.reduce(0, +), Double(n))
        XCTAssertEqual(Set(zctas.zctas), Set(region.map(Int.init)), "a row for each ZCTA with a household, none other")
        for p in 0..<Programme.count {
            let members = { (r: RegionOutcome, groups: [Int]) in groups.reduce(0.0) { $0 + r.members[$1 * Programme.count + p] } }
            XCTAssertEqual(members(zctas.outcome, Array(zctas.zctas.indices)), members(g, density), "programme \(p)'s members")
        }
        XCTAssertNil(try Market(parameters: try scenario(["population.shoppers=2000"]).model, seed: 1, replicate: 1, threads: 1).measureZCTAs(),
                     "the synthetic country has no ZCTAs")
    }

    /// Richer households shop online more, as the calibrated income weight says.
    func testIncomeRaisesOnlineShare() throws {
        let s = try scenario(["geography.kind=us", "population.shoppers=40000", "start.burnInWeeks=0", "shoppers.onlineIncomeWeight=1"])
        let (market, _) = try simulate(s, weeks: 1)
        let g = market.measureRegions()
        let above = try XCTUnwrap(g.group("income>50k")), below = try XCTUnwrap(g.group("income<=50k"))
        XCTAssertGreaterThan(g.onlineShare(above), g.onlineShare(below) * 1.3)
        let flat = try scenario(["geography.kind=us", "population.shoppers=40000", "start.burnInWeeks=0", "shoppers.onlineIncomeWeight=0",
                                 "shoppers.priceIncomeElasticity=0"])
        let (m0, _) = try simulate(flat, weeks: 1)
        let g0 = m0.measureRegions()
        XCTAssertLessThan(abs(g0.onlineShare(above) / g0.onlineShare(below) - 1), abs(g.onlineShare(above) / g.onlineShare(below) - 1))
    }
}
