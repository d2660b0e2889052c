import ArgumentParser
import Foundation
import RetailExperiment
import class RetailModel.Shoppers
import enum RetailModel.Parallel

/// `retailsim bench`: speed and memory of the weekly loop, or of a sweep, as one JSON line.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the weekly loop and print shopper-weeks per second, set-up time and peak memory as one JSON line.",
        discussion: """
        Build in release mode first (make bench does). Writes no files, except that --sweep \
        plans, runs and merges a sweep in a temporary folder that it removes:
          retailsim bench --shoppers 1000000 --weeks 52
          retailsim bench --sweep 1000 --shoppers 20000 --weeks 52
        """
    )

    @OptionGroup var scenarioOptions: ScenarioOptions

    @Option(parsing: .unconditional, help: "Worker threads (default: every core).")
    var threads: String?

    @Option(help: "Time a sweep of this many runs (a grid over amazon.priceIndex, 10 replicates a point) against the same runs made bare: runs per minute and the sweep's overhead per run.")
    var sweep: Int?

    func run() throws {
        // The benchmark summarises nothing, so any horizon goes; it times the
        // weekly loop, so the warm start (set-up, not timed) is left out unless asked for.
        var scenario = try scenarioOptions.load(defaults: [Assignment(path: "run.warmupWeeks", value: .number(0), source: "bench"),
                                                           Assignment(path: "start.burnInWeeks", value: .number(0), source: "bench"),
                                                           Assignment(path: "start.habitIterations", value: .number(0), source: "bench")])
        let threadCount = try resolveThreads(threads)
        if let sweep {
            try benchSweep(runs: sweep, base: scenario, threads: threadCount)
            return
        }
        scenario.run.replicates = 1
        let progress = ProgressLine(enabled: true)
        Interruption.listen(what: "the figures of the weeks done")
        let result = try Replicates.run(scenario, threads: threadCount, progress: progress.report,
                                        shouldStop: { Interruption.isRequested })
        progress.finish()
        let n = scenario.model.population.shoppers
        let weeksDone = result.replicates.first?.count ?? 0
        let shopperWeeks = Double(n) * Double(weeksDone)
        let peak = peakMemoryBytes()
        print(jsonLine([
            ("scenario", "\"\(scenario.name)\""),
            ("shoppers", "\(n)"),
            ("weeks", "\(weeksDone)"),
            ("threads", "\(threadCount)"),
            ("setupSeconds", String(format: "%.3f", result.setupSeconds)),
            ("loopSeconds", String(format: "%.3f", result.loopSeconds)),
            ("shopperWeeksPerSecond", String(format: "%.0f", shopperWeeks / result.loopSeconds)),
            ("peakMemoryBytes", "\(peak)"),
            ("peakBytesPerShopper", String(format: "%.1f", Double(peak) / Double(n))),
            ("stateBytesPerShopper", "\(Shoppers.bytesPerShopper)"),
            ("setupShareOfRun", String(format: "%.3f", result.setupSeconds / (result.setupSeconds + result.loopSeconds))),
            ("stopped", result.stoppedAt == nil ? "false" : "true"),
        ]))
    }

    /// The same runs twice: bare (scenario in, metrics out, nothing written),
    /// then as a sweep (plan, durable records, merge), each on every thread.
    private func benchSweep(runs: Int, base: Scenario, threads: Int) throws {
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
        Parallel.forEach(plan.runCount, threads: threads) { k in
            let r = plan.run(k)
            _ = try? Replicates.run(try plan.scenario(point: r.point, replicate: r.replicate), threads: 1).metrics
        }
        let bareSeconds = Date().timeIntervalSince(b0)
        print(jsonLine([
            ("shoppers", "\(scenario.model.population.shoppers)"),
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
        ]))
    }

    private func jsonLine(_ fields: [(String, String)]) -> String {
        "{" + ([("version", "\"\(RetailSimVersion.string)\"")] + fields).map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }
}

/// Peak resident memory of this process, bytes (getrusage's ru_maxrss is in KiB on Linux).
func peakMemoryBytes() -> Int {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}
