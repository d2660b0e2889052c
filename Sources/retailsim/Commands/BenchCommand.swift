import ArgumentParser
import Foundation
import RetailExperiment

/// `retailsim bench`: speed and memory of the weekly loop, or of a sweep, as one JSON line.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the weekly loop and print household-weeks per second, set-up time and peak memory as one JSON line.",
        discussion: """
        Build in release mode first (make bench does). Writes no files, except that --sweep \
        plans, runs and merges a sweep in a temporary folder that it removes:
          retailsim bench --households 1000000 --weeks 52
          retailsim bench --sweep 1000 --households 20000 --weeks 52
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
        let scenario = try scenarioOptions.load(defaults: [Assignment(path: "run.warmupWeeks", value: .number(0), source: "bench"),
                                                           Assignment(path: "start.burnInWeeks", value: .number(0), source: "bench"),
                                                           Assignment(path: "start.habitIterations", value: .number(0), source: "bench")])
        let threadCount = try resolveThreads(threads)
        if let sweep {
            print(try Bench.sweep(runs: sweep, base: scenario, threads: threadCount))
            return
        }
        let progress = ProgressLine(enabled: true)
        Interruption.listen(what: "the figures of the weeks done")
        let line = try Bench.loop(scenario, threads: threadCount, progress: progress.report, shouldStop: { Interruption.isRequested })
        progress.finish()
        print(line)
    }
}
