import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// Walmart's published stores by state (docs/GEOGRAPHY.md section 4): the
/// built-in 10-K table, the checks a stores file must pass, and siting by it.
final class StoreMapTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary embeds the committed file byte for byte (a stale build would not).
    func testEmbeddedStoresAreTheCommittedFile() throws {
        let committed = try String(contentsOf: root.appendingPathComponent("Sources/CRegions/data/walmart-stores-by-state.csv"), encoding: .utf8)
        XCTAssertEqual(StoreMap.builtInText, committed, "the embedded stores are stale: swift build again after changing the data")
    }

    /// A data check: the built-in table is the 10-K's (fiscal 2023, Item 2):
    /// 50 states and DC; without Puerto Rico's 13 / 5 / 0, the formats sum to
    /// 3,559 supercenters, 359 discount stores and 781 neighbourhood markets.
    func testBuiltInStoresAreTheTenK() throws {
        let map = try StoreMap.load("")
        XCTAssertEqual(map.rows.count, 51)
        XCTAssertEqual(map.rows.map(\.supercenters).reduce(0, +), 3559)
        XCTAssertEqual(map.rows.map(\.discountStores).reduce(0, +), 359)
        XCTAssertEqual(map.rows.map(\.neighborhoodMarkets).reduce(0, +), 781)
        XCTAssertEqual(map.rows.map(\.total).reduce(0, +), 4699)
        XCTAssertEqual(map.row(of: "TX")?.total, 519)
        XCTAssertEqual(map.row(of: "CA")?.total, 290)
        XCTAssertEqual(map.row(of: "NY")?.total, 107)
        XCTAssertNil(map.row(of: "PR"), "Puerto Rico is outside the regions")
    }

    /// A bad stores file is refused with its line, field, value and what is allowed.
    func testBadStoresFilesAreRefusedByLine() throws {
        let header = StoreMap.header.joined(separator: ",")
        func refusal(_ text: String) -> DataFileError? {
            do {
                _ = try StoreMap(text: text, source: "s.csv")
                return nil
            } catch { return error }
        }
        XCTAssertNil(refusal("# two states\n\(header)\nMA,30,1,17,,48\nRI,5,0,0,,5\n"))
        let negative = refusal("\(header)\nMA,30,1,17,,48\nRI,-5,0,0,,-5\n")
        XCTAssertEqual(negative?.line, 3)
        XCTAssertEqual(negative?.field, "supercenters")
        XCTAssertEqual(negative?.value, "-5")
        let disagree = refusal("\(header)\nMA,30,1,17,,50\n")
        XCTAssertEqual(disagree?.field, "total")
        XCTAssertTrue(disagree?.description.hasPrefix("s.csv:2: total is 50; expected the sum of the four formats (48)") ?? false,
                      disagree?.description ?? "")
        XCTAssertEqual(refusal("\(header)\nMA,30,1,17,,48\nMA,30,1,17,,48\n")?.field, "state", "a state twice")
        XCTAssertEqual(refusal("\(header)\nMass,30,1,17,,48\n")?.field, "state")
        XCTAssertEqual(refusal("\(header)\nMA,3.5,1,17,,21.5\n")?.field, "supercenters", "a count is whole")
        XCTAssertEqual(refusal("state,stores\nMA,48\n")?.field, "header")
        XCTAssertEqual(refusal("\(header)\nMA,30,1\n")?.field, "row")
        XCTAssertEqual(refusal("\(header)\nMA,0,0,0,,0\n")?.field, "total", "no stores at all")
        // A state with households in the regions but no row.
        let regions = try RegionTable.load("")
        let partial = try StoreMap(text: "\(header)\nMA,30,1,17,,48\n", source: "s.csv")
        XCTAssertThrowsError(try partial.check(covers: regions, source: "s.csv")) { error in
            XCTAssertEqual((error as? DataFileError)?.field, "state")
            XCTAssertTrue((error as? DataFileError)?.value.hasSuffix("missing") ?? false)
        }
        XCTAssertNoThrow(try StoreMap.load("").check(covers: regions, source: "built-in stores file"))
    }

    /// Sited from the published counts, each state gets its share of
    /// `walmart.network.stores` (its 10-K count when the total is the
    /// table's), and the formats theirs; by population, Texas would get
    /// fewer than California.
    func testPublishedSitingGivesEachStateItsCount() throws {
        var p = ModelParameters()
        p.walmart.network.siting = .published
        p.walmart.network.stores = 4699
        let map = try StoreMap.load("")
        let us = USGeography(regions: try RegionTable.load(""), stores: map, parameters: p.geography)
        let network = USNetwork(us: us, parameters: p)
        let r = us.regions
        XCTAssertEqual(network.storeRegions.count, 4699)
        XCTAssertEqual(network.storeFormats.count, 4699)
        var total = [String: Int](), formats = [String: [StoreFormat: Int]]()
        for (k, z) in network.storeRegions.enumerated() {
            let state = r.states[Int(r.state[z])]
            total[state, default: 0] += 1
            formats[state, default: [:]][network.storeFormats[k], default: 0] += 1
        }
        for row in map.rows {
            XCTAssertEqual(total[row.state] ?? 0, row.total, row.state)
            XCTAssertEqual(formats[row.state]?[.supercenter] ?? 0, row.supercenters, row.state)
            XCTAssertEqual(formats[row.state]?[.discountStore] ?? 0, row.discountStores, row.state)
            XCTAssertEqual(formats[row.state]?[.neighborhoodMarket] ?? 0, row.neighborhoodMarkets, row.state)
        }
        // At the default total each state keeps its share, within a store.
        p.walmart.network.stores = 4611
        let scaled = USNetwork(us: us, parameters: p)
        var counts = [String: Int]()
        for z in scaled.storeRegions { counts[r.states[Int(r.state[z])], default: 0] += 1 }
        XCTAssertEqual(counts.values.reduce(0, +), 4611)
        for row in map.rows {
            XCTAssertEqual(Double(counts[row.state] ?? 0), 4611 * Double(row.total) / 4699, accuracy: 1, row.state)
        }
        XCTAssertGreaterThan(counts["TX"]!, counts["CA"]!, "the 10-K's Texas has more stores than California")
        // Population siting ignores the map and has no formats.
        p.walmart.network.siting = .population
        let byPopulation = USNetwork(us: us, parameters: p)
        XCTAssertTrue(byPopulation.storeFormats.isEmpty)
        var people = [String: Int]()
        for z in byPopulation.storeRegions { people[r.states[Int(r.state[z])], default: 0] += 1 }
        XCTAssertGreaterThan(people["CA"]!, people["TX"]!)
    }

    /// A market sited from published counts must be given them.
    func testPublishedSitingNeedsAMap() throws {
        var p = ModelParameters()
        p.walmart.network.siting = .published
        p.population.shoppers = 1000
        XCTAssertThrowsError(try Market(parameters: p, regions: try RegionTable.load(""), seed: 1, replicate: 1, threads: 1)) { error in
            XCTAssertTrue(error is MissingStoreMap, "\(error)")
        }
    }
}
