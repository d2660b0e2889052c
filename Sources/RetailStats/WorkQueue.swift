import Dispatch
import Foundation

/// Hands out items 0..<count to at most `workers` threads, each taking the next
/// item when it finishes one; results come back in item order. The first
/// failure stops the handing out and is thrown. Replicates run this way in
/// `Replicates.runConcurrently`, a sweep's runs in `SweepRunner`, and
/// history matching's candidates.
public enum WorkQueue {
    /// `body(k)` for every item k; `finished(n)` after each item, with the number finished so far.
    public static func map<T: Sendable>(count: Int, workers: Int, _ body: @Sendable (Int) throws -> T,
                                 finished: (@Sendable (Int) -> Void)? = nil) throws -> [T] {
        let queue = Items<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
            while let k = queue.next() {
                do {
                    let n = queue.store(k, try body(k))
                    finished?(n)
                } catch {
                    queue.fail(error)
                }
            }
        }
        if let error = queue.error { throw error }
        return queue.results.map { $0! }
    }

    private final class Items<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var handedOut = 0
        private var finishedCount = 0
        private(set) var results: [T?]
        private(set) var error: Error?

        init(count: Int) { results = Array(repeating: nil, count: count) }

        /// The next item, or nil when all are handed out or one failed.
        func next() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard error == nil, handedOut < results.count else { return nil }
            handedOut += 1
            return handedOut - 1
        }

        /// Keeps an item's result; returns how many items are finished.
        func store(_ k: Int, _ result: T) -> Int {
            lock.lock()
            defer { lock.unlock() }
            results[k] = result
            finishedCount += 1
            return finishedCount
        }

        func fail(_ e: Error) {
            lock.lock()
            defer { lock.unlock() }
            if error == nil { error = e }
        }
    }
}
