import Foundation
import RetailStats

/// Everything that fixes a sweep's results: the base scenario, the varied
/// parameters, the design and its points, replicates per point, the seed and
/// the version. Written to `sweep.json`; a sweep is resumed, sharded and
/// merged only against the same plan.
public struct SweepPlan: Sendable, Equatable {
    /// How the seeds of runs at different points relate.
    public enum Seeding: String, Sendable, CaseIterable {
        /// Replicate r of every point uses the same seed (common random
        /// numbers): differences between points are not blurred by noise.
        case common
        /// Every (point, replicate) has a seed of its own.
        case independent
    }

    /// What a sweep keeps of each run besides its summary metrics.
    public enum Recording: String, Sendable, CaseIterable {
        /// Summary metrics only (results.csv).
        case summary
        /// Also every week's figures (weekly.csv, long form), for trajectories.
        case weekly
    }

    /// One run of the plan: a point and a replicate (1-based).
    public struct Run: Hashable, Sendable, Comparable {
        public var point: Int
        public var replicate: Int
        public init(point: Int, replicate: Int) {
            self.point = point
            self.replicate = replicate
        }
        public static func < (a: Run, b: Run) -> Bool { (a.point, a.replicate) < (b.point, b.replicate) }
    }

    /// The scenario every point starts from; its `run.replicates` is the
    /// replicates per point and its `run.seed` the sweep's seed.
    public let base: Scenario
    public let factors: [SweepFactor]
    public let design: SweepDesign
    public let seeding: Seeding
    public let recording: Recording
    /// Each point's values, in the order of `factors`.
    public let points: [[ScenarioValue]]
    /// When set, a run records the evidence's figures (the Bayesian
    /// calibration's waves) in place of the summary metrics.
    public let evidence: EvidenceSource?
    /// The RetailSim version that made the plan.
    public let version: String

    public var replicates: Int { base.run.replicates }
    public var runCount: Int { points.count * replicates }

    /// Plans a sweep, checking every point's scenario before any run starts.
    public init(base: Scenario, factors: [SweepFactor], design: SweepDesign, seeding: Seeding = .common,
                recording: Recording = .summary, evidence: EvidenceSource? = nil) throws(InputError) {
        var seen = Set<String>()
        for f in factors where !seen.insert(f.path).inserted {
            throw InputError(source: "--vary", path: f.path, problem: "varied twice; give each path once")
        }
        try base.refuseDrawn(factors.map(\.path)) { _ in design.isExternal ? "the points file" : "--vary" }
        try self.init(base: base, factors: factors, design: design, seeding: seeding, recording: recording,
                      points: design.points(factors, seed: base.run.seed), evidence: evidence, version: RetailSimVersion.string)
        // Every point checked now, relations and memory included, and named by
        // its line when it comes from a points file.
        let lines = design.isExternal ? try design.pointLines() : []
        for p in points.indices {
            do {
                try Replicates.checkMemory(try scenario(point: p, replicate: 1))
            } catch {
                guard p < lines.count, case .external(let file) = design else { throw error }
                throw InputError(source: "\(file):\(lines[p])", path: error.path, value: error.value, problem: error.problem)
            }
        }
    }

    private init(base: Scenario, factors: [SweepFactor], design: SweepDesign, seeding: Seeding, recording: Recording,
                 points: [[ScenarioValue]], evidence: EvidenceSource?, version: String) throws(InputError) {
        if evidence != nil && recording != .summary {
            throw InputError(source: "--record", value: recording.rawValue, problem: "a sweep that records evidence keeps its figures only; allowed: summary")
        }
        self.recording = recording
        self.evidence = evidence
        self.base = base
        self.factors = factors
        self.design = design
        self.seeding = seeding
        self.points = points
        self.version = version
        if runCount > 10_000_000 {
            throw InputError(source: "--replicates", value: "\(replicates)",
                                problem: "gives \(runCount) runs (\(points.count) points); allowed: at most 10000000 runs")
        }
    }

    /// The same plan made by this version (`retailsim verify` re-makes an
    /// older sweep with it, and its files then say what the versions change).
    public func atThisVersion() throws(InputError) -> SweepPlan {
        try SweepPlan(base: base, factors: factors, design: design, seeding: seeding, recording: recording, points: points,
                      evidence: evidence, version: RetailSimVersion.string)
    }

    /// The run with index `k` in plan order (point by point, replicates within).
    public func run(_ k: Int) -> Run { Run(point: k / replicates, replicate: k % replicates + 1) }

    public func index(of run: Run) -> Int { run.point * replicates + run.replicate - 1 }

