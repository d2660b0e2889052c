import ArgumentParser
import RetailExperiment

/// `retailsim sweep merge DIR`: one results table from every shard.
struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the shards' records into results.csv and summary.csv; refuse a missing shard or a run recorded twice.",
        discussion: "The merged results.csv is byte for byte the one an unsharded sweep of the same plan writes."
    )

    @Argument(help: "The sweep's folder.")
    var folder: String

    func run() throws {
        let plan = try SweepPlan.read(folder: folder)
        let merged = try SweepMerge.merge(folder: folder)
        print(SweepReport.head(plan, folder: folder))
        print(SweepReport.table(plan, merged), terminator: "")
        print("wrote \(folder)/: results.csv (\(merged.runs) rows), " + (plan.recording == .weekly ? "weekly.csv, " : "") + "summary.csv")
    }
}
