import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RetailExperiment
import RetailSimTestSupport
import XCTest

/// Counts the elements of a parsed XHTML page, and the series drawn in each chart.
private final class PageCounter: NSObject, XMLParserDelegate {
    var figures = 0
    var svgs = 0
    /// Per chart: lines (class "line"), markers, heat-map cells.
    var lines: [Int] = []
    var cells: [Int] = []
    /// Marks inside the map's group of stores, and rows of the regions table.
    var stores = 0
    /// Marks inside the map's group of stores whose slots bind.
    var slowStores = 0
    var regionRows = 0
    private var inStores = false
    private var inSlow = false
    private var inRegions = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch (name, attributes["class"]) {
        case ("figure", _): figures += 1
        case ("svg", _):
            svgs += 1
            lines.append(0)
            cells.append(0)
        case ("path", "line"): lines[lines.count - 1] += 1
        case ("rect", "cell"): cells[cells.count - 1] += 1
        case ("g", "stores"): inStores = true
        case ("rect", _) where inStores: stores += 1
        case ("g", "slots-bind"): inSlow = true
        case ("rect", _) where inSlow: slowStores += 1
        case ("table", "regions"): inRegions = true
        case ("td", _) where inRegions: break
        case ("tr", _) where inRegions: regionRows += 1
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "g" { (inStores, inSlow) = (false, false) }
        if name == "table" {
            inRegions = false
            regionRows -= 1  // the header row
        }
    }
}

final class ReportTests: XCTestCase {
    private func folder(_ name: String) throws -> String {
        let url = try temporaryFolder().appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    private func parse(_ path: String) throws -> PageCounter {
        let parser = try XCTUnwrap(XMLParser(contentsOf: URL(fileURLWithPath: path)))
        let counter = PageCounter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "report.html is not well-formed XHTML: \(String(describing: parser.parserError))")
        return counter
    }

    /// A run's page: one chart per series of figures, each line of it drawn,
    /// nothing fetched from elsewhere.
    func testRunReportParsesWithOneChartPerSeries() throws {
        let out = try folder("run")
        let s = try scenario(settings: ["population.shoppers=3000", "run.weeks=30", "run.warmupWeeks=4", "run.replicates=3"])
        var facilities: [AtomicFile] = []
        let result = try Replicates.run(s, threads: 2, inspect: { market, r in
            if r == 1 { facilities.append(try RunOutput.facilitiesFile(market, in: out)) }
        })
        try RunOutput.write(result, to: out, alongside: facilities)
        let made = try Report.write(folder: out)
        XCTAssertEqual(made.charts, ["Share of all spend by option", "Online spend", "Members, share of shoppers", "Facilities", "Price indices",
                                     "The country: households, stores and reach", "Where each strategy wins"])
        let page = try parse(made.path)
        XCTAssertEqual(page.figures, 7)
        XCTAssertEqual(page.svgs, 6, "five charts and the map; the regions are a table")
        XCTAssertEqual(page.lines, [6, 3, 2, 2, 2, 0], "one line per series: the six options, online shares, programmes, facilities, prices")
        // The map draws every store of facilities.csv; the table has every state.
        XCTAssertEqual(page.stores, 4611)
        XCTAssertEqual(page.regionRows, 51 + 3 + 2)
        let html = try String(contentsOfFile: made.path, encoding: .utf8)
        XCTAssertFalse(html.replacingOccurrences(of: "http://www.w3.org/", with: "").contains("http"),
                       "readable without a network: no address but the XML namespaces")
        XCTAssertFalse(html.contains("<script"))
        XCTAssertTrue(html.contains("class=\"band\""), "three replicates give interval bands")
        XCTAssertTrue(html.contains("bands: 95 % Student-t intervals"), "the mean's interval without a posterior")
    }

