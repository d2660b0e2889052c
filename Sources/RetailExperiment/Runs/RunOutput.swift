import Foundation
import RetailModel

/// Writes a run's files (docs/MODEL.md section 11) into its output folder, each atomically.
public enum RunOutput {
    public static let fileNames = ["weekly.csv", "members.csv", "retailers.csv", "waits.csv", "regions.csv", "summary.json", "scenario.json"]

    /// Files a run writes only on request (`--write-facilities`, `--write-shoppers`, `--write-zctas`).
    public static let optionalFileNames = ["facilities.csv", "shoppers.csv", "zctas.csv"]

    /// Writes the run's files and commits them as one group with `alongside`
    /// (the optional files, written but not yet committed), summary.json
    /// last; an optional file of an earlier run that this one does not write
    /// is removed with the old group, so a folder never mixes two runs.
    public static func write(_ result: RunResult, to folder: String, alongside: [AtomicFile] = []) throws {
        try result.checkFinite()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        AtomicFile.removeAbandoned(in: folder)
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

        let weekly = try AtomicFile(path: path("weekly.csv"))
        try weekly.write("replicate,week,segment,option,trips,revenue,groceryTrips,groceryRevenue,date\n")
        let members = try AtomicFile(path: path("members.csv"))
        try members.write("replicate,week,segment,programme,members,date\n")
        let waits = try AtomicFile(path: path("waits.csv"))
        try waits.write("replicate,week,option,orders,meanWaitHours,date\n")
        let retailers = try AtomicFile(path: path("retailers.csv"))
        try retailers.write("replicate,week,retailer,priceIndex,facilities,hubs,personalization,inStock,revenue,profit,responsePrice,margin,date\n")
        for (index, weeks) in result.replicates.enumerated() {
            let r = index + 1
            var w = "", m = "", t = "", d = ""
            let calendar = result.scenario.calendar
            for record in weeks {
                // Each row ends with the week's first day (0.21.0; last, so that readers by position keep working).
                let week = record.week, date = "," + calendar.date(ofWeek: record.week) + "\n"
                for segment in Segment.allCases {
                    for option in Option.allCases {
                        w += "\(r),\(week),\(segment.name),\(option.code),\(record.trips(segment, option)),"
                            + money(record.revenue(segment, option)) + ",\(record.groceryTrips(segment, option)),"
                            + money(record.groceryRevenue(segment, option)) + date
                    }
                    for programme in Programme.allCases {
                        m += "\(r),\(week),\(segment.name),\(programme.name),\(record.members(segment, programme))" + date
                    }
                }
                for option in Option.allCases where option.isOnline {
                    d += "\(r),\(week),\(option.code),\(record.trips(option)),"
                        + (record.meanWaitHours(option).map { String(format: "%.4f", $0) } ?? "") + date
                }
                for (id, line) in [(RetailerID.amazon, record.amazon), (.walmart, record.walmart)] {
                    t += "\(r),\(week),\(id.name),\(ratio(line.priceIndex)),\(line.facilities),\(line.hubs),"
                        + "\(line.personalization.map(ratio) ?? ""),\(line.inStock.map(ratio) ?? ""),"
                        + money(line.revenue) + "," + money(line.profit) + ",\(ratio(line.responsePrice)),\(ratio(line.margin))" + date
                }
            }
            try weekly.write(w)
            try members.write(m)
            try retailers.write(t)
            try waits.write(d)
        }
        let regions = try AtomicFile(path: path("regions.csv"))
        try regions.write(regionsCSV(result))
        let scenario = try AtomicFile(path: path("scenario.json"))
        try scenario.write(result.scenario.json())
        let summary = try AtomicFile(path: path("summary.json"))
        try summary.write(summaryJSON(result))
        // summary.json last: it is the seal that says the folder holds one whole run.
        let written = Set(alongside.map { ($0.path as NSString).lastPathComponent })
        try AtomicFile.commitAll([weekly, members, retailers, waits, regions, scenario] + alongside + [summary],
                                 retiring: optionalFileNames.filter { !written.contains($0) }.map(path), afterEach: afterEachRename)
    }

