import Foundation

/// Set by any worker that failed; read after the parallel loop.
final class FailureFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var failed = false
    func set() { lock.lock(); failed = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return failed }
}
