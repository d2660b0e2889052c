import ArgumentParser
import Foundation
import RetailExperiment

/// `retailsim sweep [start]`: plan, run every run on this machine, merge.
struct SweepStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Plan a sweep, run it on every core and merge its tables (the default: `retailsim sweep FILE --vary ...`).",
        discussion: """
        Run again with the same command after a kill (even kill -9) and it finishes only the runs \
        that are missing; a different plan for the same folder is refused.
        """
    )

    @OptionGroup var sweepOptions: SweepOptions

    @Option(parsing: .unconditional, help: "Threads in all (default: every core); runs go in parallel, one thread each.")
    var threads: String?

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    func run() throws {
        let (plan, folder) = try sweepOptions.plan()
        let threadCount = try resolveThreads(threads)
        try plan.write(to: folder)
        let progress = ProgressLine(enabled: !quiet)
        let outcome = try SweepRunner.run(plan, folder: folder, threads: threadCount, progress: progress.report)
        progress.finish()
        let merged = try SweepMerge.merge(folder: folder)
        print(SweepReport.head(plan, folder: folder))
        print("\(outcome.ranNow) run(s) made now, \(outcome.alreadyDone) already done")
        if let failures = outcome.failures { print(failures) }
        print(SweepReport.table(plan, merged), terminator: "")
        print("wrote \(folder)/: sweep.json, points.csv, results.csv, " + (plan.recording == .weekly ? "weekly.csv, " : "") + "summary.csv")
    }
}
