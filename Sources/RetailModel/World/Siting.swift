/// Capacitated greedy coverage on demand points (docs/GEOGRAPHY.md section 4):
/// the rule that sites stores and fulfilment centres from published counts.
///
/// Each pick is the candidate whose catchment (the demand points within its
/// radius) holds the most unserved demand, up to `capacity`: it serves
/// min(capacity, unserved) and takes that from its catchment in proportion.
/// A candidate may be picked again while its catchment holds unserved
/// demand (a dense place gets several stores). Ties go to the lower index.
///
/// Unserved demand only falls, so a candidate's gain only falls: the search
/// is lazy (a candidate is re-evaluated only when it reaches the top of the
/// queue), which picks exactly what a full scan each time would.
public enum Siting {
    /// One facility sited: the candidate (an index into `candidates`) and the demand it serves.
    public struct Pick: Sendable, Equatable {
        public let candidate: Int
        public let served: Double
    }

    /// Picks `count` facilities. `catchment[c]` lists the demand points
    /// candidate c serves (indices into `demand`).
    public static func greedy(demand initial: [Double], catchment: [[Int32]], count: Int, capacity: Double) -> [Pick] {
        var demand = initial
        func gain(_ c: Int) -> Double {
            var total = 0.0
            for z in catchment[c] { total += demand[Int(z)] }
            return min(capacity, total)
        }
        var queue = Heap(items: catchment.indices.map { (gain($0), $0) })
        var picks: [Pick] = []
        while picks.count < count, let top = queue.pop() {
            let fresh = gain(top.1)
            // Stale bound: re-queue unless it still beats (or ties and precedes) the next best.
            if let next = queue.peek(), fresh < next.0 || (fresh == next.0 && next.1 < top.1) {
                queue.push((fresh, top.1))
                continue
            }
            guard fresh > 0 else { break }
            var total = 0.0
            for z in catchment[top.1] { total += demand[Int(z)] }
            let keep = 1 - fresh / total
            for z in catchment[top.1] { demand[Int(z)] *= keep }
            picks.append(Pick(candidate: top.1, served: fresh))
            queue.push((gain(top.1), top.1))
        }
        return picks
    }

    /// The same picks by a full scan of every candidate each time (for tests).
    package static func bruteForce(demand initial: [Double], catchment: [[Int32]], count: Int, capacity: Double) -> [Pick] {
        var demand = initial
        var picks: [Pick] = []
        while picks.count < count {
            var best = -1, bestGain = 0.0, bestTotal = 0.0
            for c in catchment.indices {
                var total = 0.0
                for z in catchment[c] { total += demand[Int(z)] }
                let g = min(capacity, total)
                if g > bestGain { (best, bestGain, bestTotal) = (c, g, total) }
            }
            guard best >= 0 else { break }
            let keep = 1 - bestGain / bestTotal
            for z in catchment[best] { demand[Int(z)] *= keep }
            picks.append(Pick(candidate: best, served: bestGain))
        }
        return picks
    }

    /// A max-heap on (gain, -index): the largest gain first, the lower index among equals.
    struct Heap {
        private var items: [(Double, Int)]

        init(items: [(Double, Int)]) {
            self.items = []
            self.items.reserveCapacity(items.count)
            for item in items { push(item) }
        }

        static func above(_ a: (Double, Int), _ b: (Double, Int)) -> Bool { a.0 > b.0 || (a.0 == b.0 && a.1 < b.1) }

        func peek() -> (Double, Int)? { items.first }

        mutating func push(_ item: (Double, Int)) {
            items.append(item)
            var k = items.count - 1
            while k > 0 {
                let parent = (k - 1) / 2
                guard Heap.above(items[k], items[parent]) else { break }
                items.swapAt(k, parent)
                k = parent
            }
        }

        mutating func pop() -> (Double, Int)? {
            guard !items.isEmpty else { return nil }
            let top = items[0]
            let last = items.removeLast()
            if !items.isEmpty {
                items[0] = last
                var k = 0
                while true {
                    let l = 2 * k + 1, r = l + 1
                    var best = k
                    if l < items.count && Heap.above(items[l], items[best]) { best = l }
                    if r < items.count && Heap.above(items[r], items[best]) { best = r }
                    if best == k { break }
                    items.swapAt(k, best)
                    k = best
                }
            }
            return top
        }
    }
}
