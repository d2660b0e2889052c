import Foundation

/// `retailsim verify DIR`: re-makes a run, sweep or reproduce folder from what
/// it recorded (scenario, seed, version, sizes) in a scratch folder, and
/// compares what it wrote with the folder, file by file.
public enum Verification {
    /// What wrote the folder, read from its record.
    public enum Kind: Sendable, Equatable {
        /// `retailsim run`: summary.json beside scenario.json.
        case run
        /// `retailsim sweep`: sweep.json.
        case sweep
        /// `retailsim reproduce NAME`: result.json naming the experiment.
        case reproduction(String)

        public var description: String {
            switch self {
            case .run: "a run"
            case .sweep: "a sweep"
            case .reproduction(let name): "the reproduced experiment \(name)"
            }
        }
    }

    /// One file's verdict.
    public enum Verdict: Sendable, Equatable {
        case same
        /// Both have the file; `detail` says where they part.
        case differs(String)
        /// The re-make writes it; the folder lacks it.
        case missing
        /// In the folder, but not a file the recorded command writes (a
        /// printed table kept beside it, a report, a plot): not compared.
        case notMade

        public var counts: Bool { self != .notMade }

        /// Its name in `verify --format json`.
        public var name: String {
            switch self {
            case .same: "same"
            case .differs: "differs"
            case .missing: "missing"
            case .notMade: "unchecked"
            }
        }
    }

    public struct FileVerdict: Sendable, Equatable {
        public var name: String
        public var verdict: Verdict
    }

    public struct Outcome: Sendable {
        public var kind: Kind
        /// The version that wrote the folder, as it recorded it.
        public var recordedVersion: String
        public var files: [FileVerdict]
        public var seconds: Double

        /// Every compared file is the same, and at least one was compared.
        public var allSame: Bool {
            let compared = files.filter(\.verdict.counts)
            return !compared.isEmpty && compared.allSatisfy { $0.verdict == .same }
        }

        /// `verify --format json`: one object, every file's verdict.
        public func json(folder: String) -> String {
            let compared = files.filter(\.verdict.counts)
            let rows = files.map { f -> String in
                var row = "{\"name\": \(JSONText.string(f.name)), \"verdict\": \(JSONText.string(f.verdict.name))"
                if case .differs(let detail) = f.verdict { row += ", \"detail\": \(JSONText.string(detail))" }
                return row + "}"
            }
            return "{\"folder\": \(JSONText.string(folder)), \"kind\": \(JSONText.string(kind.description)), "
                + "\"recordedVersion\": \(JSONText.string(recordedVersion)), \"version\": \(JSONText.string(RetailSimVersion.string)), "
                + "\"compared\": \(compared.count), \"same\": \(compared.filter { $0.verdict == .same }.count), "
                + "\"allSame\": \(allSame), \"files\": [" + rows.joined(separator: ", ") + "]}"
        }
    }