    /// A backcast's folder: its checks by use, and one figure a series it
    /// compares (the history at 2,000 households, 2 replicates).
    func testBackcastReportDrawsEverySeries() throws {
        let results = try folder("backcast")
        let spec = try ReproductionSpec.read(repositoryRoot.appendingPathComponent("Experiments/reproduce/backcast-2015-2024.toml").path)
        let record = try Reproduction.run(spec, results: results, threads: 2, size: ReproductionSize(shoppers: 2000, replicates: 2),
                                          root: repositoryRoot.path)
        XCTAssertGreaterThan(record.checks.count, 40, "every calibration and held-out figure is a check")
        let made = try Report.write(folder: (results as NSString).appendingPathComponent("backcast-2015-2024"))
        let series = Set(try HistoryTargetSet.read(repositoryRoot.appendingPathComponent("Experiments/targets/us-history.toml").path).targets.map(\.series))
        XCTAssertEqual(made.charts.count, series.count, "one figure a series the history's figures name")
        let page = try parse(made.path)
        XCTAssertEqual(page.svgs, series.count)
        let html = try String(contentsOfFile: made.path, encoding: .utf8)
        XCTAssertTrue(html.contains("Fitted figures within tolerance:") && html.contains("held-out figures:"))
    }

    /// Where slots bind, the map draws those stores apart, shaded by their
    /// extra wait, as many as facilities.csv gives, and says how many.
    func testMapShadesStoresWhoseSlotsBind() throws {
        let out = try folder("slots")
        let s = try scenario(settings: ["population.shoppers=3000", "run.weeks=12", "run.replicates=1",
                                        "walmart.storeDelivery.slotsPerStoreWeek=50"])
        var facilities: [AtomicFile] = []
        let result = try Replicates.run(s, threads: 2, inspect: { market, r in
            if r == 1 { facilities.append(try RunOutput.facilitiesFile(market, in: out)) }
        })
        try RunOutput.write(result, to: out, alongside: facilities)
        let lines = try String(contentsOfFile: out + "/facilities.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let wait = try XCTUnwrap(lines[0].firstIndex(of: "extraWaitHours"))
        let slow = lines.dropFirst().filter { $0[0] == "store" && (Double($0[wait]) ?? 0) > 0 }.count
        XCTAssertGreaterThan(slow, 0, "50 slots a store a week bind somewhere")
        let page = try parse(try Report.write(folder: out).path)
        XCTAssertEqual(page.slowStores, slow)
        XCTAssertEqual(page.stores + page.slowStores, 4611, "every store drawn once")
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("\(slow) delivering stores' slots bind"))
    }

    /// A two-factor grid sweep gets a heat map per metric, one cell per point;
    /// a one-factor sweep gets a line per metric.
    func testSweepReportsHeatMapsAndLines() throws {
        let base = try scenario(settings: ["population.shoppers=1000", "run.weeks=20", "run.warmupWeeks=4", "run.replicates=2"])
        for (factors, expectCells) in [(["amazon.prime.monthlyFee=10,15,20", "walmart.strategy.hubsPerQuarter=0,40"], true),
                                       (["amazon.prime.monthlyFee=10:20:3"], false)] {
            let out = try folder("sweep")
            let plan = try SweepPlan(base: base, factors: factors.map { try SweepFactor(parsing: $0) }, design: .grid)
            _ = try plan.write(to: out)
            _ = try SweepRunner.run(plan, folder: out, threads: 2)
            _ = try SweepMerge.merge(folder: out)
            let made = try Report.write(folder: out, metrics: ["primeShare", "amazonShareOfOnline"])
            let page = try parse(made.path)
            XCTAssertEqual(page.svgs, 2)
            if expectCells {
                XCTAssertEqual(page.cells, [6, 6])
            } else {
                XCTAssertEqual(page.lines, [1, 1])
            }
        }
    }

    func testRefusesWhatIsNotARunOrASweep() throws {
        let out = try folder("empty")
        XCTAssertThrowsError(try Report.write(folder: out)) { XCTAssertTrue("\($0)".contains("neither a run's folder")) }
        XCTAssertThrowsError(try Report.write(folder: out + "/missing")) { XCTAssertTrue("\($0)".contains("no such folder")) }
    }
}
