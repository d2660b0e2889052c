import Foundation
import ArgumentParser
import RetailExperiment

/// How every subcommand takes a scenario: an optional file, `--set`, and shorthands.
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "A scenario file (.toml or .json) that sets any parameters; the built-in baseline when omitted.")
    var scenario: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Set one parameter, e.g. --set amazon.priceIndex=1.02 (repeatable).", valueName: "path=value"))
    var sets: [String] = []

    @Option(help: ArgumentHelp("A JSON object of parameter path to value, e.g. {\"amazon.prime.monthlyFee\": 12.99}, from a file or - for standard input (for workflow systems that hand each task a dictionary); repeatable, applied in order.", valueName: "file.json|-"))
    var params: [String] = []

    @Option(help: ArgumentHelp("Changes of parameters during the run: a CSV file with the columns week,path,value or date,path,value (each from the start of its week; a date's week counts from run.start), added to the scenario's [[timeline]].", valueName: "file.csv"))
    var timeline: String?

    @Option(name: .customLong("facility"), help: ArgumentHelp("Open or close a facility at a place from a week, or watch a place: ACTION:KIND:LATITUDE,LONGITUDE:WEEK or ...:YYYY-MM-DD (from the week that holds the date), e.g. open:store:36.37,-94.21:13 (actions open, close, watch; kinds store, darkStore, fulfillmentCenter, sameDaySite; repeatable), added to the scenario's [[facility]]. regions.csv gets the distance bands around each place.", valueName: "change"))
    var facilities: [String] = []

    @Option(parsing: .unconditional, help: "Simulated households (population.shoppers).")
    var households: String?

    // Two options, not one with two names, so that a message names the one given.
    @Option(parsing: .unconditional, help: ArgumentHelp("The same as --households (its name before 0.8.1).", visibility: .hidden))
    var shoppers: String?

    @Option(parsing: .unconditional, help: "Horizon in weeks (run.weeks).")
    var weeks: String?

    @Option(parsing: .unconditional, help: "Replicates (run.replicates).")
    var replicates: String?

    @Option(parsing: .unconditional, help: "Seed of every random stream (run.seed).")
    var seed: String?

    /// The baseline, then the file, then `defaults` (a subcommand's own), then
    /// `--params`, then the shorthands, then each --set in order.
    /// The scenario; a setting that does nothing in its country is warned of
    /// on standard error (not refused: one file may serve both countries).
    func load(defaults: [Assignment] = []) throws(InputError) -> Scenario {
        let s = try Scenario.load(file: scenario, assignments: try assignments(defaults: defaults))
        for warning in ParameterCatalog.inertSettings(s) {
            FileHandle.standardError.write(Data("retailsim: warning: \(warning)\n".utf8))
        }
        return s
    }

    /// What `load` applies on top of the file, in order.
    func assignments(defaults: [Assignment] = []) throws(InputError) -> [Assignment] {
        var assignments: [Assignment] = defaults
        // Every --params in order, a later one's value winning, as --set's do.
        if params.filter({ $0 == "-" }).count > 1 {
            throw InputError(source: "--params -", problem: "given more than once; standard input can be read once (allowed: one --params -)")
        }
        for file in params { assignments += try ScenarioFile.parameterDictionary(file) }
        if let timeline { assignments += try ScenarioFile.timelineCSV(timeline) }
        for (k, text) in facilities.enumerated() { assignments += try Scenario.commandLineFacility(text, index: k + 1) }
        for (flag, path, value) in [("--households", "population.shoppers", households), ("--shoppers", "population.shoppers", shoppers), ("--weeks", "run.weeks", weeks),
                                    ("--replicates", "run.replicates", replicates), ("--seed", "run.seed", seed)] {
            if let value {
                assignments.append(Assignment(path: path, value: ScenarioValue(commandLine: value), source: flag))
            }
        }
        for text in sets { assignments.append(try Scenario.commandLineAssignment(text)) }
        return assignments
    }
}
