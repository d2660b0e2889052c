import Foundation
import RetailModel
import RetailStats

/// One comparison an experiment makes: the reference (a closed form, a
/// published figure, a claim's direction), the model's figure, the tolerance,
/// and whether they agree.
public struct Check: Codable, Sendable, Equatable {
    public var name: String
    public var reference: String
    public var model: String
    public var tolerance: String
    public var pass: Bool

    public init(name: String, reference: String, model: String, tolerance: String, pass: Bool) {
        self.name = name
        self.reference = reference
        self.model = model
        self.tolerance = tolerance
        self.pass = pass
    }
}

/// What `reproduce` records of one experiment (`Results/<name>/result.json`):
/// enough to rebuild the Results/README.md table and to run it again.
public struct ReproductionRecord: Codable, Sendable {
    public var experiment: String
    public var title: String
    public var kind: String
    public var source: String
    public var claim: String
    public var command: String
    public var seed: Int
    public var version: String
    public var replicates: Int
    public var shoppers: Int
    public var weeks: Int
    public var checks: [Check]
    /// Why a check misses, by check name (from the experiment's file).
    public var why: [String: String]
    /// Files written, besides result.json.
    public var files: [String]

    public init(experiment: String, title: String, kind: String, source: String, claim: String, command: String, seed: Int,
                version: String, replicates: Int, shoppers: Int, weeks: Int, checks: [Check], why: [String: String], files: [String]) {
        self.experiment = experiment
        self.title = title
        self.kind = kind
        self.source = source
        self.claim = claim
        self.command = command
        self.seed = seed
        self.version = version
        self.replicates = replicates
        self.shoppers = shoppers
        self.weeks = weeks
        self.checks = checks
        self.why = why
        self.files = files
    }
}

/// How large to make the experiments: `nil` keeps each file's own size. Tests
/// shrink them; `reproduce` runs them as written.
public struct ReproductionSize: Sendable {
    public var shoppers: Int?
    public var replicates: Int?
    /// Calibration only.
    public var maxIterations: Int?

    public init(shoppers: Int? = nil, replicates: Int? = nil, maxIterations: Int? = nil) {
        self.shoppers = shoppers
        self.replicates = replicates
        self.maxIterations = maxIterations
    }
}

