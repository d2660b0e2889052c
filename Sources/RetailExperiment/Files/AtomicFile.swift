import Foundation

/// A file written under a temporary name in its final folder and renamed into
/// place when complete, so that a run killed at any moment leaves either the
/// old file or the new one, never half of one.
public final class AtomicFile {
    private static let writers = WriterCount()
    public let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer = Data()
    private var committed = false

    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        // Unique per writer, not only per process: two keeps of one run at once
        // must not rename each other's file. The pid stays second to last
        // (`removeAbandoned` reads it).
        let writer = AtomicFile.writers.add(1)
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(writer).\(getpid()).tmp").path
        // open(2), not FileManager.createFile: that writes a hidden temporary of
        // its own (.dat.nosync...) and renames it, which a kill can leave behind.
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw OutputError(path: path, problem: "cannot create a file in \(url.deletingLastPathComponent().path): \(String(cString: strerror(errno)))")
        }
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    deinit {
        if !committed {
            try? handle.close()
            unlink(temporaryPath)
        }
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw OutputError(path: path, problem: "write failed: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes to disk and renames into place, then syncs the folder so that
    /// the rename itself survives a power cut.
    public func commit() throws {
        try finish()
        try rename()
        AtomicFile.syncFolder(of: path)
    }

    /// Writes out and syncs the temporary file, not yet renamed.
    private func finish() throws {
        try flush()
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw OutputError(path: path, problem: "cannot flush to disk: \(error.localizedDescription)")
        }
    }

    private func rename() throws {
        guard Foundation.rename(temporaryPath, path) == 0 else {
            throw OutputError(path: path, problem: "rename failed: \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    /// Commits several files as one result (a run's files, a merge's tables):
    /// all are written and synced first; then every old file of the group is
    /// removed, and the new ones renamed in, the last one (the group's seal:
    /// summary.json, summary.csv) last. A kill at any moment leaves the old
    /// group whole, or no seal and only new files, never files of two results
    /// side by side. `afterEach` is a test's hook into the renames.
    /// `retiring` names files of the old group that the new one does not have
    /// (a facilities.csv of an earlier run): removed with the old group.
    public static func commitAll(_ files: [AtomicFile], retiring: [String] = [], afterEach: ((Int) throws -> Void)? = nil) throws {
        for f in files { try f.finish() }
        // The seal goes first, so that a folder without it is known to be incomplete.
        for path in files.reversed().map(\.path) + retiring where unlink(path) != 0 && errno != ENOENT {
            throw OutputError(path: path, problem: "cannot replace: \(String(cString: strerror(errno)))")
        }
        for (k, f) in files.enumerated() {
            try f.rename()
            try afterEach?(k)
        }
        if let first = files.first { syncFolder(of: first.path) }
    }

    private static func syncFolder(of path: String) {
        let fd = open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
                      O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// Removes temporary files that a killed run left in `folder` (their
    /// process is gone); those of a run still writing are left alone.
    public static func removeAbandoned(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let parts = name.split(separator: ".")
            guard parts.count >= 3, let pid = Int32(parts[parts.count - 2]) else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                unlink((folder as NSString).appendingPathComponent(name))
            }
        }
    }

    /// Writes `text` to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        let file = try AtomicFile(path: path)
        try file.write(text)
        try file.commit()
    }
}

/// A process-wide counter of files being written.
private final class WriterCount: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0

    func add(_ k: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        n += k
        return n
    }
}
