import ArgumentParser
import RetailExperiment

/// `retailsim sensitivity DIR --metric M`: Sobol indices from a Sobol sweep.
struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "First-order and total Sobol indices of one metric from a merged `--design sobol:N` sweep.",
        discussion: """
        First-order index: the share of the metric's variance over the design due to one parameter alone \
        (Saltelli et al. 2010); total index: with all its interactions (Jansen 1999). Each point's value is \
        the metric's mean over its replicates. Intervals are 95 % bootstrap percentiles over the base samples. \
        Writes DIR/sensitivity-<metric>.csv.
          retailsim sweep --design sobol:256 \\
            --vary walmart.priceIndex=0.9:1.1 \\
            --vary membership.imitation=0:0.1 --out sweeps/sa
          retailsim sensitivity sweeps/sa --metric amazonShareOfOnline
        """
    )

    @Argument(help: "The sweep's folder.")
    var folder: String

    @Option(help: "The metric: a column of results.csv, e.g. amazonShareOfOnline, spendShare.WO, primeShare.")
    var metric: String

    @Option(help: "Bootstrap resamples for the intervals.")
    var bootstrap: Int = 1000

    func run() throws {
        let result = try SweepSensitivity(folder: folder, metric: metric, bootstrapSamples: bootstrap)
        let path = "\(folder)/sensitivity-\(metric).csv"
        try AtomicFile.write(result.csv, to: path)
        print(result.table, terminator: "")
        print("wrote \(path)")
    }
}