/// Runs the experiments of `Experiments/reproduce/` (MODEL.md section 9, the
/// published targets and the source article's claims) and writes each into
/// `Results/<name>/` with its figures, and the table of all into Results/README.md.
public enum Reproduction {
    /// Runs one experiment and writes its folder under `results`.
    public static func run(_ spec: ReproductionSpec, results: String, threads: Int, size: ReproductionSize = ReproductionSize(),
                           root: String = FileManager.default.currentDirectoryPath) throws -> ReproductionRecord {
        let folder = (results as NSString).appendingPathComponent(spec.name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        AtomicFile.removeAbandoned(in: folder)
        var extra: [Assignment] = []
        if let n = size.shoppers { extra.append(Assignment(path: "population.shoppers", value: .number(Double(n)), source: "size")) }
        let replicates = size.replicates ?? spec.replicates
        extra.append(Assignment(path: "run.replicates", value: .number(Double(replicates)), source: spec.name))
        let base = try spec.scenario(root: root, extra)
        var record = ReproductionRecord(experiment: spec.name, title: spec.title, kind: spec.kind.rawValue, source: spec.source, claim: spec.claim,
                                      command: "retailsim reproduce \(spec.name)", seed: base.run.seed, version: RetailSimVersion.string,
                                      replicates: replicates, shoppers: base.model.population.shoppers, weeks: base.run.weeks,
                                      checks: [], why: spec.why, files: [])
        let written: (checks: [Check], files: [String])
        switch spec.kind {
        case .logit, .huff: written = try ClosedFormExperiment.choice(spec, base: base, root: root, extra: extra, folder: folder, threads: threads)
        case .bass: written = try ClosedFormExperiment.bass(spec, base: base, folder: folder, threads: threads)
        case .paired: written = try PairedExperiment.run(spec, root: root, extra: extra, folder: folder, threads: threads)
        case .validation: written = try ValidationExperiment.run(spec, base: base, root: root, folder: folder, threads: threads)
        case .calibration:
            written = try ValidationExperiment.calibrate(spec, base: base, root: root, size: size, folder: folder, threads: threads)
            record.weeks = base.run.weeks
        }
        record.checks = written.checks
        record.files = written.files
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(String(decoding: try encoder.encode(record), as: UTF8.self) + "\n",
                             to: (folder as NSString).appendingPathComponent("result.json"))
        return record
    }

    /// Every experiment's record found under `results`, by name.
    public static func records(results: String) -> [ReproductionRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: results)) ?? []
        return names.sorted().compactMap { name in
            let path = ((results as NSString).appendingPathComponent(name) as NSString).appendingPathComponent("result.json")
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            return try? JSONDecoder().decode(ReproductionRecord.self, from: data)
        }
    }

    static let begin = "<!-- reproduce: begin (written by `retailsim reproduce`; edit the experiments, not this table) -->"
    static let end = "<!-- reproduce: end -->"

    /// The table of every experiment's checks, with a sentence for each miss.
    public static func table(_ records: [ReproductionRecord]) -> String {
        var out = "| experiment | check | target or closed form | model | tolerance | result | command |\n|---|---|---|---|---|---|---|\n"
        var misses: [String] = []
        for r in records {
            for c in r.checks {
                out += "| `\(r.experiment)` | \(cell(c.name)) | \(cell(c.reference)) | \(cell(c.model)) | \(cell(c.tolerance)) | "
                    + (c.pass ? "PASS" : "**FAIL**") + " | `\(r.command)` |\n"
                if !c.pass {
                    misses.append("- `\(r.experiment)`, \(c.name): " + (r.why[c.name] ?? "no explanation written yet (add `why.\(c.name)` to Experiments/reproduce/\(r.experiment).toml)."))
                }
            }
        }
        let passes = records.reduce(0) { $0 + $1.checks.filter(\.pass).count }, total = records.reduce(0) { $0 + $1.checks.count }
        out += "\n\(passes) of \(total) checks pass.\n"
        if !misses.isEmpty { out += "\nWhy each miss is a miss:\n\n" + misses.joined(separator: "\n") + "\n" }
        return out
    }

    private static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }

    /// Puts the table between its markers in the README at `path` (appending
    /// the markers the first time), leaving the rest of the file as it is.
    public static func writeIndex(records: [ReproductionRecord], readme path: String) throws {
        var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Results\n"
        let block = begin + "\n" + table(records) + end
        if let a = text.range(of: begin), let b = text.range(of: end), a.lowerBound < b.lowerBound {
            text.replaceSubrange(a.lowerBound..<b.upperBound, with: block)
        } else {
            text += "\n## Reproduced experiments\n\n" + block + "\n"
        }
        try AtomicFile.write(text, to: path)
    }

    // Shared helpers of the experiments.

    static func interval(_ values: [Double]) throws -> (mean: Double, low: Double, high: Double) {
        let s = Summary(values)
        let ci = try s.confidenceInterval(level: 0.95)
        return (s.mean, ci?.lowerBound ?? s.mean, ci?.upperBound ?? s.mean)
    }

    static func format(_ x: Double) -> String { String(format: "%.4f", x) }

    static func write(_ text: String, _ name: String, in folder: String) throws -> String {
        try AtomicFile.write(text, to: (folder as NSString).appendingPathComponent(name))
        return name
    }
}

