import Foundation
import RetailModel
import RetailStats

/// `retailsim bench`'s measurements, each as one JSON line: the weekly loop's
/// speed and memory, or a sweep's overhead against the same runs made bare.
/// Here rather than in the command so that the command line reaches the
/// model only through this module.
public enum Bench {
    /// Bytes of state a household keeps between weeks (`Households`' columns).
    public static var stateBytesPerHousehold: Int { Households.bytesPerHousehold }

    /// One replicate of `scenario`, timed: household-weeks a second, set-up and loop seconds, peak memory.
    public static func loop(_ scenario: Scenario, threads: Int, progress: ((RunProgress) -> Void)? = nil,
                            shouldStop: (() -> Bool)? = nil) throws -> String {
        var s = scenario
        s.run.replicates = 1
        let result = try Replicates.run(s, threads: threads, progress: progress, shouldStop: shouldStop)
        let n = s.model.population.shoppers
        let weeksDone = result.replicates.first?.count ?? 0
        let householdWeeks = Double(n) * Double(weeksDone)
        let peak = peakMemoryBytes()
        return jsonLine([
            ("scenario", JSONText.string(s.name)),
            ("households", "\(n)"),
            ("weeks", "\(weeksDone)"),
            ("threads", "\(threads)"),
            ("setupSeconds", String(format: "%.3f", result.setupSeconds)),
            ("loopSeconds", String(format: "%.3f", result.loopSeconds)),
            ("householdWeeksPerSecond", String(format: "%.0f", householdWeeks / result.loopSeconds)),
            ("peakMemoryBytes", "\(peak)"),
            ("peakBytesPerHousehold", String(format: "%.1f", Double(peak) / Double(n))),
            ("stateBytesPerHousehold", "\(stateBytesPerHousehold)"),
            ("setupShareOfRun", String(format: "%.3f", result.setupSeconds / (result.setupSeconds + result.loopSeconds))),
            ("stopped", result.stoppedAt == nil ? "false" : "true"),
        ])
    }

    /// The same runs twice: bare (scenario in, metrics out, nothing written),
    /// then as a sweep (plan, durable records, merge), each on every thread.
    public static func sweep(runs: Int, base: Scenario, threads: Int) throws -> String {
        guard (10...1_000_000).contains(runs), runs % 10 == 0 else {
            throw InputError(source: "--sweep", value: "\(runs)", problem: "allowed: a multiple of 10 from 10 to 1000000 (10 replicates a point)")
        }
        var scenario = base
        scenario.run.replicates = 10
        let factor = try SweepFactor(parsing: "amazon.priceIndex=0.95:1.05:\(runs / 10)")
        let t0 = Date()
        let plan = try SweepPlan(base: scenario, factors: [factor], design: .grid)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-bench-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try plan.write(to: folder)
        let t1 = Date()
        _ = try SweepRunner.run(plan, folder: folder, threads: threads)
        let t2 = Date()
        _ = try SweepMerge.merge(folder: folder)
        let t3 = Date()
        let sweepSeconds = t3.timeIntervalSince(t0)

        let b0 = Date()
        _ = try WorkQueue.map(count: plan.runCount, workers: threads) { k in
            let r = plan.run(k)
            _ = try? Replicates.run(try plan.scenario(point: r.point, replicate: r.replicate), threads: 1).metrics
        }
        let bareSeconds = Date().timeIntervalSince(b0)
        return jsonLine([
            ("households", "\(scenario.model.population.shoppers)"),
            ("weeks", "\(scenario.run.weeks)"),
            ("threads", "\(threads)"),
            ("runs", "\(plan.runCount)"),
            ("sweepSeconds", String(format: "%.3f", sweepSeconds)),
            ("sweepRunsPerMinute", String(format: "%.0f", 60 * Double(plan.runCount) / sweepSeconds)),
            ("bareSeconds", String(format: "%.3f", bareSeconds)),
            ("bareRunsPerMinute", String(format: "%.0f", 60 * Double(plan.runCount) / bareSeconds)),
            ("planSeconds", String(format: "%.3f", t1.timeIntervalSince(t0))),
            ("runSeconds", String(format: "%.3f", t2.timeIntervalSince(t1))),
            ("mergeSeconds", String(format: "%.3f", t3.timeIntervalSince(t2))),
            ("overheadMillisecondsPerRun", String(format: "%.2f", 1000 * (sweepSeconds - bareSeconds) / Double(plan.runCount))),
            ("peakMemoryBytes", "\(peakMemoryBytes())"),
        ])
    }

    private static func jsonLine(_ fields: [(String, String)]) -> String {
        "{" + ([("version", "\"\(RetailSimVersion.string)\"")] + fields).map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// Peak resident memory of this process, bytes (getrusage's ru_maxrss is in KiB on Linux).
    static func peakMemoryBytes() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }
}
