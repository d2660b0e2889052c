import Foundation

/// The memory this process may use: the least of the machine's memory, the
/// address-space limit (`ulimit -v`, common on HPC login nodes) less what the
/// process already maps, and the cgroup's limit (Docker, Slurm).
package enum MemoryLimit {
    /// Bytes, and what sets them, for messages ("this machine", "ulimit -v", "the cgroup").
    static func current() -> (bytes: Double, what: String) {
        var least = (Double(ProcessInfo.processInfo.physicalMemory), "this machine")
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            let free = Double(limit.rlim_cur) - mappedBytes()
            if free < least.0 { least = (max(0, free), "ulimit -v") }
        }
        let own = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        if let bytes = cgroupLimit(ownCgroups: own, read: { try? String(contentsOfFile: $0, encoding: .utf8) }), bytes < least.0 {
            least = (bytes, "the cgroup")
        }
        return least
    }

    /// The tightest memory limit of this process's own cgroup and those above
    /// it (a Slurm job step sits below its job), from /proc/self/cgroup's
    /// text: v2's `0::/path` (memory.max) or v1's `N:memory:/path`
    /// (memory.limit_in_bytes); nil when none is set ("max").
    package static func cgroupLimit(ownCgroups: String, read: (String) -> String?) -> Double? {
        var files: [String] = []
        for line in ownCgroups.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let (root, file): (String, String)
            if parts[0] == "0" && parts[1].isEmpty {
                (root, file) = ("/sys/fs/cgroup", "memory.max")
            } else if parts[1].split(separator: ",").contains("memory") {
                (root, file) = ("/sys/fs/cgroup/memory", "memory.limit_in_bytes")
            } else {
                continue
            }
            // The cgroup itself, then each parent up to the root.
            var path = String(parts[2])
            while true {
                files.append(root + (path == "/" ? "" : path) + "/" + file)
                guard path != "/", !path.isEmpty else { break }
                path = (path as NSString).deletingLastPathComponent
            }
        }
        let limits = files.compactMap { read($0).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }
        return limits.min()
    }

    /// The process's mapped address space now (VmSize), which counts against `ulimit -v`.
    private static func mappedBytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").first.flatMap({ Double($0) }) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }
}
