import Foundation
import RetailModel
import XCTest

final class ParallelTests: XCTestCase {
    /// Counts the live instances, to see that Parallel.map frees its results.
    private final class Tracked: @unchecked Sendable {
        nonisolated(unsafe) static var live = 0
        static let lock = NSLock()
        init() { Tracked.lock.withLock { Tracked.live += 1 } }
        deinit { Tracked.lock.withLock { Tracked.live -= 1 } }
    }

    /// Every week maps chunk tallies; a map that kept them would grow a long
    /// run or a sweep of many runs without bound.
    func testMapKeepsNothingOfItsResults() {
        for threads in [1, 2] {
            do {
                let results = Parallel.map(100, threads: threads) { i in (i, [Tracked()]) }
                XCTAssertEqual(results.map(\.0), Array(0..<100), "in index order")
                withExtendedLifetime(results) { XCTAssertEqual(Tracked.lock.withLock { Tracked.live }, 100) }
            }
            XCTAssertEqual(Tracked.lock.withLock { Tracked.live }, 0, "threads \(threads): results leaked")
        }
    }
}
