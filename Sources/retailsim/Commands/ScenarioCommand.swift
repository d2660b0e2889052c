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

    func run() throws {
        let scenario = try scenarioOptions.load()
        let baseline = Scenario.baseline
        print("path".padding(toLength: 46, withPad: " ", startingAt: 0) + "value".padding(toLength: 14, withPad: " ", startingAt: 0)
              + "default".padding(toLength: 14, withPad: " ", startingAt: 0) + "unit · meaning · allowed")
        for p in ParameterCatalog.all {
            let value = p.value(in: scenario).description, standard = p.value(in: baseline).description
            let unit = p.unit.isEmpty ? "" : "[\(p.unit)] "
            print(p.path.padding(toLength: 46, withPad: " ", startingAt: 0)
                  + value.padding(toLength: 14, withPad: " ", startingAt: 0)
                  + standard.padding(toLength: 14, withPad: " ", startingAt: 0)
                  + "\(unit)\(p.meaning) · \(p.allowed)")
        }
    }
}

/// `retailsim scenario check FILE`: validates without running.
struct CheckScenario: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a scenario file (and any --set) without running it; exit status 2 if it is bad."
    )

    @OptionGroup var scenarioOptions: ScenarioOptions

    func validate() throws {
        if scenarioOptions.scenario == nil { throw ValidationError("give the scenario file to check") }
    }

    func run() throws {
        let scenario = try scenarioOptions.load()
        let changed = ParameterCatalog.all.filter { $0.value(in: scenario) != $0.value(in: .baseline) }.count
        print("ok: \(scenarioOptions.scenario!) (scenario \"\(scenario.name)\", \(changed) parameter(s) differ from the baseline)")
    }
}
