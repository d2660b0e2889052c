import ArgumentParser
import RetailExperiment

/// `retailsim sweep plan`: write a sweep's plan for shards to run elsewhere.
struct SweepPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write a sweep's plan (sweep.json, points.csv) without running it; print the number of runs.",
        discussion: """
        Then run its shards anywhere the folder is visible, e.g. as a Slurm array job:
          retailsim sweep plan baseline.toml \\
            --vary amazon.priceIndex=0.95:1.05:11 --replicates 20 --out sweeps/big
          sbatch --array=0-99 Experiments/slurm/sweep.sbatch sweeps/big
          retailsim sweep merge sweeps/big
        """
    )

    @OptionGroup var sweepOptions: SweepOptions

    func run() throws {
        let (plan, folder) = try sweepOptions.plan()
        let new = try plan.write(to: folder)
        print("\(plan.runCount) runs (\(plan.points.count) points × \(plan.replicates) replicates) \(new ? "planned" : "already planned") in \(folder)")
        print("run them: retailsim sweep run \(folder) [--shard i/n]; then: retailsim sweep merge \(folder)")
    }
}