    /// regions.csv: each replicate's spend shares and memberships by state,
    /// density class and income class at its end, and grocery's share, online
    /// grocery's and the Walmart-like share of grocery (docs/GEOGRAPHY.md section 5).
    /// `represented` is households (real country) or people (synthetic).
    static func regionsCSV(_ result: RunResult) -> String {
        let scale = result.scenario.model.agentScale
        var text = regionsHeader + "\n"
        for (index, weeks) in result.replicates.enumerated() {
            guard let g = weeks.last?.regions else { continue }
            for k in 0..<g.groupCount { text += regionRow(g, k, replicate: index + 1, scale: scale) + "\n" }
        }
        return text
    }

    static let regionsHeader = "replicate,kind,region,agents,represented," + Option.allCases.map { "spendShare.\($0.code)" }.joined(separator: ",")
        + ",onlineShare,amazonShareOfOnline,walmartShare,primeShare,plusShare,groceryShare,onlineShareOfGrocery,walmartShareOfGrocery"

    /// Group k of `g` as a row of regions.csv (no newline).
    static func regionRow(_ g: RegionOutcome, _ k: Int, replicate: Int, scale: Double) -> String {
        let shares = Option.allCases.map { g.spendShare(k, $0) }
        let online = g.onlineShare(k)
        let amazonOfOnline = online > 0 ? shares[Option.amazon.rawValue] / online : 0
        return "\(replicate),\(g.kinds[k]),\(g.names[k]),\(Int(g.households[k])),\(String(format: "%.0f", g.households[k] * scale)),"
            + shares.map(ratio).joined(separator: ",") + ",\(ratio(online)),\(ratio(amazonOfOnline)),"
            + "\(ratio(Option.sold(by: .walmart).reduce(0) { $0 + shares[$1.rawValue] })),"
            + "\(ratio(g.memberShare(k, .prime))),\(ratio(g.memberShare(k, .plus))),"
            + "\(ratio(g.groceryShare(k))),\(ratio(g.shareOfGrocery(k, Option.online))),\(ratio(g.shareOfGrocery(k, Option.sold(by: .walmart))))"
    }

    /// zctas.csv's first line: regions.csv's columns, then the ZCTA's state,
    /// its interior point and the km from it to the nearest `[[facility]]`
    /// place on the model's map (empty without one).
    public static let zctasHeader = regionsHeader + ",state,latitude,longitude,kmToPlace\n"

    /// zctas.csv's rows for one replicate at its end (`--write-zctas`): every
    /// ZCTA where a simulated household lives, as regions.csv's groups are
    /// measured (expected spend at the week's prices, memberships).
    public static func zctaRows(_ market: Market, replicate: Int, scale: Double) throws -> String {
        guard let us = market.geography.us, let (g, zctas) = try market.measureZCTAs() else { return "" }
        let places = market.facilityChanges.map(\.point)
        var text = ""
        for (k, z) in zctas.enumerated() {
            let x = us.x[z], y = us.y[z]
            let km = places.map { p in Double(((p.x - x) * (p.x - x) + (p.y - y) * (p.y - y)).squareRoot()) }.min()
            text += regionRow(g, k, replicate: replicate, scale: scale) + ",\(us.regions.states[Int(us.regions.state[z])]),"
                + String(format: "%.5f,%.5f", us.regions.latitude[z], us.regions.longitude[z]) + "," + (km.map { String(format: "%.2f", $0) } ?? "") + "\n"
        }
        return text
    }

    /// zctas.csv from the replicates' rows. Written, not committed: `write(_:to:alongside:)` commits it with the run.
    public static func zctasFile(rows: String, in folder: String) throws -> AtomicFile {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = try AtomicFile(path: (folder as NSString).appendingPathComponent("zctas.csv"))
        try file.write(zctasHeader + rows)
        return file
    }