/// The closed forms of MODEL.md section 9 as experiments with figures.
enum ClosedFormExperiment {
    /// Logit or Huff: at each value of the varied parameter, the simulated
    /// shares (mean of replicates with a 95 % interval) against the closed form
    /// computed from the same shoppers.
    static func choice(_ spec: ReproductionSpec, base: Scenario, root: String, extra: [Assignment], folder: String,
                       threads: Int) throws -> (checks: [Check], files: [String]) {
        let huff = spec.kind == .huff
        // Logit: every option's trip share. Huff: the Walmart-like store's share of store trips.
        let labels = huff ? ["WS of store trips"] : Option.allCases.map { "\($0.code) \($0.title)" }
        var csv = "value,share,closedForm,simulated,ci95Low,ci95High\n"
        var closed = [[(x: Double, y: Double)]](repeating: [], count: labels.count)
        var simulated = [[(x: Double, y: Double)]](repeating: [], count: labels.count)
        var bands = [[(x: Double, low: Double, high: Double)]](repeating: [], count: labels.count)
        var worst = 0.0, worstAt = ""
        for value in spec.varyValues {
            let s = try spec.scenario(root: root, extra + [Assignment(path: spec.varyPath, value: value, source: spec.name)])
            guard case .number(let x) = value else {
                throw InputError(source: spec.file, path: "vary.values", value: value.description, problem: "a closed-form experiment varies a number")
            }
            let perReplicate = try Replicates.concurrently(replicates: s.run.replicates, threads: threads) { r -> (sim: [Double], closed: [Double]) in
                let market = try Market(parameters: s.model, seed: UInt64(s.run.seed), replicate: r, threads: 1)
                let expected = huff ? huffShare(market) : logitShares(market)
                var trips = [Double](repeating: 0, count: Option.count)
                for _ in 0..<s.run.weeks {
                    let w = market.advanceWeek()
                    for o in Option.allCases { trips[o.rawValue] += Double(w.trips(o)) }
                }
                let sim = huff ? [trips[1] / max(trips[1] + trips[3], 1)] : trips.map { $0 / max(trips.reduce(0, +), 1) }
                return (sim, expected)
            }
            for k in labels.indices {
                let sim = try Reproduction.interval(perReplicate.map { $0.sim[k] })
                let form = perReplicate.map { $0.closed[k] }.reduce(0, +) / Double(perReplicate.count)
                closed[k].append((x, form))
                simulated[k].append((x, sim.mean))
                bands[k].append((x, sim.low, sim.high))
                csv += "\(x),\(labels[k]),\(form),\(sim.mean),\(sim.low),\(sim.high)\n"
                if abs(sim.mean - form) > worst {
                    worst = abs(sim.mean - form)
                    worstAt = "\(labels[k]) at \(spec.varyPath) = \(value)"
                }
            }
        }
        var series: [ChartSeries] = []
        for k in labels.indices {
            series.append(ChartSeries(name: labels[k], style: .dashed, points: closed[k], colour: k))
            series.append(ChartSeries(name: labels[k], style: .markers, points: simulated[k], band: bands[k], colour: k, inLegend: false))
        }
        let chart = LineChart(title: spec.title, xLabel: spec.varyPath, yLabel: huff ? "share of store trips" : "share of trips",
                              series: series, yPercent: true, yInclude: [0],
                              note: "dashed: closed form; dots: simulated, mean of \(base.run.replicates) replicates with 95 % interval")
        let files = [try Reproduction.write(csv, "curve.csv", in: folder), try Reproduction.write(chart.svg(height: huff ? 420 : 520), "figure.svg", in: folder)]
        let reference = huff ? "Huff (1963): d_store^-lambda / (d_store^-lambda + d_other^-lambda), mean over shoppers"
            : "McFadden (1974): softmax of V, mean over shoppers"
        let check = Check(name: huff ? "huff-store-shares" : "softmax-trip-shares",
                          reference: reference, model: String(format: "largest gap %.4f (%@), %d values x %d replicates", worst, worstAt,
                                                              spec.varyValues.count, base.run.replicates),
                          tolerance: String(format: "%.4f", spec.tolerance), pass: worst <= spec.tolerance)
        return ([check], files)
    }

    /// Mean over shoppers, weighted by trip rate, of each option's logit probability.
    static func logitShares(_ market: Market) -> [Double] {
        let ctx = market.choiceContext, s = market.shoppers
        var shares = [Double](repeating: 0, count: Option.count), weight = 0.0
        for i in 0..<s.count {
            let u = ctx.utilities(of: i, in: s)
            let v = Option.allCases.map { Double(u[$0]) }
            let m = v.max()!
            let e = v.map { exp($0 - m) }
            let total = e.reduce(0, +), rate = Double(s.tripRate[i])
            for k in shares.indices { shares[k] += rate * e[k] / total }
            weight += rate
        }
        return shares.map { $0 / weight }
    }

