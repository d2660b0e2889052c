import ArgumentParser
import RetailExperiment

/// The root command: `retailsim <subcommand>`.
struct RetailSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retailsim",
        abstract: "Simulate households choosing between a technology-first and an integration-first retailer.",
        discussion: """
        Every week each simulated shopper makes its trips and chooses, by multinomial logit, \
        between an Amazon-like online order, a Walmart-like store visit or online order, and \
        the rest of the market. The model is defined in docs/MODEL.md.
        """,
        version: RetailSimVersion.string,
        subcommands: subcommands
    )
}

private let subcommands: [ParsableCommand.Type] = [RunCommand.self, SweepCommand.self, SensitivityCommand.self, CalibrateCommand.self,
                                                    ReproduceCommand.self, ReportCommand.self, ExploreCommand.self, ScenarioCommand.self,
                                                    MetricsCommand.self, BenchCommand.self, VerifyCommand.self]