    /// facilities.csv: every facility of a replicate's network at its end:
    /// kind (store, fulfillment, sameDay), state, degrees (real country),
    /// position on the map, its delivery radius (a store's once it delivers),
    /// the week it opened or began delivering (0: at the start; empty: never),
    /// a store's format (real country, siting "published"; else empty) and
    /// the week an intervention closed it (empty: open); a delivering store's
    /// slots and their use, and (0.20.0) a walk-in store's pickup slots and
    /// theirs. Dark stores are kind darkStore; closed fulfilment centres and
    /// same-day sites are gone.
    /// Written, not committed: `write(_:to:alongside:)` commits it with the run.
    public static func facilitiesFile(_ market: Market, in folder: String) throws -> AtomicFile {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = try AtomicFile(path: (folder as NSString).appendingPathComponent("facilities.csv"))
        let f = market.facilities, p = market.parameters
        // A delivering store's slots and their use in the last week (0 slots: unlimited), then a walk-in
        // store's pickup slots and theirs; empty where a store has none.
        var text = "kind,state,latitude,longitude,xKm,yKm,radiusKm,week,format,closedWeek,slotsPerWeek,householdsServed,ordersLastWeek,extraWaitHours,slotZone,"
            + "pickupSlotsPerWeek,pickupHouseholdsServed,pickupOrdersLastWeek,pickupExtraWaitHours,pickupSlotZone\n"
        func use(_ slots: StoreSlots?) -> String {
            slots.map { "\(String(format: "%.0f", $0.slotsPerWeek)),\(String(format: "%.0f", $0.households)),"
                + "\(String(format: "%.0f", $0.orders)),\(String(format: "%.2f", $0.extraWaitHours)),\($0.zone)" } ?? ",,,,"
        }
        func row(_ kind: String, _ format: StoreFormat?, _ label: Facilities.Label?, _ point: Point, _ radius: Double, _ week: Int,
                 closed: Int = -1, slots: StoreSlots? = nil, pickup: StoreSlots? = nil) {
            let place = label.map { "\($0.state),\(String(format: "%.5f", $0.latitude)),\(String(format: "%.5f", $0.longitude))" } ?? ",,"
            text += "\(kind),\(place),\(String(format: "%.3f", point.x)),\(String(format: "%.3f", point.y)),"
                + "\(String(format: "%.2f", radius)),\(week >= 0 ? String(week) : ""),\(format?.rawValue ?? ""),\(closed >= 0 ? String(closed) : ""),"
                + "\(use(slots)),\(use(pickup))\n"
        }
        let slots = market.storeSlots, pickups = market.pickupSlots
        for (k, point) in f.stores.enumerated() {
            row(f.walkIn[k] ? "store" : "darkStore", k < f.storeFormats.count ? f.storeFormats[k] : nil, k < f.storeLabels.count ? f.storeLabels[k] : nil,
                point, Double(f.hubRadiusKm[k]), f.hubWeek[k], closed: f.closeWeek[k], slots: slots[k], pickup: pickups[k])
        }
        for (k, point) in f.fulfillmentCenters.enumerated() {
            row("fulfillment", nil, k < f.fulfillmentLabels.count ? f.fulfillmentLabels[k] : nil, point, p.amazon.nextDayRadiusKm, 0)
        }
        for (k, point) in f.sameDaySites.enumerated() {
            row("sameDay", nil, k < f.sameDayLabels.count ? f.sameDayLabels[k] : nil, point, p.amazon.sameDayRadiusKm, f.sameDayWeek[k])
        }
        try file.write(text)
        return file
    }

    /// The files a run writes only on request: replicate 1's facilities.csv
    /// (`--write-facilities`) and shoppers.csv (`--write-shoppers`), and
    /// every replicate's rows of zctas.csv (`--write-zctas`), gathered as the
    /// replicates end and committed with the run.
    public struct Requested {
        public let facilities: Bool, shoppers: Bool, zctas: Bool
        private var files: [AtomicFile] = []
        private var zctaRows = ""

        public init(facilities: Bool = false, shoppers: Bool = false, zctas: Bool = false) {
            (self.facilities, self.shoppers, self.zctas) = (facilities, shoppers, zctas)
        }

        /// What replicate `replicate`'s market at its end adds.
        public mutating func add(_ market: Market, replicate: Int, in folder: String) throws {
            if replicate == 1 {
                if facilities { files.append(try facilitiesFile(market, in: folder)) }
                if shoppers { files.append(try shoppersFile(market, in: folder)) }
            }
            if zctas { zctaRows += try RunOutput.zctaRows(market, replicate: replicate, scale: market.parameters.agentScale) }
        }

        /// The files, written and not yet committed (`write(_:to:alongside:)` commits them).
        public func written(in folder: String) throws -> [AtomicFile] {
            files + (zctas ? [try RunOutput.zctasFile(rows: zctaRows, in: folder)] : [])
        }
    }

    /// A test's hook into the renames of `write` (to stand for a kill between two of them).
    nonisolated(unsafe) public static var afterEachRename: ((Int) throws -> Void)? = nil

    static func money(_ x: Double) -> String { String(format: "%.2f", x) }
    static func ratio(_ x: Double) -> String { String(format: "%.6f", x) }

