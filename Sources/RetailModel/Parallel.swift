import Dispatch

/// Runs work over chunks of households on several threads. Which thread runs a
/// chunk never matters: every chunk has its own random stream and its own
/// output slot, and slots are combined in chunk order.
public enum Parallel {
    /// Households per chunk: fixed, so the streams (and so the results) do not
    /// depend on the number of threads.
    static let chunkSize = 8192

    static func chunkCount(shoppers: Int) -> Int {
        (shoppers + chunkSize - 1) / chunkSize
    }

    public static func range(ofChunk c: Int, shoppers: Int) -> Range<Int> {
        (c * chunkSize)..<min((c + 1) * chunkSize, shoppers)
    }

    /// Calls `body(i)` for every i in 0 ..< count on up to `threads` threads.
    package static func forEach(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
        let workers = max(1, min(threads, count))
        if workers == 1 {
            for i in 0..<count { body(i) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < count {
                body(i)
                i += workers
            }
        }
    }

    /// Maps 0 ..< count to results in index order, on up to `threads` threads.
    public static func map<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        // Deinitialise before freeing: the results (arrays, often) would leak otherwise.
        defer {
            slots.deinitialize()
            slots.deallocate()
        }
        let box = SendableBuffer(slots)
        forEach(count, threads: threads) { i in box.buffer[i] = body(i) }
        return slots.map { $0! }
    }
}

/// A buffer whose disjoint elements are written by different threads.
struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
