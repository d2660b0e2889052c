import Dispatch
import Foundation
import RetailModel
import RetailStats

/// Progress of a run, for a progress line.
public struct RunProgress: Sendable {
    public var replicate: Int
    public var replicates: Int
    public var week: Int
    public var weeks: Int
    public var shopperWeeksDone: Double
    public var secondsElapsed: Double

    public var fractionDone: Double { (Double(replicate - 1) * Double(weeks) + Double(week)) / Double(replicates * weeks) }
}

/// What a run produced: every replicate's weekly records.
public struct RunResult: Sendable {
    public var scenario: Scenario
    /// Weekly records by replicate (index 0 is replicate 1).
    public var replicates: [[WeekRecord]]
    /// Seconds spent building worlds (geography, facilities, shoppers).
    public var setupSeconds: Double
    /// Seconds spent in the weekly loop.
    public var loopSeconds: Double
    /// Where the run was stopped before its end (Ctrl-C), if it was: the last
    /// replicate holds the weeks done up to then.
    public var stoppedAt: StopPoint? = nil

    /// Each replicate's metrics over its weeks after the warm-up; a replicate
    /// stopped within its warm-up is summarised over the weeks it has.
    public var metrics: [ReplicateMetrics] {
        replicates.map { weeks in
            let warmup = weeks.count > scenario.run.warmupWeeks ? scenario.run.warmupWeeks : 0
            return ReplicateMetrics(weeks: weeks, warmupWeeks: warmup, shoppers: scenario.model.population.shoppers)
        }
    }
}

/// The last week a stopped run finished.
public struct StopPoint: Sendable, Equatable {
    public var replicate: Int
    public var week: Int
}

/// Runs a scenario's replicates. Replicates run one after another, each on all
/// threads; replicate r uses streams keyed by (seed, r), so any replicate can be
/// re-run alone.
public enum Replicates {
    /// Bytes a market of `shoppers` needs at its peak (its state: the set-up
    /// sorts shoppers within their own columns), for refusing what cannot fit.
    public static func peakBytes(shoppers: Int) -> Double {
        Double(shoppers) * Double(Shoppers.bytesPerShopper) + 100e6
    }

    /// Refuses, by name, a population that would not fit in this machine's memory.
    static func checkMemory(_ scenario: Scenario) throws(InputError) {
        let need = peakBytes(shoppers: scenario.model.population.shoppers)
        let have = Double(ProcessInfo.processInfo.physicalMemory)
        if need > 0.9 * have {
            throw InputError(source: "scenario", path: "population.shoppers", value: "\(scenario.model.population.shoppers)",
                                problem: String(format: "needs about %.1f GB, more than this machine's %.1f GB", need / 1e9, have / 1e9))
        }
    }

    /// Runs the replicates several at once, each on one thread, at most
    /// `threads` at a time: the records are those of `run` (replicate r
    /// depends only on the seed and r), in less time when replicates are
    /// many and small. The first failure is thrown.
    public static func runConcurrently(_ scenario: Scenario, threads: Int) throws -> RunResult {
        try checkMemory(scenario)
        let timed = try concurrently(replicates: scenario.run.replicates, threads: threads) { r in
            let t0 = Date()
            let market = try Market(parameters: scenario.model, seed: UInt64(scenario.run.seed), replicate: r, threads: 1)
            let t1 = Date()
            let weeks = (0..<scenario.run.weeks).map { _ in market.advanceWeek() }
            return (weeks, t1.timeIntervalSince(t0), Date().timeIntervalSince(t1))
        }
        return RunResult(scenario: scenario, replicates: timed.map(\.0), setupSeconds: timed.reduce(0) { $0 + $1.1 },
                         loopSeconds: timed.reduce(0) { $0 + $1.2 })
    }

    /// `body(r)` for replicates r = 1...count, at most `threads` at a time,
    /// results in replicate order. The first failure stops the rest and is thrown.
    public static func concurrently<T: Sendable>(replicates count: Int, threads: Int,
                                                 _ body: @Sendable (Int) throws -> T) throws -> [T] {
        let slots = ReplicateSlots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
            while let r = slots.next() {
                do { slots.store(r, try body(r)) } catch { slots.fail(error) }
            }
        }
        if let error = slots.error { throw error }
        return slots.results.map { $0! }
    }

    /// Runs the replicates one after another, each on all threads. `shouldStop`
    /// is asked after each world is built and after each week; when it says yes
    /// the run ends there, with the weeks done (a replicate with none is left out).
    public static func run(_ scenario: Scenario, threads: Int,
                           progress: ((RunProgress) -> Void)? = nil,
                           shouldStop: (() -> Bool)? = nil,
                           inspect: ((Market, Int) throws -> Void)? = nil) throws -> RunResult {
        try checkMemory(scenario)
        var result = RunResult(scenario: scenario, replicates: [], setupSeconds: 0, loopSeconds: 0)
        let start = Date()
        let n = Double(scenario.model.population.shoppers)
        for r in 1...scenario.run.replicates {
            let t0 = Date()
            let market = try Market(parameters: scenario.model, seed: UInt64(scenario.run.seed), replicate: r, threads: threads)
            let t1 = Date()
            var weeks: [WeekRecord] = []
            weeks.reserveCapacity(scenario.run.weeks)
            result.setupSeconds += t1.timeIntervalSince(t0)
            for w in 1...scenario.run.weeks {
                if shouldStop?() == true {
                    result.stoppedAt = StopPoint(replicate: r, week: w - 1)
                    break
                }
                weeks.append(market.advanceWeek())
                progress?(RunProgress(replicate: r, replicates: scenario.run.replicates, week: w, weeks: scenario.run.weeks,
                                      shopperWeeksDone: n * Double((r - 1) * scenario.run.weeks + w),
                                      secondsElapsed: Date().timeIntervalSince(start)))
            }
            result.loopSeconds += Date().timeIntervalSince(t1)
            if result.stoppedAt != nil {
                if !weeks.isEmpty { result.replicates.append(weeks) }
                break
            }
            try inspect?(market, r)
            result.replicates.append(weeks)
        }
        return result
    }
}

/// The replicates still to run and those done, shared by `concurrently`'s workers.
private final class ReplicateSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private var handedOut = 0
    private(set) var results: [T?]
    private(set) var error: Error?

    init(count: Int) {
        self.count = count
        results = Array(repeating: nil, count: count)
    }

    /// The next replicate (1-based) to run, or nil when all are handed out or one failed.
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard error == nil, handedOut < count else { return nil }
        handedOut += 1
        return handedOut
    }

    func store(_ replicate: Int, _ result: T) {
        lock.lock()
        defer { lock.unlock() }
        results[replicate - 1] = result
    }

    func fail(_ e: Error) {
        lock.lock()
        defer { lock.unlock() }
        if error == nil { error = e }
    }
}
