import ArgumentParser
import Foundation
import RetailExperiment

/// `retailsim verify DIR`: is this folder what the code makes?
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-make a run, sweep or reproduce folder from what it recorded and compare it, file by file.",
        discussion: """
        Reads what made DIR (summary.json and scenario.json for a run, sweep.json for a sweep, \
        result.json for `reproduce NAME`: scenario, seed, sizes, version), makes it again in a \
        scratch folder with this binary, and prints, for each file, whether the bytes match. A \
        sweep's shard records are compared as sets of lines (their order is the order runs \
        finished); files the command does not write (a printed table, a report, a plot) are \
        listed and not compared. Exit status: 0 when every compared file matches, 1 when any \
        differs or is missing, 2 when the folder or its record cannot be read. A folder written \
        by another version is re-made by this one: its differences are what the versions change.
        Examples:
          retailsim verify Results/baseline
          retailsim verify Results/sweep-fee-x-hubs --threads 2
          retailsim verify Results/logit-1974          # from the repository root
        """
    )

    @Argument(help: "The folder to verify.")
    var folder: String

    @Option(help: "Folder of experiment files, for a reproduce folder.")
    var experiments = "Experiments/reproduce"

    @Option(parsing: .unconditional, help: "Worker threads (default: every core). Never changes the results.")
    var threads: String?

    @Option(help: "How to print the verdicts: a table for people, or one JSON object (folder, kind, versions, counts, each file's verdict and detail).")
    var format: Format = .table

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Option(help: ArgumentHelp("Re-make into this folder and keep it (default: a scratch folder, removed after).", valueName: "dir"))
    var keep: String?

    func run() throws {
        let threadCount = try resolveThreads(threads)
        // Read before any work: an unreadable folder is refused in a moment.
        let (kind, version) = try Verification.kind(of: folder)
        let scratch: String
        if let keep {
            try OutputFolder.prepare(keep, source: "--keep")
            guard (try? FileManager.default.contentsOfDirectory(atPath: keep))?.isEmpty ?? true else {
                throw InputError(source: "--keep", value: keep, problem: "is not empty; allowed: a new or empty folder")
            }
            scratch = keep
        } else {
            scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent("retailsim-verify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            try OutputFolder.prepare(scratch, source: "the scratch folder")
        }
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: scratch) } }
        if format == .table {
            print("verify \(folder): \(kind.description), written by retailsim \(version); re-made by \(RetailSimVersion.string)")
        }
        let outcome = try Verification.verify(folder, scratch: scratch, experiments: experiments, threads: threadCount)
        if format == .json {
            print(outcome.json(folder: folder))
            if !outcome.allSame { throw ExitCode(1) }
            return
        }
        let width = outcome.files.map(\.name.count).max() ?? 0
        for file in outcome.files {
            let name = file.name.padding(toLength: width, withPad: " ", startingAt: 0)
            switch file.verdict {
            case .same: print("  same      \(file.name)")
            case .differs(let detail): print("  DIFFERS   \(name)  \(detail)")
            case .missing: print("  MISSING   \(name)  (the re-make writes it; the folder lacks it)")
            case .notMade: print("  unchecked \(name)  (not a file the command writes)")
            }
        }
        let compared = outcome.files.filter(\.verdict.counts)
        let same = compared.filter { $0.verdict == .same }.count
        print(String(format: "%d of %d files the same (re-made in %.0f s)%@", same, compared.count, outcome.seconds,
                     keep.map { "; the re-made files are in \($0)" } ?? ""))
        if !outcome.allSame { throw ExitCode(1) }
    }
}
