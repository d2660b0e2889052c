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
    private let lock = NSLock()

    /// Opens (or creates) `shard`'s record in the sweep folder for appending.
    init(folder: String, shard: SweepShard, plan: SweepPlan) throws {
        let shards = (folder as NSString).appendingPathComponent(SweepRecord.folderName)
        try FileManager.default.createDirectory(atPath: shards, withIntermediateDirectories: true)
        path = (shards as NSString).appendingPathComponent(shard.fileName)
        descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputError(path: path, problem: "cannot open: \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw InputError(source: path, problem: "shard \(shard) is being run by another process; wait for it or stop it first")
        }
        let contents = try SweepRecord.read(path: path, shard: shard, plan: plan)
        if contents.completeBytes == 0 {
            guard ftruncate(descriptor, 0) == 0 else { throw OutputError(path: path, problem: "cannot truncate") }
            try append(SweepRecord.header(plan))
            SweepRecord.syncFolder(shards)
        } else if ftruncate(descriptor, off_t(contents.completeBytes)) != 0 {
            throw OutputError(path: path, problem: "cannot drop a partly written last line: \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(descriptor) }

    /// The file's first two lines: the plan's fingerprint and the column names.
    static func header(_ plan: SweepPlan) -> String {
        "#plan \(plan.fingerprint)\n" + SweepRecord.columns(plan) + "\n"
    }

    /// The columns of a run's line, and so of `results.csv`.
    static func columns(_ plan: SweepPlan) -> String {
        (["point", "replicate", "seed"] + plan.factors.map(\.path) + ReplicateMetrics.names).joined(separator: ",")
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

    /// Reads a record: its complete lines, checked against the plan.
    static func read(path: String, shard: SweepShard, plan: SweepPlan) throws(InputError) -> Contents {
        let data = FileManager.default.contents(atPath: path) ?? Data()
        let bytes = [UInt8](data)
        let end = (bytes.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
        let lines = String(decoding: bytes[0..<end], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        var contents = Contents(path: path, shard: shard, entries: [], completeBytes: end)
        guard lines.count >= 2 else {
            contents.completeBytes = 0
            return contents
        }
        let stamp = "#plan \(plan.fingerprint)"
        guard lines[0] == stamp else {
            throw InputError(source: path, problem: "was made by another sweep plan (\(lines[0]), this plan is \(stamp)); "
                                + "move it out of this sweep's folder")
        }
        let width = columns(plan).split(separator: ",").count
        for (offset, line) in lines.enumerated().dropFirst(2) {
            let fields = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
            guard line.split(separator: ",", omittingEmptySubsequences: false).count == width,
                  let p = Int(fields[0]), let r = Int(fields[1]), (0..<plan.points.count).contains(p), (1...plan.replicates).contains(r) else {
                throw InputError(source: "\(path):\(offset + 1)", problem: "not a run of this plan: '\(line.prefix(60))'")
            }
            contents.entries.append(Entry(run: SweepPlan.Run(point: p, replicate: r), line: String(line)))
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
