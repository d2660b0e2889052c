import ArgumentParser
import Foundation
import RetailExperiment
import class RetailModel.Shoppers

/// `retailsim bench`: speed and memory of the weekly loop, as one JSON line.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the weekly loop and print shopper-weeks per second, set-up time and peak memory as one JSON line.",
        discussion: "Build in release mode first (make bench does). Writes no files."
    )

    @OptionGroup var scenarioOptions: ScenarioOptions

    @Option(help: "Worker threads (default: every core).")
    var threads: Int?

    func run() throws {
        // The benchmark summarises nothing, so any horizon goes.
        var scenario = try scenarioOptions.load(defaults: [Assignment(path: "run.warmupWeeks", value: .number(0), source: "bench")])
        scenario.run.replicates = 1
        let threadCount = try resolveThreads(threads)
        let result = try Experiment.run(scenario, threads: threadCount)
        let n = scenario.model.population.shoppers
        let shopperWeeks = Double(n) * Double(scenario.run.weeks)
        let peak = peakMemoryBytes()
        let fields: [(String, String)] = [
            ("version", "\"\(RetailSimVersion.string)\""),
            ("scenario", "\"\(scenario.name)\""),
            ("shoppers", "\(n)"),
            ("weeks", "\(scenario.run.weeks)"),
            ("threads", "\(threadCount)"),
            ("setupSeconds", String(format: "%.3f", result.setupSeconds)),
            ("loopSeconds", String(format: "%.3f", result.loopSeconds)),
            ("shopperWeeksPerSecond", String(format: "%.0f", shopperWeeks / result.loopSeconds)),
            ("peakMemoryBytes", "\(peak)"),
            ("peakBytesPerShopper", String(format: "%.1f", Double(peak) / Double(n))),
            ("stateBytesPerShopper", "\(Shoppers.bytesPerShopper)"),
        ]
        print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }
}

/// Peak resident memory of this process, bytes (getrusage's ru_maxrss is in KiB on Linux).
func peakMemoryBytes() -> Int {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}
