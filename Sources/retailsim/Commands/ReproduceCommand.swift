import ArgumentParser
import Foundation
import RetailExperiment

/// `retailsim reproduce all|NAME`: the experiments of Experiments/reproduce, into Results.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Run the experiments in Experiments/reproduce (calibration, validation, closed forms, the article's claims) into Results.",
        discussion: """
        Each experiment is a file Experiments/reproduce/NAME.toml: what it checks, the scenario, \
        the replicates and what counts as a pass. `reproduce NAME` runs one and writes \
        Results/NAME/ (result.json, CSV tables, SVG figures); `reproduce all` runs every one. \
        Either way Results/README.md's table (experiment, target or closed form, model, \
        tolerance, PASS or FAIL, the command) is rebuilt from every Results/*/result.json. A \
        FAIL is a finding, reported with the sentence on why from the experiment's file; the \
        command still exits 0. Run it from the repository root.
        Examples:
          retailsim reproduce all
          retailsim reproduce bass-1969
          retailsim reproduce --list
        """
    )

    @Argument(help: "all, or the names of experiments (files in --experiments without .toml).")
    var names: [String] = []

    @Option(help: "Folder of experiment files.")
    var experiments = "Experiments/reproduce"

    @Option(help: "Folder that receives Results/<experiment>/ and README.md (default: Results, with --posterior runs/posterior-results).")
    var results: String?

    @OptionGroup var posteriorOption: PosteriorOption

    @Option(help: "Replicates of each experiment (default: its file's). On a posterior each replicate is a draw, so more replicates give a steadier interval, not a narrower one.")
    var replicates: Int?

    @Option(help: "Households of each experiment (default: its file's).")
    var households: Int?

    @Option(parsing: .unconditional, help: "Worker threads (default: every core). Never changes the results.")
    var threads: String?

    @Flag(help: "List the experiments and exit.")
    var list = false

    func run() throws {
        let specs = try ReproductionSpec.readAll(folder: experiments)
        if list || names.isEmpty {
            for s in specs { print(s.name.padding(toLength: 28, withPad: " ", startingAt: 0) + "\(s.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))\(s.title)") }
            if !list { print("\ngive `all` or a name: retailsim reproduce all") }
            return
        }
        let chosen: [ReproductionSpec]
        let onPosterior = posteriorOption.posterior != nil
        if names == ["all"] {
            // On a posterior, all is what can run on one.
            chosen = specs.filter { !onPosterior || $0.kind.takesPosterior }
        } else {
            chosen = try names.map { name throws(InputError) -> ReproductionSpec in
                guard let s = specs.first(where: { $0.name == name }) else {
                    throw InputError(source: "reproduce", value: name,
                                        problem: "no such experiment; allowed: all, " + specs.map(\.name).joined(separator: ", "))
                }
                guard !onPosterior || s.kind.takesPosterior else {
                    throw InputError(source: "--posterior", value: name,
                                     problem: "a \(s.kind.rawValue) experiment fits or checks a formula at set parameters and does not run on a posterior; "
                                        + "allowed: " + specs.filter(\.kind.takesPosterior).map(\.name).joined(separator: ", "))
                }
                return s
            }
        }
        let threadCount = try resolveThreads(threads)
        for (flag, n) in [("--replicates", replicates), ("--households", households)] {
            if let n, n < 1 { throw InputError(source: flag, value: String(n), problem: "expected a whole number of at least 1") }
        }
        // With a posterior each experiment's scenario draws its parameters; the committed Results stay as they are.
        let results = self.results ?? (posteriorOption.posterior == nil ? "Results" : "runs/posterior-results")
        let withPosterior = chosen.map { spec in
            var s = spec
            s.settings = posteriorOption.assignments + s.settings
            return s
        }
        try OutputFolder.prepare(results, source: "--results")
        let clock = Date()
        for spec in withPosterior {
            let t0 = Date()
            FileHandle.standardError.write(Data("reproduce: \(spec.name) (\(spec.kind.rawValue)) ...\n".utf8))
            let record = try Reproduction.run(spec, results: results, threads: threadCount,
                                              size: ReproductionSize(shoppers: households, replicates: replicates))
            for c in record.checks {
                print("\(c.pass ? "PASS" : "FAIL")  \(spec.name) · \(c.name): \(c.model) (tolerance \(c.tolerance))")
            }
            print(String(format: "      %@ took %.0f s; wrote %@/%@/", spec.name, Date().timeIntervalSince(t0), results, spec.name))
        }
        let all = Reproduction.records(results: results)
        try Reproduction.writeIndex(records: all, readme: (results as NSString).appendingPathComponent("README.md"))
        let checks = all.flatMap(\.checks)
        print(String(format: "%d experiment(s) in %.0f s; Results/README.md: %d of %d checks pass",
                     chosen.count, Date().timeIntervalSince(clock), checks.filter(\.pass).count, checks.count))
    }
}
