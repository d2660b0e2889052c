import Foundation
import RetailModel
import RetailStats

/// `retailsim report DIR`: one self-contained HTML page (XHTML, inline SVG,
/// no scripts, fonts or links) with the figures of a run or a sweep.
public enum Report {
    public static let fileName = "report.html"

    /// What the page holds, for the caller to print.
    public struct Made: Sendable {
        public var path: String
        public var charts: [String]
    }

    /// Writes `report.html` into `folder` (a run's or a sweep's output folder).
    public static func write(folder: String, metrics: [String]? = nil) throws -> Made {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw InputError(source: folder, problem: "no such folder; give a run's or a sweep's output folder")
        }
        func has(_ name: String) -> Bool { FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(name)) }
        let page: (title: String, facts: [String], figures: [(String, String)])
        if has(SweepPlan.fileName) && has("summary.csv") {
            page = try sweepPage(folder: folder, metrics: metrics ?? defaultSweepMetrics)
        } else if has("weekly.csv") && has("members.csv") && has("retailers.csv") {
            if let metrics { throw InputError(source: "--metric", value: metrics.joined(separator: ","), problem: "applies to a sweep's folder, not a run's") }
            page = try runPage(folder: folder)
        } else if has("series.csv") && has("targets.csv") && has("result.json") {
            if let metrics { throw InputError(source: "--metric", value: metrics.joined(separator: ","), problem: "applies to a sweep's folder, not a backcast's") }
            page = try backcastPage(folder: folder)
        } else {
            throw InputError(source: folder, problem: "neither a run's folder (weekly.csv, members.csv, retailers.csv), a sweep's (sweep.json, summary.csv) "
                             + "nor a backcast's (result.json, series.csv, targets.csv)")
        }
        let path = (folder as NSString).appendingPathComponent(fileName)
        try AtomicFile.write(html(title: page.title, facts: page.facts, figures: page.figures), to: path)
        return Made(path: path, charts: page.figures.map(\.0))
    }

    static let defaultSweepMetrics = ["amazonShareOfOnline", "walmartShareOfOnline", "onlineShare", "primeShare", "plusShare"]

    // MARK: a run

    static func runPage(folder: String) throws -> (String, [String], [(String, String)]) {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        let facts = try summaryFacts(path("summary.json"))
        let shoppers = Double(facts.shoppers)

        let spend = try CSVTable.totals(path("weekly.csv"), key: "option", value: "revenue")
        let replicates = spend.keys.sorted(), weeks = Array(Set(spend.values.flatMap(\.keys))).sorted()
        let posterior = WeeklyBand.drawsFromPosterior(scenarioJSON: path("scenario.json"))
        func band(_ value: (Int, Int) -> Double) -> WeeklyBand {
            WeeklyBand(values: replicates.map { r in weeks.map { w in value(r, w) } }, weeks: weeks, posterior: posterior)
        }
        func share(_ r: Int, _ w: Int, _ options: [String], of all: [String]) -> Double {
            let s = spend[r]?[w] ?? [:]
            let total = all.reduce(0) { $0 + (s[$1] ?? 0) }
            return total > 0 ? options.reduce(0) { $0 + (s[$1] ?? 0) } / total : 0
        }
        let codes = Option.allCases.map(\.code), online = Option.online.map(\.code)
        let shares = LineChart(title: "Share of all spend by option", xLabel: "week", yLabel: "share of spend",
                               series: try Option.allCases.map { o in try band { share($0, $1, [o.code], of: codes) }.series("\(o.code) \(o.title)") },
                               yPercent: true, yInclude: [0])
        let retailers = try RetailerID.allCases.map { r in
            try band { share($0, $1, Option.sold(by: r, channel: .online).map(\.code), of: online) }.series("\(r.title) share of online")
        }
        let onlineShares = LineChart(title: "Online spend", xLabel: "week", yLabel: "share",
                                     series: [try band { share($0, $1, online, of: codes) }.series("online share of all spend")] + retailers,
                                     yPercent: true, yInclude: [0])

        let members = try CSVTable.totals(path("members.csv"), key: "programme", value: "members")
        let membership = LineChart(title: "Members, share of shoppers", xLabel: "week", yLabel: "share of shoppers",
                                   series: [try band { (members[$0]?[$1]?["prime"] ?? 0) / shoppers }.series("Prime-like"),
                                            try band { (members[$0]?[$1]?["plus"] ?? 0) / shoppers }.series("Walmart+-like")],
                                   yPercent: true, yInclude: [0])

        // One row per replicate, week and retailer: the sums are the values.
        let hubs = try CSVTable.totals(path("retailers.csv"), key: "retailer", value: "hubs")
        let price = try CSVTable.totals(path("retailers.csv"), key: "retailer", value: "priceIndex")
        let facilities = LineChart(title: "Facilities", xLabel: "week", yLabel: "count (simulated country)",
                                   series: [try band { hubs[$0]?[$1]?["amazon"] ?? 0 }.series("Amazon-like same-day sites"),
                                            try band { hubs[$0]?[$1]?["walmart"] ?? 0 }.series("Walmart-like delivery hubs")],
                                   yInclude: [0])
        let prices = LineChart(title: "Price indices", xLabel: "week", yLabel: "price index (market = 1)",
                               series: [try band { price[$0]?[$1]?["amazon"] ?? 0 }.series("Amazon-like (its price rule)"),
                                        try band { price[$0]?[$1]?["walmart"] ?? 0 }.series("Walmart-like (everyday low prices)")])
        let caption = WeeklyBand.caption(replicates: replicates.count, posterior: posterior)
        var figures = [shares, onlineShares, membership, facilities, prices].map { ($0.title, $0.svg() + "<figcaption>\(ChartFrame.escape(caption))</figcaption>") }
        figures += try regionFigures(folder: folder)
        return ("Run \(facts.scenario)", facts.lines + ["\(replicates.count) replicate(s), \(weeks.count) weeks; summaries leave out the first \(facts.warmup)"], figures)
    }

    /// The real country's map (with facilities.csv) and the table of where
    /// each strategy wins (regions.csv), when the run has them.
    static func regionFigures(folder: String) throws -> [(String, String)] {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        var figures: [(String, String)] = []
        let scenario = try? Scenario.load(file: path("scenario.json"), assignments: [])
        if let scenario, scenario.model.geography.kind == .us, FileManager.default.fileExists(atPath: path("facilities.csv")) {
            let regions = try RegionTable.load(scenario.model.geography.regionsFile)
            let us = USGeography(regions: regions, parameters: scenario.model.geography)
            let f = path("facilities.csv")
            let table = try CSVTable(path: f)
            let (ck, cx, cy, cr, cw) = (try table.column("kind", in: f), try table.column("xKm", in: f), try table.column("yKm", in: f),
                                        try table.column("radiusKm", in: f), try table.column("week", in: f))
            var sites: [USMapChart.Site] = []
            // A store an intervention closed is not drawn (files before 0.17.0 have no closedWeek,
            // before 0.19.0 no extraWaitHours: no slots).
            let closed = try? table.column("closedWeek", in: f), wait = try? table.column("extraWaitHours", in: f)
            for (line, row) in table.rows.enumerated() where closed.map({ row[$0].isEmpty }) ?? true {
                let extra = try wait.map { row[$0].isEmpty ? 0 : try table.number(row, $0, line: line, in: f) } ?? 0
                sites.append(USMapChart.Site(kind: row[ck], x: try table.number(row, cx, line: line, in: f), y: try table.number(row, cy, line: line, in: f),
                                             radiusKm: try table.number(row, cr, line: line, in: f), week: Int(row[cw]), extraWaitHours: extra))
            }
            var notes: [String] = []
            if let data = FileManager.default.contents(atPath: path("summary.json")),
               let tree = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                func mean(_ name: String) -> Double? { (tree[name] as? [String: Any])?["mean"] as? Double }
                if let a = mean("storeReach16Km"), let b = mean("hubReach"), let c = mean("sameDayReach") {
                    notes.append(String(format: "At the end, households within 10 miles of a store: %.1f %%; inside an express area: %.1f %%;", 100 * a, 100 * b))
                    notes.append(String(format: "inside a same-day area: %.1f %%.", 100 * c))
                }
            }
            let slow = sites.filter { $0.kind != "fulfillment" && $0.kind != "sameDay" && $0.extraWaitHours > 0 }
            if !slow.isEmpty {
                notes.append(String(format: "%d delivering stores' slots bind at the end (shaded by their extra wait, facilities.csv's extraWaitHours);",
                                    slow.count))
            }
            notes.append("Replicate 1's network at its end (facilities.csv); households: the regions file, by county;")
            notes.append("Alaska (left) and Hawaii (right) are drawn below, on their own projections.")
            let map = USMapChart(title: "The country: households, stores and reach", us: us, facilities: sites, notes: notes)
            figures.append((map.title, map.svg()))
        }
        if FileManager.default.fileExists(atPath: path("regions.csv")) {
            figures.append(("Where each strategy wins", try regionTable(path("regions.csv"))))
        }
        return figures
    }

    /// regions.csv as a table: each region's means over replicates.
    static func regionTable(_ file: String) throws -> String {
        let table = try CSVTable(path: file)
        let columns = ["represented", "amazonShareOfOnline", "walmartShare", "onlineShare", "primeShare", "plusShare"]
        let (ck, cr) = (try table.column("kind", in: file), try table.column("region", in: file))
        let indices = try columns.map { try table.column($0, in: file) }
        var order: [String] = [], kinds: [String: String] = [:], sums: [String: [Double]] = [:], counts: [String: Double] = [:]
        for (line, row) in table.rows.enumerated() {
            let key = row[cr]
            if sums[key] == nil {
                order.append(key)
                kinds[key] = row[ck]
                sums[key] = [Double](repeating: 0, count: columns.count)
            }
            for (k, c) in indices.enumerated() { sums[key]![k] += try table.number(row, c, line: line, in: file) }
            counts[key, default: 0] += 1
        }
        var out = "<h2>Where each strategy wins</h2>\n<table class=\"regions\">\n<tr><th>region</th><th>households</th>"
            + "<th>Amazon-like share of online</th><th>Walmart-like share</th><th>online share</th><th>Prime-like</th><th>Walmart+-like</th></tr>\n"
        // Density and income classes first, then the states.
        let sorted = order.filter { kinds[$0] != "state" } + order.filter { kinds[$0] == "state" }
        for key in sorted {
            let v = sums[key]!.map { $0 / counts[key]! }
            out += "<tr><td>\(ChartFrame.escape(key))</td><td>\(String(format: "%.0f", v[0]))</td>"
                + v.dropFirst().map { String(format: "<td>%.1f %%</td>", 100 * $0) }.joined() + "</tr>\n"
        }
        return out + "</table>\n<figcaption>Means over replicates at each run's end (regions.csv): spend shares from every household's choice probabilities.</figcaption>\n"
    }

    struct Facts {
        var scenario: String, seed: String, version: String, shoppers: Int, warmup: Int
        var lines: [String] { ["scenario \(scenario) · seed \(seed) · made by retailsim \(version) · \(shoppers) simulated shoppers"] }
    }

    static func summaryFacts(_ path: String) throws -> Facts {
        struct Head: Decodable { let scenario: String; let seed: Int; let version: String; let shoppers: Int; let warmupWeeks: Int }
        guard let data = FileManager.default.contents(atPath: path), let h = try? JSONDecoder().decode(Head.self, from: data) else {
            throw InputError(source: path, problem: "missing or unreadable summary.json")
        }
        return Facts(scenario: h.scenario, seed: String(h.seed), version: h.version, shoppers: h.shoppers, warmup: h.warmupWeeks)
    }

    // MARK: a sweep

    static func sweepPage(folder: String, metrics: [String]) throws -> (String, [String], [(String, String)]) {
        for m in metrics { _ = try MetricCatalog.metric(named: m, source: "--metric") }
        let plan = try SweepPlan.read(folder: folder)
        let path = (folder as NSString).appendingPathComponent("summary.csv")
        let table = try CSVTable(path: path)
        // On a posterior the band is the 90 % posterior interval, else the mean's 95 % one.
        let posterior = plan.base.drawsFromPosterior
        let (cp, cm, cmean, clo, chi) = (try table.column("point", in: path), try table.column("metric", in: path), try table.column("mean", in: path),
                                         try table.column(posterior ? "q05" : "ci95Low", in: path), try table.column(posterior ? "q95" : "ci95High", in: path))
        var stats: [String: [Int: (mean: Double, low: Double?, high: Double?)]] = [:]
        for (line, row) in table.rows.enumerated() {
            guard let p = Int(row[cp]), plan.points.indices.contains(p) else {
                throw InputError(source: "\(path):\(line + 2)", path: "point", value: row[cp], problem: "not a point of the plan")
            }
            let mean = try table.number(row, cmean, line: line, in: path)
            let low = row[clo].isEmpty ? nil : try table.number(row, clo, line: line, in: path)
            let high = row[chi].isEmpty ? nil : try table.number(row, chi, line: line, in: path)
            stats[row[cm], default: [:]][p] = (mean, low, high)
        }
        func number(_ v: ScenarioValue) -> Double? { if case .number(let d) = v { return d }; return nil }
        let numeric = plan.factors.indices.filter { f in plan.points.allSatisfy { number($0[f]) != nil } }
        var figures: [(String, String)] = []
        if plan.design == .grid && plan.factors.count == 2 {
            // A heat map per metric over the two factors' values.
            let xs = Array(Set(plan.points.map { $0[0].csvText })), ys = Array(Set(plan.points.map { $0[1].csvText }))
            func order(_ values: [String], _ f: Int) -> [String] {
                values.sorted { a, b in
                    let (x, y) = (Double(a), Double(b))
                    return x != nil && y != nil ? x! < y! : a < b
                }
            }
            let (xo, yo) = (order(xs, 0), order(ys, 1))
            for m in metrics {
                var cells = [[Double?]](repeating: [Double?](repeating: nil, count: xo.count), count: yo.count)
                var intervals = [[ClosedRange<Double>?]](repeating: [ClosedRange<Double>?](repeating: nil, count: xo.count), count: yo.count)
                for (k, point) in plan.points.enumerated() {
                    let (row, column) = (yo.firstIndex(of: point[1].csvText)!, xo.firstIndex(of: point[0].csvText)!)
                    cells[row][column] = stats[m]?[k]?.mean
                    if let s = stats[m]?[k], let lo = s.low, let hi = s.high, lo <= hi { intervals[row][column] = lo...hi }
                }
                let map = HeatMap(title: "\(m): mean over \(plan.replicates) replicate(s)", xLabel: plan.factors[0].path, yLabel: plan.factors[1].path,
                                  xValues: xo, yValues: yo, cells: cells, percent: (MetricCatalog.metric(m)?.isShare == true), intervals: intervals)
                figures.append((map.title, map.svg()))
            }
        } else {
            for m in metrics {
                for f in numeric {
                    let line = plan.design == .grid && plan.factors.count == 1
                    var points: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = []
                    for (k, point) in plan.points.enumerated() {
                        guard let s = stats[m]?[k], let x = number(point[f]) else { continue }
                        points.append((x, s.mean))
                        if let lo = s.low, let hi = s.high { band.append((x, lo, hi)) }
                    }
                    let chart = LineChart(title: "\(m) against \(plan.factors[f].path)", xLabel: plan.factors[f].path, yLabel: m,
                                          series: [ChartSeries(name: line ? "mean with \(posterior ? "90 % posterior" : "95 %") interval" : "each point's mean (other factors vary too)",
                                                               style: line ? .line : .markers, points: points, band: line ? band : [])],
                                          yPercent: (MetricCatalog.metric(m)?.isShare == true))
                    figures.append((chart.title, chart.svg()))
                }
            }
        }
        let facts = ["scenario \(plan.base.name) · seed \(plan.base.run.seed) · made by retailsim \(plan.version)",
                     "design \(plan.design) · \(plan.points.count) point(s) x \(plan.replicates) replicate(s) · seeds \(plan.seeding.rawValue) · "
                        + "varied: " + plan.factors.map(\.path).joined(separator: ", ")]
        return ("Sweep of \(plan.base.name)", facts, figures)
    }

    // MARK: a backcast

    /// A backcast's folder (`retailsim reproduce backcast-2015-2024`): its
    /// checks counted by use, and its figure of each series.
    static func backcastPage(folder: String) throws -> (String, [String], [(String, String)]) {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        let record = try JSONDecoder().decode(ReproductionRecord.self, from: Data(contentsOf: URL(fileURLWithPath: path("result.json"))))
        // Each use as its checks are labelled; a calibration label no check carries is left out.
        let heldOut = HistoryTarget.Use.validation.label(fitted: true)
        let uses = [(HistoryTarget.Use.calibration.label(fitted: true), "Fitted figures within tolerance"),
                    (HistoryTarget.Use.calibration.label(fitted: false), "Calibration figures not fitted yet, within tolerance"),
                    (heldOut, "held-out figures")].compactMap { label, words -> String? in
            let checks = record.checks.filter { $0.reference.hasPrefix(label + ":") }
            return checks.isEmpty && label != heldOut ? nil : "\(words): \(checks.filter(\.pass).count) of \(checks.count)"
        }
        let facts = ["\(record.title): \(record.claim). RetailSim \(record.version), seed \(record.seed), \(record.replicates) replicates of \(record.shoppers) households.",
                     uses.joined(separator: "; ") + "; each miss and its reason are in Results/README.md, every figure (those reported only too) in targets.csv."]
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("figure") && $0.hasSuffix(".svg") }.sorted()
        let figures = try names.map { name in
            (String(name.dropLast(4)), try String(contentsOfFile: path(name), encoding: .utf8))
        }
        return ("\(record.title)", facts, figures)
    }

    // MARK: the page

    static func html(title: String, facts: [String], figures: [(String, String)]) -> String {
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="UTF-8"/>
        <title>RetailSim: \(ChartFrame.escape(title))</title>
        <style>
        body { font-family: sans-serif; max-width: 760px; margin: 2em auto; color: #222; }
        figure { margin: 1.5em 0; }
        figcaption { font-size: 0.85em; color: #555; }
        p.facts { color: #444; }
        table.regions { border-collapse: collapse; font-size: 0.8em; }
        table.regions td, table.regions th { border-bottom: 1px solid #ddd; padding: 2px 6px; text-align: right; }
        </style>
        </head>
        <body>
        <h1>RetailSim: \(ChartFrame.escape(title))</h1>

        """
        for f in facts { out += "<p class=\"facts\">\(ChartFrame.escape(f))</p>\n" }
        for (name, svg) in figures {
            out += "<figure class=\"chart\" id=\"\(ChartFrame.escape(name.lowercased().replacingOccurrences(of: " ", with: "-")))\">\n\(svg)</figure>\n"
        }
        return out + "</body>\n</html>\n"
    }
}