    /// Reads what made `folder`; an unreadable folder or record is bad input (exit 2).
    public static func kind(of folder: String) throws(InputError) -> (kind: Kind, version: String) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            throw InputError(source: "verify", value: folder, problem: "no such folder")
        }
        guard isFolder.boolValue else { throw InputError(source: "verify", value: folder, problem: "is a file; allowed: a folder that run, sweep or reproduce wrote") }
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        func tree(_ name: String) throws(InputError) -> JSONTree? {
            guard FileManager.default.fileExists(atPath: path(name)) else { return nil }
            guard let data = FileManager.default.contents(atPath: path(name)) else {
                throw InputError(source: path(name), problem: "cannot be read")
            }
            return try JSONTree.parse(data, name: path(name))
        }
        func version(_ t: JSONTree, _ name: String) throws(InputError) -> String {
            guard case .text(let v)? = t["version"] else {
                throw InputError(source: path(name), path: "version", problem: "missing; a file retailsim wrote records the version that made it")
            }
            return v
        }
        if let result = try tree("result.json") {
            guard case .text(let name)? = result["experiment"] else {
                throw InputError(source: path("result.json"), path: "experiment", problem: "missing; `retailsim reproduce` records the experiment's name")
            }
            return (.reproduction(name), try version(result, "result.json"))
        }
        if let plan = try tree(SweepPlan.fileName) { return (.sweep, try version(plan, SweepPlan.fileName)) }
        if let summary = try tree("summary.json") {
            guard FileManager.default.fileExists(atPath: path("scenario.json")) else {
                throw InputError(source: folder, problem: "summary.json without scenario.json: the scenario the run recorded is gone")
            }
            if case .object? = summary["stoppedAt"] {
                throw InputError(source: path("summary.json"), path: "stoppedAt",
                                 problem: "the run was stopped early (Ctrl-C); a stop from outside cannot be re-made: run it again to the end")
            }
            return (.run, try version(summary, "summary.json"))
        }
        throw InputError(source: "verify", value: folder,
                         problem: "no result.json, sweep.json or summary.json: not a folder that `retailsim run`, `sweep` or `reproduce` wrote")
    }

    /// Re-makes `folder` in `scratch` (an empty folder) and compares. Reproduced
    /// experiments are read from `experiments` and resolve their paths from `root`.
    public static func verify(_ folder: String, scratch: String, experiments: String = "Experiments/reproduce",
                              root: String = FileManager.default.currentDirectoryPath, threads: Int) throws -> Outcome {
        let (kind, recordedVersion) = try kind(of: folder)
        let clock = Date()
        let made: String
        switch kind {
        case .run:
            made = scratch
            try remakeRun(folder, into: scratch, threads: threads)
        case .sweep:
            made = scratch
            try remakeSweep(folder, into: scratch, threads: threads)
        case .reproduction(let name):
            made = (scratch as NSString).appendingPathComponent(name)
            try remakeReproduction(folder, name: name, into: scratch, experiments: experiments, root: root, threads: threads)
        }
        let files = try compare(recorded: folder, made: made)
        return Outcome(kind: kind, recordedVersion: recordedVersion, files: files, seconds: Date().timeIntervalSince(clock))
    }

    // MARK: Re-making

    private static func remakeRun(_ folder: String, into scratch: String, threads: Int) throws {
        let recorded = (folder as NSString).appendingPathComponent("scenario.json")
        let scenario: Scenario
        do {
            scenario = try Scenario.load(file: recorded, assignments: [])
        } catch var error {
            // The file's errors name it alone; here the folder says which run's record it is.
            if error.source.hasPrefix("scenario.json") { error.source = (folder as NSString).appendingPathComponent(error.source) }
            throw error
        }
        let has = { (name: String) in FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(name)) }
        var requested = RunOutput.Requested(facilities: has("facilities.csv"), shoppers: has("shoppers.csv"), zctas: has("zctas.csv"))
        let result = try Replicates.run(scenario, threads: threads, inspect: { market, replicate in
            try requested.add(market, replicate: replicate, in: scratch)
        })
        try RunOutput.write(result, to: scratch, alongside: try requested.written(in: scratch))
    }

    private static func remakeSweep(_ folder: String, into scratch: String, threads: Int) throws {
        // A plan of another version is re-made by this one: its files then say how they differ.
        let plan = try SweepPlan.read(folder: folder).atThisVersion()
        try plan.write(to: scratch)
        // The shards as they were cut: each record is compared with its own.
        let shardFolder = (folder as NSString).appendingPathComponent(SweepRecord.folderName)
        let shards = ((try? FileManager.default.contentsOfDirectory(atPath: shardFolder)) ?? []).sorted().compactMap(SweepShard.init(fileName:))
        for shard in shards.isEmpty ? [.all] : shards {
            _ = try SweepRunner.run(plan, folder: scratch, shard: shard, threads: threads)
        }
        _ = try SweepMerge.merge(folder: scratch)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        where name.hasPrefix("sensitivity-") && name.hasSuffix(".csv") {
            // `retailsim sensitivity` at its default bootstrap (the file does not record another).
            let metric = String(name.dropFirst("sensitivity-".count).dropLast(".csv".count))
            let result = try SweepSensitivity(folder: scratch, metric: metric)
            try AtomicFile.write(result.csv, to: (scratch as NSString).appendingPathComponent(name))
        }
    }

    private static func remakeReproduction(_ folder: String, name: String, into scratch: String, experiments: String, root: String,
                                           threads: Int) throws {
        let specs = try ReproductionSpec.readAll(folder: experiments)
        guard let spec = specs.first(where: { $0.name == name }) else {
            throw InputError(source: (folder as NSString).appendingPathComponent("result.json"), path: "experiment", value: name,
                             problem: "no such experiment in \(experiments); allowed: " + specs.map(\.name).joined(separator: ", "))
        }
        let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent("result.json")) ?? Data()
        let record: ReproductionRecord
        do {
            record = try JSONDecoder().decode(ReproductionRecord.self, from: data)
        } catch {
            throw InputError(source: (folder as NSString).appendingPathComponent("result.json"),
                             problem: "not a record `retailsim reproduce` writes (\(error.localizedDescription))")
        }
        // The sizes the record gives, where they are not the experiment's own (a shrunk reproduction).
        let own = try spec.scenario(root: root, [])
        let size = ReproductionSize(shoppers: record.shoppers == own.model.population.shoppers ? nil : record.shoppers,
                                    replicates: record.replicates == spec.replicates ? nil : record.replicates)
        var drawing = spec
        if let posterior = record.posterior {
            drawing.settings = [Assignment(path: "run.posterior", value: .text(posterior), source: "result.json")] + spec.settings
        }
        _ = try Reproduction.run(drawing, results: scratch, threads: threads, size: size, root: root)
    }

    // MARK: Comparing

    /// Every file under `made` against the same path under `recorded`, then
    /// the recorded files the re-make does not write. A sweep's shard records
    /// are compared as sets of lines: their order is the order runs finished.
    static func compare(recorded: String, made: String) throws -> [FileVerdict] {
        let madeFiles = try files(under: made), recordedFiles = try files(under: recorded)
        var verdicts: [FileVerdict] = []
        for name in madeFiles {
            let here = (recorded as NSString).appendingPathComponent(name)
            guard let mine = FileManager.default.contents(atPath: here) else {
                verdicts.append(FileVerdict(name: name, verdict: .missing))
                continue
            }
            let theirs = FileManager.default.contents(atPath: (made as NSString).appendingPathComponent(name)) ?? Data()
            let unordered = name.hasPrefix(SweepRecord.folderName + "/")
            verdicts.append(FileVerdict(name: name, verdict: difference(mine, theirs, unordered: unordered).map(Verdict.differs) ?? .same))
        }
        let madeSet = Set(madeFiles)
        for name in recordedFiles where !madeSet.contains(name) { verdicts.append(FileVerdict(name: name, verdict: .notMade)) }
        return verdicts
    }

    /// Relative paths of the regular files under `folder`, sorted; hidden files
    /// and an abandoned atomic write's leftovers are not the folder's content.
    private static func files(under folder: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var names: [String] = []
        while let name = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            if isFolder.boolValue || (name as NSString).lastPathComponent.hasPrefix(".") { continue }
            names.append(name)
        }
        return names.sorted()
    }

    /// Where two files part: nil when they are the same; otherwise the first
    /// line that differs, both versions cut short.
    static func difference(_ recorded: Data, _ made: Data, unordered: Bool) -> String? {
        if recorded == made { return nil }
        var a = String(decoding: recorded, as: UTF8.self).components(separatedBy: "\n")
        var b = String(decoding: made, as: UTF8.self).components(separatedBy: "\n")
        if unordered {
            // The header lines stay in place; the records are compared sorted.
            let headers = a.prefix { $0.hasPrefix("#") }.count + 1
            a = Array(a.prefix(headers)) + a.dropFirst(headers).sorted()
            b = Array(b.prefix(headers)) + b.dropFirst(headers).sorted()
            if a == b { return nil }
        }
        func cut(_ s: String) -> String { s.count > 100 ? String(s.prefix(100)) + "..." : s }
        for k in 0..<max(a.count, b.count) {
            let x = k < a.count ? a[k] : nil, y = k < b.count ? b[k] : nil
            if x != y {
                let place = unordered ? "record (sorted) \(k + 1)" : "line \(k + 1)"
                return "\(place): recorded " + (x.map { "\"\(cut($0))\"" } ?? "(end of file)")
                    + ", re-made " + (y.map { "\"\(cut($0))\"" } ?? "(end of file)")
            }
        }
        return "the bytes differ, not the lines (line endings or encoding)"
    }
}
