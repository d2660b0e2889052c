import ArgumentParser

/// `retailsim sweep`: many runs over a design of parameter values.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario over a grid, Latin hypercube or Sobol design of parameter values, with replicates per point.",
        discussion: """
        On one machine, in one go (killed, it resumes with the same command):
          retailsim sweep Experiments/scenarios/baseline.toml \\
            --vary amazon.prime.monthlyFee=9.99:19.99:5 \\
            --vary walmart.strategy.hubsPerQuarter=0,40,80 \\
            --replicates 10 --out sweeps/fee-x-hubs
        Split over a cluster: `sweep plan`, then `sweep run DIR --shard i/n` \
        anywhere, then `sweep merge DIR`.

        Each sweep folder gets sweep.json (the plan), points.csv, results.csv \
        (a row per point and replicate) and summary.csv (mean, sd and 95 % CI \
        per point and metric). See docs/SWEEPS.md.
        """,
        subcommands: [SweepStartCommand.self, SweepPlanCommand.self, SweepRunCommand.self, SweepMergeCommand.self],
        defaultSubcommand: SweepStartCommand.self
    )
}
