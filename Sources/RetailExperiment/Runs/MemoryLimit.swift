import Foundation

/// The memory this process may use: the least of the machine's memory, the
/// address-space limit (`ulimit -v`, common on HPC login nodes) less what the
/// process already maps, and the cgroup's limit (Docker, Slurm).
enum MemoryLimit {
    /// Bytes, and what sets them, for messages ("this machine", "ulimit -v", "the cgroup").
    static func current() -> (bytes: Double, what: String) {
        var least = (Double(ProcessInfo.processInfo.physicalMemory), "this machine")
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            let free = Double(limit.rlim_cur) - mappedBytes()
            if free < least.0 { least = (max(0, free), "ulimit -v") }
        }
        for file in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
               let bytes = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes < least.0 {
                least = (bytes, "the cgroup")
            }
        }
        return least
    }

    /// The process's mapped address space now (VmSize), which counts against `ulimit -v`.
    private static func mappedBytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").first.flatMap({ Double($0) }) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }
}