    /// summary.json: every metric's mean, sd, 95 % CI and quantiles across replicates,
    /// with the scenario, seed and version that made them.
    public static func summaryJSON(_ result: RunResult) throws -> String {
        let s = result.scenario
        let summaries = try MetricSummary.all(result.metrics)
        let byName = Dictionary(uniqueKeysWithValues: summaries.map { ($0.name, $0) })
        var lines: [String] = [
            "\"scenario\": \(JSONText.string(s.name))",
            "\"seed\": \(s.run.seed)",
            "\"version\": \(JSONText.string(RetailSimVersion.string))",
            "\"replicates\": \(s.run.replicates)",
            "\"shoppers\": \(s.model.population.shoppers)",
            "\"weeks\": \(s.run.weeks)",
            "\"warmupWeeks\": \(s.run.warmupWeeks)",
        ]
        if let stop = result.stoppedAt {
            // A run ended early (Ctrl-C): what the figures below rest on.
            lines.append("\"stoppedAt\": {\"replicate\": \(stop.replicate), \"week\": \(stop.week), "
                         + "\"replicatesSummarised\": \(result.replicates.count)}")
        }
        let options = Option.allCases.map { o in
            "    \(JSONText.string(o.code)): {\n      \"spendShare\": \(byName["spendShare.\(o.code)"]!.json),\n"
                + "      \"tripShare\": \(byName["tripShare.\(o.code)"]!.json)\n    }"
        }
        lines.append("\"options\": {\n" + options.joined(separator: ",\n") + "\n  }")
        for metric in MetricCatalog.all where metric.option == nil {
            lines.append("\(JSONText.string(metric.name)): \(byName[metric.name]!.json)")
        }
        return "{\n  " + lines.joined(separator: ",\n  ") + "\n}\n"
    }

    /// `run --emit summary`: one JSON line for workflow systems, with the
    /// scenario, seed, version and replicates, then `metrics`
    /// (each metric's mean across replicates) and `ci95` (its 95 % interval;
    /// null with one replicate).
    public static func summaryLine(_ result: RunResult) throws -> String {
        let s = result.scenario
        let summaries = try MetricSummary.all(result.metrics)
        let means = summaries.map { "\(JSONText.string($0.name)): \(JSONText.number($0.mean))" }
        let intervals = summaries.map { "\(JSONText.string($0.name)): \($0.ci95JSON)" }
        var head = ["\"scenario\": \(JSONText.string(s.name))", "\"seed\": \(s.run.seed)", "\"version\": \(JSONText.string(RetailSimVersion.string))",
                    "\"replicates\": \(result.replicates.count)"]
        if let stop = result.stoppedAt { head.append("\"stoppedAt\": {\"replicate\": \(stop.replicate), \"week\": \(stop.week)}") }
        return "{" + (head + ["\"metrics\": {" + means.joined(separator: ", ") + "}", "\"ci95\": {" + intervals.joined(separator: ", ") + "}"])
            .joined(separator: ", ") + "}"
    }

    /// The most households `writeShoppers` is asked to write: 10 million rows
    /// (under 1 GB), streamed a megabyte at a time.
    public static let shopperRowsLimit = 10_000_000

    /// shoppers.csv: one row per household of one replicate's market, with its
    /// segment, position and distances to the nearest facility of each kind, km.
    /// Written, not committed, as `facilitiesFile`.
    public static func shoppersFile(_ market: Market, in folder: String) throws -> AtomicFile {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = try AtomicFile(path: (folder as NSString).appendingPathComponent("shoppers.csv"))
        try file.write("shopper,segment,xKm,yKm,storeKm,hubKm,sameDayKm,fulfillmentKm\n")
        let s = market.shoppers, f = market.facilities
        func km(_ found: (id: Int, km: Float)?) -> String { found.map { String(format: "%.3f", $0.km) } ?? "" }
        var text = ""
        for i in 0..<s.count {
            let p = s.position(i)
            text += "\(i),\(s.segmentOf(i).name),\(String(format: "%.3f", p.x)),\(String(format: "%.3f", p.y)),"
                + "\(km(f.storeIndex.nearest(to: p))),\(km(f.hubIndex.nearest(to: p))),"
                + "\(km(f.sameDayIndex.nearest(to: p))),\(km(f.fulfillmentIndex.nearest(to: p)))\n"
            if text.utf8.count > 1 << 20 {
                try file.write(text)
                text = ""
            }
        }
        try file.write(text)
        return file
    }
}