    /// The seed of one run, derived from the sweep's seed: `retailsim run`
    /// with this seed, one replicate and the point's values repeats the run.
    public func seed(point: Int, replicate: Int) -> Int {
        var h = StreamKey.mix(UInt64(base.run.seed) ^ 0x5357_4545_5053_4545)
        h = StreamKey.mix(h ^ UInt64(replicate))
        if seeding == .independent { h = StreamKey.mix(h ^ (UInt64(point) &* 0x9E37_79B9_7F4A_7C15)) }
        return Int(h & (1 << 53 - 1))
    }

    /// The scenario of one run: the base with the point's values, one
    /// replicate, and the run's own seed.
    public func scenario(point: Int, replicate: Int) throws(InputError) -> Scenario {
        var s = base
        try s.apply(assignments(point: point))
        s.run.replicates = 1
        s.run.seed = seed(point: point, replicate: replicate)
        do {
            try s.validate()
        } catch {
            throw InputError(source: "--vary (point \(point))", path: error.path, value: error.value, problem: error.problem)
        }
        return s
    }

    /// The point's values as assignments.
    public func assignments(point: Int) -> [Assignment] {
        zip(factors, points[point]).map { Assignment(path: $0.path, value: $1, source: "--vary (point \(point))") }
    }

    /// The arguments that repeat one run with `retailsim run` (after the base scenario file, if any).
    public func runArguments(point: Int, replicate: Int) -> [String] {
        zip(factors, points[point]).flatMap { ["--set", "\($0.path)=\($1.csvText)"] }
            + ["--seed", "\(seed(point: point, replicate: replicate))", "--replicates", "1"]
    }

    // MARK: sweep.json

    /// The plan as `sweep.json`: the same plan always gives the same text.
    public func json() -> String {
        func value(_ v: ScenarioValue) -> String { v.text(for: .json) }
        let factorLines = factors.map { "    {\"path\": \(JSONText.string($0.path)), \"values\": \(JSONText.string($0.spec))}" }
        let pointLines = points.map { "    [" + $0.map(value).joined(separator: ", ") + "]" }
        let scenario = base.json().trimmingCharacters(in: .newlines).replacingOccurrences(of: "\n", with: "\n  ")
        let evidenceLine = evidence.map { e in
            "\n  \"evidence\": {" + (e.files.map { "\(JSONText.string($0.field)): \(JSONText.string($0.path))" }
                + ["\"fingerprint\": \(JSONText.string(e.fingerprint))",
                   "\"figures\": [" + e.columns.map(JSONText.string).joined(separator: ", ") + "]"]).joined(separator: ", ") + "},"
        } ?? ""
        return """
        {
          "version": \(JSONText.string(version)),
          "design": \(JSONText.string(design.description)),
          "seeds": \(JSONText.string(seeding.rawValue)),\(recording == .summary ? "" : "\n  \"record\": \(JSONText.string(recording.rawValue)),")\(evidenceLine)
          "replicates": \(replicates),
          "seed": \(base.run.seed),
          "points": \(points.count),
          "runs": \(runCount),
          "factors": [
        \(factorLines.joined(separator: ",\n"))
          ],
          "values": [
        \(pointLines.joined(separator: ",\n"))
          ],
          "scenario": \(scenario)
        }

        """
    }