    /// Mean over shoppers, weighted by trip rate, of Huff's probability of the Walmart-like store.
    static func huffShare(_ market: Market) -> [Double] {
        let p = market.parameters.choice, s = market.shoppers
        var share = 0.0, weight = 0.0
        for i in 0..<s.count {
            let d1 = max(Double(s.storeKm[i]), p.minimumTravelKm), d2 = p.otherStoreKm[s.segmentOf(i)]
            let rate = Double(s.tripRate[i])
            share += rate * pow(d1, -p.powerExponent) / (pow(d1, -p.powerExponent) + pow(d2, -p.powerExponent))
            weight += rate
        }
        return [share / weight]
    }

    /// Bass: membership of a programme nobody holds at the start, with only
    /// innovation and imitation over the whole population, against Bass's
    /// curve with annual p and q (13 monthly decisions a year).
    static func bass(_ spec: ReproductionSpec, base: Scenario, folder: String, threads: Int) throws -> (checks: [Check], files: [String]) {
        let p = spec.numbers["annualInnovation"]!, q = spec.numbers["annualImitation"]!, years = spec.numbers["years"]!
        var bassScenario = base
        bassScenario.model.membership.innovation = p / 13
        bassScenario.model.membership.imitation = q / 13
        let months = Int((years * 13).rounded())
        bassScenario.run.weeks = 4 * months + 1
        bassScenario.run.warmupWeeks = 0
        try bassScenario.validate()
        let s = bassScenario
        let n = Double(s.model.population.shoppers)
        // Member share after k monthly decisions: the census of week 4k + 1.
        let paths = try Replicates.concurrently(replicates: s.run.replicates, threads: threads) { r -> [Double] in
            let market = try Market(parameters: s.model, seed: UInt64(s.run.seed), replicate: r, threads: 1)
            let weeks = (0..<s.run.weeks).map { _ in market.advanceWeek() }
            return (0...months).map { Double(weeks[4 * $0].members(.prime)) / n }
        }
        func curve(_ t: Double) -> Double {
            let e = exp(-(p + q) * t)
            return (1 - e) / (1 + (q / p) * e)
        }
        var csv = "month,years,bass,simulated,ci95Low,ci95High\n"
        var simulated: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = [], closed: [(x: Double, y: Double)] = []
        var worst = 0.0, worstAt = 0.0
        for k in 0...months {
            let t = Double(k) / 13
            let sim = try Reproduction.interval(paths.map { $0[k] })
            simulated.append((t, sim.mean))
            band.append((t, sim.low, sim.high))
            closed.append((t, curve(t)))
            csv += "\(k),\(t),\(curve(t)),\(sim.mean),\(sim.low),\(sim.high)\n"
            if abs(sim.mean - curve(t)) > worst { (worst, worstAt) = (abs(sim.mean - curve(t)), t) }
        }
        let chart = LineChart(title: spec.title, xLabel: "years", yLabel: "member share of shoppers",
                              series: [ChartSeries(name: String(format: "Bass curve, p = %.2f, q = %.2f a year", p, q), style: .dashed, points: closed),
                                       ChartSeries(name: "simulated (mean, 95 % band)", points: simulated, band: band)],
                              yPercent: true, yInclude: [0, 1])
        let files = [try Reproduction.write(csv, "curve.csv", in: folder), try Reproduction.write(chart.svg(), "figure.svg", in: folder)]
        let check = Check(name: "bass-curve",
                          reference: String(format: "Bass (1969) F(t) with p = %.2f, q = %.2f a year (Sultan, Farley and Lehmann 1990)", p, q),
                          model: String(format: "largest gap %.4f (at %.1f years), %d replicates x %.0f years", worst, worstAt, s.run.replicates, years),
                          tolerance: String(format: "%.4f", spec.tolerance), pass: worst <= spec.tolerance)
        return ([check], files)
    }
}
