import ArgumentParser
import Foundation
import RetailExperiment

/// `retailsim run`: a market-share experiment.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario's replicates and write weekly, membership, retailer and summary files.",
        discussion: """
        Examples:
          retailsim run                                   # the built-in baseline
          retailsim run --households 1000000 --replicates 8 --seed 42 --out runs/base
          retailsim run Experiments/scenarios/no-rural-expansion.toml --set walmart.strategy.hubsPerQuarter=80
          retailsim run --save-state 52:runs/year1.state --out runs/straight
          retailsim run --from-state runs/year1.state --set amazon.prime.monthlyFee=16.99 --out runs/dearer-prime
        The same seed and scenario give the same files for any --threads; a run
        saved and continued writes the same files as the straight run.
        """
    )

    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup var posteriorOption: PosteriorOption

    @Option(help: "Output folder (default: runs/<scenario name>).")
    var out: String?

    @Option(parsing: .unconditional, help: "Worker threads (default: every core). Never changes the results.")
    var threads: String?

    @Flag(help: "Also write shoppers.csv (one row per household of replicate 1, streamed; refused above 10,000,000 households).")
    var writeShoppers = false

    @Flag(help: "Also write facilities.csv: every store, fulfilment centre and same-day site of replicate 1 at its end, with kind, state, latitude and longitude.")
    var writeFacilities = false

    @Flag(help: "Also write zctas.csv: regions.csv's figures for every ZCTA where a simulated household lives, each replicate at its end, with the ZCTA's point and its km to the nearest [[facility]] place (real country only).")
    var writeZctas = false

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    @Option(name: .customLong("save-state"), help: ArgumentHelp("Also save every replicate's whole market after week WEEK (0: straight after the warm start) to FILE, for --from-state.", valueName: "WEEK:FILE"))
    var saveState: String?

    @Option(name: .customLong("from-state"), help: ArgumentHelp("Continue the run saved in FILE (--save-state): its weeks, then the rest, as the straight run would. --set, --params, --timeline and --facility fork it: they may change what a timeline may change, from the week after the save. The state holds the scenario: no scenario file.", valueName: "FILE"))
    var fromState: String?

    @Option(help: ArgumentHelp("Print, in place of the table, one JSON line on stdout: summary (scenario, seed, version and every metric's mean and 95 % interval).", valueName: "summary"))
    var emit: Emission?

    enum Emission: String, ExpressibleByArgument, CaseIterable {
        case summary
    }

    func run() throws {
        var scenario: Scenario
        var continuing: Continuation?
        if let fromState {
            if let file = scenarioOptions.scenario {
                throw InputError(source: "--from-state", value: file, problem: "a scenario file beside --from-state; the state holds its scenario: "
                                     + "change it with --set, --params, --timeline or --facility")
            }
            (scenario, continuing) = try Continuation.load(path: fromState, assignments: try scenarioOptions.assignments(defaults: posteriorOption.assignments))
        } else {
            scenario = try scenarioOptions.load(defaults: posteriorOption.assignments)
        }
        let threadCount = try resolveThreads(threads)
        let folder = out ?? "runs/\(scenario.name)"
        if writeZctas && scenario.model.geography.kind != .us {
            throw InputError(source: "--write-zctas", path: "geography.kind", value: scenario.model.geography.kind.rawValue,
                             problem: "ZCTAs exist only in the real country; allowed: geography.kind = \"us\"")
        }
        try OutputFolder.prepare(folder, source: "--out")
        let shoppers = scenario.model.population.shoppers
        if writeShoppers && shoppers > RunOutput.shopperRowsLimit {
            throw InputError(source: "--write-shoppers", path: "population.shoppers", value: "\(shoppers)",
                                problem: "shoppers.csv is written for at most \(RunOutput.shopperRowsLimit) households "
                                    + "(about 80 bytes a row); run without --write-shoppers, or with fewer households")
        }
        let save = try saveState.map { text throws(InputError) -> StateFile.Writer in
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            let first = (continuing?.week ?? -1) + 1
            guard parts.count == 2, let week = Int(parts[0]), (first...scenario.run.weeks).contains(week), !parts[1].isEmpty else {
                throw InputError(source: "--save-state", value: text,
                                 problem: "allowed: WEEK:FILE, WEEK an integer in [\(first), \(scenario.run.weeks)] (run.weeks), e.g. 52:runs/year1.state")
            }
            return try StateFile.Writer(path: parts[1], scenario: scenario, week: week)
        }
        let progress = ProgressLine(enabled: !quiet)
        Interruption.listen(what: "the weeks done to \(folder)")
        var requested = RunOutput.Requested(facilities: writeFacilities, shoppers: writeShoppers, zctas: writeZctas)
        let result = try Replicates.run(scenario, threads: threadCount, progress: progress.report,
                                        shouldStop: { Interruption.isRequested }, save: save, continuing: continuing) { market, replicate in
            try requested.add(market, replicate: replicate, in: folder)
        }
        progress.finish()
        if result.replicates.isEmpty {
            FileHandle.standardError.write(Data("retailsim: stopped before the first week ended; nothing written\n".utf8))
            throw ExitCode(130)
        }
        try RunOutput.write(result, to: folder, alongside: try requested.written(in: folder))
        switch emit {
        case .summary: print(try RunOutput.summaryLine(result))
        case nil: print(try SummaryTable.render(result, folder: folder), terminator: "")
        }
        // Stopped runs still write their files, but say so by their exit status.
        if result.stoppedAt != nil { throw ExitCode(130) }
    }
}
