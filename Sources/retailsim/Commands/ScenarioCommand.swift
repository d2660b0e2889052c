import ArgumentParser
import RetailExperiment

/// `retailsim scenario`: look at scenarios without running them.
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "List every parameter, or check a scenario file.",
        subcommands: [ShowScenario.self, CheckScenario.self]
    )
}

/// `retailsim scenario show`: every parameter with its value, unit and meaning.
struct ShowScenario: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print every parameter: path, value (default unless a file or --set changed it), unit and meaning."
    )

    @OptionGroup var scenarioOptions: ScenarioOptions

    @Option(help: "table, json or markdown (docs/PARAMETERS.md is the markdown, of the baseline).")
    var format: CatalogFormat = .table

    func run() throws {
        let scenario = try scenarioOptions.load()
        switch format {
        case .json: print(ParameterCatalog.json(scenario), terminator: "")
        case .markdown: print(ParameterCatalog.markdown(), terminator: "")
        case .table:
            let baseline = Scenario.baseline
            print(padded("path", 46) + padded("value", 14) + padded("default", 14) + "unit · meaning · allowed")
            for p in ParameterCatalog.all {
                let unit = p.unit.isEmpty ? "" : "[\(p.unit)] "
                print(padded(p.path, 46) + padded(p.value(in: scenario).description, 14)
                      + padded(p.value(in: baseline).description, 14) + "\(unit)\(p.meaning) · \(p.allowed)")
            }
        }
    }
}

/// `retailsim scenario check FILE`: validates without running.
struct CheckScenario: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a scenario file, or the built-in baseline, with any --params and --set, without running it; exit status 2 if it is bad."
    )

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() throws {
        let scenario = try scenarioOptions.load()
        let changed = ParameterCatalog.all.filter { $0.value(in: scenario) != $0.value(in: .baseline) }.count
        // No file checks the built-in baseline with the --params and --set given.
        let timeline = scenario.timeline.isEmpty ? "" : ", \(scenario.timeline.count) change(s) in its timeline"
        print("ok: \(scenarioOptions.scenario ?? "the built-in baseline") (scenario \"\(scenario.name)\", \(changed) parameter(s) differ from the baseline\(timeline))")
    }
}
