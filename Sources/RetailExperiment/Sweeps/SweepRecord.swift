import Foundation

/// The durable record of a shard's finished runs: `shards/shard-I-of-N.csv`,
/// one CSV line per run (the line `results.csv` will hold), each appended and
/// flushed to disk before the run counts as done. A line cut short by a kill
/// has no newline and is dropped (and truncated away when the shard resumes),
/// so a run is either recorded whole or run again: nothing lost, nothing twice.
/// The first line stamps the plan's fingerprint, so records of another plan
/// are never merged. Only one process at a time may write a shard's record
/// (an advisory lock, released by the kernel even on kill -9).
final class SweepRecord: @unchecked Sendable {
    /// One recorded run and its line, without the newline.
    struct Entry {
        var run: SweepPlan.Run
        var line: String
    }

    /// What a record file holds.
    struct Contents {
        var path: String
        var shard: SweepShard
        var entries: [Entry]
        /// Bytes up to the end of the last complete line.
        var completeBytes: Int
    }

    static let folderName = "shards"

    let path: String
    private let descriptor: Int32
    /// A shared lock on `shards/.running-N` while this process runs a shard of N.
    private let sharding: Int32
    private let lock = NSLock()

    /// Opens (or creates) `shard`'s record in the sweep folder for appending.
    /// Refuses, by name, a shard another process is running, and a sharding of
    /// the folder other than one already running (two shardings would make
    /// the same runs twice).
    init(folder: String, shard: SweepShard, plan: SweepPlan) throws {
        let shards = (folder as NSString).appendingPathComponent(SweepRecord.folderName)
        try FileManager.default.createDirectory(atPath: shards, withIntermediateDirectories: true)
        path = (shards as NSString).appendingPathComponent(shard.fileName)
        sharding = try SweepRecord.joinSharding(shards, count: shard.count, folder: folder)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            close(sharding)
            throw InputError(source: path, problem: "is a folder, not a shard record; move it out of the sweep's shards/ folder")
        }
        descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            close(sharding)
            throw OutputError(path: path, problem: "cannot open: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            close(sharding)
            throw InputError(source: path, problem: "shard \(shard) is being run by another process; wait for it or stop it first")
        }
        let contents: Contents
        do {
            contents = try SweepRecord.read(path: path, shard: shard, plan: plan)
        } catch {
            close(descriptor)
            close(sharding)
            throw error
        }
        if contents.completeBytes == 0 {
            guard ftruncate(descriptor, 0) == 0 else { throw OutputError(path: path, problem: "cannot truncate") }
            try append(SweepRecord.header(plan))
            SweepRecord.syncFolder(shards)
        } else if ftruncate(descriptor, off_t(contents.completeBytes)) != 0 {
            throw OutputError(path: path, problem: "cannot drop a partly written last line: \(String(cString: strerror(errno)))")
        }
    }

    /// Takes a shared lock on `.running-<count>` after checking, under the
    /// folder's `.lock`, that no process holds one for another count. The
    /// kernel drops both locks when a process ends, even by kill -9.
    private static func joinSharding(_ shards: String, count: Int, folder: String) throws -> Int32 {
        func openLock(_ name: String) throws -> Int32 {
            let fd = open((shards as NSString).appendingPathComponent(name), O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw OutputError(path: (shards as NSString).appendingPathComponent(name), problem: "cannot open: \(String(cString: strerror(errno)))") }
            return fd
        }
        let gate = try openLock(".lock")
        defer { close(gate) }
        while flock(gate, LOCK_EX) != 0 && errno == EINTR {}
        for name in (try? FileManager.default.contentsOfDirectory(atPath: shards)) ?? [] where name.hasPrefix(".running-") {
            guard let other = Int(name.dropFirst(".running-".count)), other != count else { continue }
            let fd = try openLock(name)
            defer { close(fd) }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                throw InputError(source: folder, problem: "another process is running this sweep in \(other) shard(s); run its shards "
                                 + "(--shard i/\(other)) or wait for it to finish, so that no run is made twice")
            }
            flock(fd, LOCK_UN)
        }
        let mine = try openLock(".running-\(count)")
        guard flock(mine, LOCK_SH) == 0 else {
            close(mine)
            throw OutputError(path: shards, problem: "cannot lock: \(String(cString: strerror(errno)))")
        }
        return mine
    }

    deinit {
        close(descriptor)
        close(sharding)
    }

    /// The file's first two lines: the plan's fingerprint and the column names.
    static func header(_ plan: SweepPlan) -> String {
        "#plan \(plan.fingerprint)\n" + SweepRecord.columns(plan) + "\n"
    }

    /// The columns of a run's line, and so of `results.csv`.
    static func columns(_ plan: SweepPlan) -> String {
        (["point", "replicate", "seed"] + plan.factors.map(\.path)
            + (plan.evidence.map { ["status"] + $0.columns } ?? MetricCatalog.names)).joined(separator: ",")
    }

    /// How a run that records evidence ended.
    enum EvidenceStatus: String {
        /// Every figure measured.
        case ok
        /// Some figure not defined at the point (a quantity zero); its cell is empty.
        case undefined
        /// The run stopped with an error (printed when it happened); every cell is empty.
        case failed
    }

    /// A run's line when the plan records evidence: the status, then each
    /// figure (empty where not defined); `values` nil for a failed run.
    static func line(_ plan: SweepPlan, _ run: SweepPlan.Run, evidence values: [Double]?) -> String {
        let cells = values.map { $0.map { $0.isFinite ? JSONText.number($0) : "" } }
            ?? [String](repeating: "", count: plan.evidence?.columns.count ?? 0)
        let status: EvidenceStatus = values == nil ? .failed : values!.allSatisfy(\.isFinite) ? .ok : .undefined
        return ([String(run.point), String(run.replicate), String(plan.seed(point: run.point, replicate: run.replicate))]
            + plan.points[run.point].map(\.csvText) + [status.rawValue] + cells).joined(separator: ",")
    }

    /// A finished run's line: its point, replicate, seed, the point's values
    /// and every summary metric (shortest round-trip decimals).
    static func line(_ plan: SweepPlan, _ run: SweepPlan.Run, _ metrics: ReplicateMetrics) -> String {
        ([String(run.point), String(run.replicate), String(plan.seed(point: run.point, replicate: run.replicate))]
            + plan.points[run.point].map(\.csvText) + metrics.values.map(JSONText.number)).joined(separator: ",")
    }

    /// Appends `text` and flushes it to disk before returning.
    func append(_ text: String) throws {
        lock.lock()
        defer { lock.unlock() }
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw OutputError(path: path, problem: "write failed: \(String(cString: strerror(errno)))") }
            written += n
        }
        bytes.removeAll()
        guard fsync(descriptor) == 0 else { throw OutputError(path: path, problem: "fsync failed: \(String(cString: strerror(errno)))") }
    }

    private static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// Reads a record: its complete lines, each checked field by field against
    /// the plan (point, replicate, the seed the plan gives them, the point's
    /// values, and every metric a finite number), so that nothing but a run of
    /// this plan reaches results.csv. Lines are split on bytes: a CR, which
    /// RetailSim never writes, is refused rather than read as part of a line.
    static func read(path: String, shard: SweepShard, plan: SweepPlan) throws(InputError) -> Contents {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw InputError(source: path, problem: "is a folder, not a shard record; move it out of the sweep's shards/ folder")
        }
        let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
        let end = (bytes.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
        let lines = bytes[0..<end].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        var contents = Contents(path: path, shard: shard, entries: [], completeBytes: end)
        guard lines.count >= 2 else {
            // Nothing but a header cut short by a kill: the record starts again.
            contents.completeBytes = 0
            return contents
        }
        func text(_ line: ArraySlice<UInt8>, _ number: Int) throws(InputError) -> String {
            guard !line.contains(UInt8(ascii: "\r")) else {
                throw InputError(source: "\(path):\(number)", problem: "has a carriage return (Windows line endings?); RetailSim writes LF only, so the record was changed by hand")
            }
            guard let s = String(validating: line, as: UTF8.self) else {
                throw InputError(source: "\(path):\(number)", problem: "is not UTF-8 text; the record was damaged")
            }
            return s
        }
        let stamp = "#plan \(plan.fingerprint)"
        let first = try text(lines[lines.startIndex], 1)
        guard first == stamp else {
            throw InputError(source: path, problem: "was made by another sweep plan (\(first.prefix(80))), this plan is \(stamp)); "
                                + "move it out of this sweep's folder")
        }
        let header = try text(lines[lines.startIndex + 1], 2)
        guard header == columns(plan) else {
            throw InputError(source: "\(path):2", problem: "the column names are not this plan's; the record was changed by hand")
        }
        let names = columns(plan).split(separator: ",").map(String.init)
        let metricsStart = 3 + plan.factors.count
        for (offset, raw) in lines.enumerated().dropFirst(2) {
            let source = "\(path):\(offset + 1)"
            let line = try text(raw, offset + 1)
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == names.count, let p = Int(fields[0]), let r = Int(fields[1]),
                  (0..<plan.points.count).contains(p), (1...plan.replicates).contains(r) else {
                throw InputError(source: source, problem: "not a run of this plan: '\(line.prefix(60))'")
            }
            func refuse(_ k: Int, _ allowed: String) -> InputError {
                InputError(source: source, path: names[k], value: fields[k], problem: "allowed: \(allowed); the record was damaged or changed by hand")
            }
            let seed = String(plan.seed(point: p, replicate: r))
            guard fields[2] == seed else { throw refuse(2, "\(seed), the seed of point \(p) replicate \(r)") }
            for (j, value) in plan.points[p].enumerated() where fields[3 + j] != value.csvText {
                throw refuse(3 + j, "\(value.csvText), the value of point \(p)")
            }
            if plan.evidence != nil {
                guard let status = EvidenceStatus(rawValue: fields[metricsStart]) else { throw refuse(metricsStart, "ok, undefined or failed") }
                for k in (metricsStart + 1)..<fields.count {
                    let empty = fields[k].isEmpty
                    guard empty || (Double(fields[k])?.isFinite == true && fields[k] == fields[k].trimmingCharacters(in: .whitespaces)),
                          status != .ok || !empty, status != .failed || empty else {
                        throw refuse(k, status == .ok ? "a finite number" : status == .failed ? "empty (the run failed)" : "a finite number or empty")
                    }
                }
            } else {
                for k in metricsStart..<fields.count {
                    guard let d = Double(fields[k]), d.isFinite, fields[k] == fields[k].trimmingCharacters(in: .whitespaces) else {
                        throw refuse(k, "a finite number")
                    }
                }
            }
            contents.entries.append(Entry(run: SweepPlan.Run(point: p, replicate: r), line: line))
        }
        return contents
    }

    /// Every record in the sweep folder, in file-name order.
    static func readAll(folder: String, plan: SweepPlan) throws(InputError) -> [Contents] {
        let shards = (folder as NSString).appendingPathComponent(folderName)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: shards)) ?? []).sorted()
        var result: [Contents] = []
        for name in names {
            guard let shard = SweepShard(fileName: name) else { continue }
            result.append(try read(path: (shards as NSString).appendingPathComponent(name), shard: shard, plan: plan))
        }
        return result
    }
}
