import ArgumentParser
import RetailExperiment

/// How every subcommand takes a scenario: an optional file, `--set`, and shorthands.
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "A scenario file (.toml or .json) that sets any parameters; the built-in baseline when omitted.")
    var scenario: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Set one parameter, e.g. --set amazon.priceIndex=1.02 (repeatable).", valueName: "path=value"))
    var sets: [String] = []

    @Option(parsing: .unconditional, help: "Simulated shoppers (population.shoppers).")
    var shoppers: String?

    @Option(parsing: .unconditional, help: "Horizon in weeks (run.weeks).")
    var weeks: String?

    @Option(parsing: .unconditional, help: "Replicates (run.replicates).")
    var replicates: String?

    @Option(parsing: .unconditional, help: "Seed of every random stream (run.seed).")
    var seed: String?

    /// The baseline, then the file, then `defaults` (a subcommand's own), then
    /// the shorthands, then each --set in order.
    func load(defaults: [Assignment] = []) throws(InputError) -> Scenario {
        var assignments: [Assignment] = defaults
        for (flag, path, value) in [("--shoppers", "population.shoppers", shoppers), ("--weeks", "run.weeks", weeks),
                                    ("--replicates", "run.replicates", replicates), ("--seed", "run.seed", seed)] {
            if let value {
                assignments.append(Assignment(path: path, value: ScenarioValue(commandLine: value), source: flag))
            }
        }
        for text in sets { assignments.append(try Scenario.commandLineAssignment(text)) }
        return try Scenario.load(file: scenario, assignments: assignments)
    }
}