    /// A short, stable identifier of the plan (FNV-1a of `json()`), stamped on
    /// every shard's record so that records of another plan are never merged.
    public var fingerprint: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in json().utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }

    public static let fileName = "sweep.json"

    /// Reads the plan in `folder`/sweep.json.
    public static func read(folder: String) throws(InputError) -> SweepPlan {
        let path = (folder as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(source: path, problem: FileManager.default.fileExists(atPath: folder)
                                ? "no sweep plan here; make one with `retailsim sweep plan` or `retailsim sweep`" : "no such folder")
        }
        let tree = try JSONTree.parse(data, name: path)
        func field(_ key: String) throws(InputError) -> JSONTree {
            guard let v = tree[key] else { throw InputError(source: path, path: key, problem: "missing; this is not a sweep plan written by retailsim") }
            return v
        }
        guard case .text(let version) = try field("version"), case .text(let designText) = try field("design"),
              case .text(let seedsText) = try field("seeds"), let seeding = Seeding(rawValue: seedsText),
              case .array(let factorTrees) = try field("factors"), case .array(let valueTrees) = try field("values") else {
            throw InputError(source: path, problem: "malformed sweep plan (version, design, seeds, factors or values)")
        }
        var recording = Recording.summary
        if let r = tree["record"] {
            guard case .text(let t) = r, let known = Recording(rawValue: t) else {
                throw InputError(source: path, path: "record", problem: "allowed: \"weekly\" (or no record field)")
            }
            recording = known
        }
        var evidence: EvidenceSource?
        if let tree = tree["evidence"] {
            func text(_ key: String) throws(InputError) -> String {
                guard case .text(let t)? = tree[key] else {
                    throw InputError(source: path, path: "evidence.\(key)", problem: "missing or not text; the plan was changed by hand")
                }
                return t
            }
            guard case .array(let names)? = tree["figures"] else {
                throw InputError(source: path, path: "evidence.figures", problem: "missing or not a list; the plan was changed by hand")
            }
            let columns = names.compactMap { n -> String? in if case .text(let t) = n { return t } else { return nil } }
            guard columns.count == names.count, !columns.isEmpty, columns.allSatisfy({ !$0.contains(",") }) else {
                throw InputError(source: path, path: "evidence.figures", problem: "each figure is a name without commas; the plan was changed by hand")
            }
            evidence = EvidenceSource(levels: try text("levels"), responses: try text("responses"), history: try text("history"),
                                      past: try text("past"), marketGrowth: try text("marketGrowth"), fingerprint: try text("fingerprint"),
                                      columns: columns)
        }
        var base = Scenario.baseline
        try base.apply(ScenarioFile.assignments(try field("scenario"), name: path))
        try base.validate()
        var factors: [SweepFactor] = []
        for f in factorTrees {
            guard case .text(let p)? = f["path"], case .text(let v)? = f["values"] else {
                throw InputError(source: path, path: "factors", problem: "each factor needs a path and values")
            }
            factors.append(try SweepFactor(parsing: "\(p)=\(v)"))
        }
        var points: [[ScenarioValue]] = []
        for v in valueTrees {
            guard case .array(let items) = v, items.count == factors.count else {
                throw InputError(source: path, path: "values", problem: "each point needs one value per factor")
            }
            let values = items.compactMap(\.scenarioValue)
            guard values.count == factors.count else { throw InputError(source: path, path: "values", problem: "values must be numbers, booleans or strings") }
            points.append(values)
        }
        return try SweepPlan(base: base, factors: factors, design: try SweepDesign(parsing: designText), seeding: seeding,
                             recording: recording, points: points, evidence: evidence, version: version)
    }

    /// Writes `sweep.json` and `points.csv` into `folder`, or checks that the
    /// plan already there is this one. A different plan is refused, naming
    /// what differs, so that results of two plans are never mixed.
    /// Returns false if the folder already held this plan.
    @discardableResult
    public func write(to folder: String) throws -> Bool {
        let path = (folder as NSString).appendingPathComponent(SweepPlan.fileName)
        AtomicFile.removeAbandoned(in: folder)
        if FileManager.default.fileExists(atPath: path) {
            let existing = try SweepPlan.read(folder: folder)
            if let difference = existing.difference(from: self) {
                throw InputError(source: folder, problem: "already holds a different sweep (\(difference)); "
                                    + "use another --out, or delete the folder to start again")
            }
            return false
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let header = (["point"] + factors.map(\.path)).joined(separator: ",")
        let rows = points.enumerated().map { p, values in ([String(p)] + values.map(\.csvText)).joined(separator: ",") }
        try AtomicFile.write(([header] + rows).joined(separator: "\n") + "\n", to: (folder as NSString).appendingPathComponent("points.csv"))
        try AtomicFile.write(json(), to: path)
        return true
    }

    /// What differs between this plan and `other`, in words; nil when they are the same.
    public func difference(from other: SweepPlan) -> String? {
        func both(_ what: String, _ a: String, _ b: String) -> String? { a == b ? nil : "\(what): \(a) there, \(b) here" }
        if let d = both("version", version, other.version) { return d + "; finish it with that version" }
        if let d = both("design", design.description, other.design.description)
            ?? both("--vary", factors.map { "\($0.path)=\($0.spec)" }.joined(separator: " "),
                    other.factors.map { "\($0.path)=\($0.spec)" }.joined(separator: " "))
            ?? both("replicates", "\(replicates)", "\(other.replicates)")
            ?? both("seed", "\(base.run.seed)", "\(other.base.run.seed)")
            ?? both("seeds", seeding.rawValue, other.seeding.rawValue)
            ?? both("--record", recording.rawValue, other.recording.rawValue)
            ?? both("evidence", evidence.map { "\($0.files.map(\.path)) \($0.fingerprint)" } ?? "none",
                    other.evidence.map { "\($0.files.map(\.path)) \($0.fingerprint)" } ?? "none") {
            return d
        }
        for p in ParameterCatalog.all where p.value(in: base) != p.value(in: other.base) {
            return "\(p.path): \(p.value(in: base)) there, \(p.value(in: other.base)) here"
        }
        if base.timeline != other.base.timeline {
            return "timeline: \(base.timeline.map(\.description).joined(separator: "; ")) there, "
                + "\(other.base.timeline.map(\.description).joined(separator: "; ")) here"
        }
        if base.name != other.base.name { return "scenario name: \(base.name) there, \(other.base.name) here" }
        return points == other.points ? nil : "the design's points"
    }
}
