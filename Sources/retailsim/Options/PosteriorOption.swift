import ArgumentParser
import RetailExperiment

/// `--posterior FOLDER` of the commands that run a scenario: each replicate
/// runs at parameters drawn from a Bayesian calibration's sample
/// (`run.posterior`). Not in ScenarioOptions: `calibrate --posterior` makes one.
struct PosteriorOption: ParsableArguments {
    @Option(help: ArgumentHelp("A posterior (the folder `retailsim calibrate --posterior` wrote): each replicate runs at parameters drawn from it by weight, the same for every arm and point, so intervals carry the parameters' uncertainty besides the simulation's (run.posterior).",
                               valueName: "folder"))
    var posterior: String?

    /// The setting, applied before --params and --set (which then may not set a drawn parameter).
    var assignments: [Assignment] {
        posterior.map { [Assignment(path: "run.posterior", value: .text($0), source: "--posterior")] } ?? []
    }
}
