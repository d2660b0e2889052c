import ArgumentParser
import RetailExperiment

/// `retailsim report DIR`: a self-contained HTML page of a run's or a sweep's figures.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write DIR/report.html: the figures of a run or a sweep, as one page that opens without a network.",
        discussion: """
        For a run's folder (from `retailsim run`): shares of spend by option, online shares, \
        memberships, facilities and price indices, week by week, each the mean of the \
        replicates with its 95 % interval as a band. For a sweep's folder (from `retailsim \
        sweep`): with one varied parameter, each metric against it with its interval; with two \
        on a grid, a heat map of each metric; otherwise each metric against each parameter.
        Examples:
          retailsim run --replicates 5 --out runs/base && retailsim report runs/base
          retailsim report Results/sweep-fee-x-hubs --metric primeShare --metric amazonShareOfOnline
        """
    )

    @Argument(help: "A run's or a sweep's output folder.")
    var folder: String

    @Option(help: "A metric to chart for a sweep (repeatable; default: the main shares).")
    var metric: [String] = []

    func run() throws {
        let made = try Report.write(folder: folder, metrics: metric.isEmpty ? nil : metric)
        print("wrote \(made.path): \(made.charts.count) chart(s)")
        for c in made.charts { print("  \(c)") }
    }
}
