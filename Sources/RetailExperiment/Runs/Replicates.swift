import Dispatch
import Foundation
import RetailModel
import RetailStats

/// Runs a scenario's replicates. Replicates run one after another, each on all
/// threads; replicate r uses streams keyed by (seed, r), so any replicate can be
/// re-run alone.
public enum Replicates {
    /// Bytes a market of `shoppers` needs at its peak (its state: the set-up
    /// sorts households within their own columns), for refusing what cannot fit.
    public static func peakBytes(shoppers: Int) -> Double {
        Double(shoppers) * Double(Households.bytesPerHousehold) + 100e6
    }

    /// Refuses, by name, a population that would not fit in the memory this
    /// process may use: `marketsAtOnce` markets (explore advances every
    /// replicate in lockstep; concurrent replicates one a thread) plus every
    /// week's records.
    public static func checkMemory(_ scenario: Scenario, marketsAtOnce: Int = 1) throws(InputError) {
        let one = peakBytes(shoppers: scenario.model.population.shoppers)
        let market = one * Double(max(1, marketsAtOnce))
        // Every week of every replicate is kept until the files are written.
        let records = Double(scenario.run.replicates) * Double(scenario.run.weeks) * Double(WeekRecord.approximateBytes)
        let (have, limit) = MemoryLimit.current()
        if market + records > 0.9 * have {
            let (path, value) = records > market ? ("run.weeks", "\(scenario.run.weeks)")
                : marketsAtOnce > 1 && one * 2 < 0.9 * have ? ("run.replicates", "\(scenario.run.replicates)")
                : ("population.shoppers", "\(scenario.model.population.shoppers)")
            let markets = marketsAtOnce > 1 ? " (\(marketsAtOnce) markets at once)" : ""
            throw InputError(source: "scenario", path: path, value: value,
                             problem: String(format: "needs about %.1f GB (%.1f GB for the households%@, %.1f GB for the weekly records of "
                                             + "run.replicates x run.weeks), more than %@'s %.1f GB", (market + records) / 1e9,
                                             market / 1e9, markets, records / 1e9, limit, have / 1e9))
        }
    }

    /// Runs the replicates several at once, each on one thread, at most
    /// `threads` at a time: the records are those of `run` (replicate r
    /// depends only on the seed and r), in less time when replicates are
    /// many and small. The first failure is thrown.
    /// `prepare(market, r)` may set up replicate r's market before its first week
    /// (a claim's direct arm gives it a price path to follow).
    public static func runConcurrently(_ scenario: Scenario, threads: Int,
                                       prepare: (@Sendable (Market, Int) -> Void)? = nil) throws -> RunResult {
        try checkMemory(scenario, marketsAtOnce: min(threads, scenario.run.replicates))
        let timed = try concurrently(replicates: scenario.run.replicates, threads: threads) { r in
            let t0 = Date()
            let market = try scenario.market(replicate: r, threads: 1)
            prepare?(market, r)
            let t1 = Date()
            var weeks = (0..<scenario.run.weeks).map { _ in market.advanceWeek() }
            weeks[weeks.count - 1].regions = market.measureRegions()
            return (weeks, t1.timeIntervalSince(t0), Date().timeIntervalSince(t1))
        }
        return RunResult(scenario: scenario, replicates: timed.map(\.0), setupSeconds: timed.reduce(0) { $0 + $1.1 },
                         loopSeconds: timed.reduce(0) { $0 + $1.2 })
    }

    /// `body(r)` for replicates r = 1...count, at most `threads` at a time,
    /// results in replicate order. The first failure stops the rest and is thrown.
    public static func concurrently<T: Sendable>(replicates count: Int, threads: Int,
                                                 _ body: @Sendable (Int) throws -> T) throws -> [T] {
        try WorkQueue.map(count: count, workers: threads) { k in try body(k + 1) }
    }

    /// Runs the replicates one after another, each on all threads. `shouldStop`
    /// is asked after each world is built and after each week; when it says yes
    /// the run ends there, with the weeks done (a replicate with none is left out).
    /// `save` keeps every replicate's state after its week (committed when all
    /// are in; abandoned when the run stops first); `continuing` starts each
    /// replicate from a saved state instead of its warm start.
    public static func run(_ scenario: Scenario, threads: Int,
                           progress: ((RunProgress) -> Void)? = nil,
                           shouldStop: (() -> Bool)? = nil,
                           save: StateFile.Writer? = nil,
                           continuing: Continuation? = nil,
                           inspect: ((Market, Int) throws -> Void)? = nil) throws -> RunResult {
        try checkMemory(scenario)
        var result = RunResult(scenario: scenario, replicates: [], setupSeconds: 0, loopSeconds: 0)
        let start = Date()
        let n = Double(scenario.model.population.shoppers)
        for r in 1...scenario.run.replicates {
            let t0 = Date()
            let market = try scenario.market(replicate: r, threads: threads, warm: continuing == nil)
            var weeks: [WeekRecord] = []
            weeks.reserveCapacity(scenario.run.weeks)
            if let continuing {
                // The saved weeks, then the market as it stood; a fork's changes are its timeline's from the next week.
                weeks = try continuing.reader.next(into: market, parameters: try scenario.drawn(replicate: r).parameters(inForceAt: continuing.week))
                if r == scenario.run.replicates { try continuing.reader.finish() }
            }
            let t1 = Date()
            result.setupSeconds += t1.timeIntervalSince(t0)
            if let save, save.week == 0 { try save.add(records: weeks, market: market) }
            while weeks.count < scenario.run.weeks {
                let w = weeks.count + 1
                if shouldStop?() == true {
                    result.stoppedAt = StopPoint(replicate: r, week: w - 1)
                    break
                }
                weeks.append(market.advanceWeek())
                if let save, save.week == w { try save.add(records: weeks, market: market) }
                progress?(RunProgress(replicate: r, replicates: scenario.run.replicates, week: w, weeks: scenario.run.weeks,
                                      householdWeeksDone: n * Double((r - 1) * scenario.run.weeks + w),
                                      secondsElapsed: Date().timeIntervalSince(start)))
            }
            result.loopSeconds += Date().timeIntervalSince(t1)
            if result.stoppedAt != nil {
                if !weeks.isEmpty { result.replicates.append(weeks) }
                break
            }
            weeks[weeks.count - 1].regions = market.measureRegions()
            try inspect?(market, r)
            result.replicates.append(weeks)
        }
        if let save {
            if result.stoppedAt == nil { try save.commit() } else { save.abandon() }
        }
        return result
    }
}
