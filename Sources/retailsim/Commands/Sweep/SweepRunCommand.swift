import ArgumentParser
import RetailExperiment

/// `retailsim sweep run DIR [--shard i/n]`: one shard of a planned sweep.
struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the missing runs of a planned sweep, or of one shard of it (--shard i/n).",
        discussion: """
        Shard i of n takes runs i, i+n, i+2n, ... of the plan; shards never overlap. Each finished run is \
        recorded in DIR/shards/ and flushed to disk at once, so a killed shard resumes where it stopped. \
        Merge with `retailsim sweep merge DIR` when every shard is done.
        """
    )

    @Argument(help: "The sweep's folder (made by `retailsim sweep plan`).")
    var folder: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Run only shard i of n (i from 0 to n-1), e.g. 3/100 or $SLURM_ARRAY_TASK_ID/100.", valueName: "i/n"))
    var shard: String = "0/1"

    @Option(parsing: .unconditional, help: "Threads in all (default: every core); runs go in parallel, one thread each.")
    var threads: String?

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    func run() throws {
        let part = try SweepShard(parsing: shard)
        let threadCount = try resolveThreads(threads)
        let plan = try SweepPlan.read(folder: folder)
        let progress = ProgressLine(enabled: !quiet)
        let outcome = try SweepRunner.run(plan, folder: folder, shard: part, threads: threadCount, progress: progress.report)
        progress.finish()
        print("shard \(part) of \(folder): \(outcome.runs) run(s), \(outcome.ranNow) made now, \(outcome.alreadyDone) already done")
        if let failures = outcome.failures { print(failures) }
    }
}
