import Foundation
import RetailModel
import RetailStats

/// Runs the experiments of `Experiments/reproduce/` (docs/MODEL.md section 9, the
/// published targets and the source article's claims) and writes each into
/// `Results/<name>/` with its figures, and the table of all into Results/README.md.
public enum Reproduction {
    /// Runs one experiment and writes its folder under `results`.
    public static func run(_ spec: ReproductionSpec, results: String, threads: Int, size: ReproductionSize = ReproductionSize(),
                           root: String = FileManager.default.currentDirectoryPath) throws -> ReproductionRecord {
        let folder = (results as NSString).appendingPathComponent(spec.name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        AtomicFile.removeAbandoned(in: folder)
        var extra: [Assignment] = []
        if let n = size.shoppers { extra.append(Assignment(path: "population.shoppers", value: .number(Double(n)), source: "size")) }
        let replicates = size.replicates ?? spec.replicates
        extra.append(Assignment(path: "run.replicates", value: .number(Double(replicates)), source: spec.name))
        let base = try spec.scenario(root: root, extra)
        var record = ReproductionRecord(experiment: spec.name, title: spec.title, kind: spec.kind.rawValue, source: spec.source, claim: spec.claim,
                                      command: command(spec, base: base, size: size), seed: base.run.seed, version: RetailSimVersion.string,
                                      replicates: replicates, shoppers: base.model.population.shoppers, weeks: base.run.weeks - spec.forkWeek(in: base),
                                      checks: [], why: spec.why, files: [])
        let written: (checks: [Check], files: [String])
        switch spec.kind {
        case .logit, .huff: written = try ClosedFormExperiment.choice(spec, base: base, root: root, extra: extra, folder: folder, threads: threads)
        case .bass: written = try ClosedFormExperiment.bass(spec, base: base, folder: folder, threads: threads)
        case .paired: written = try PairedExperiment.run(spec, root: root, extra: extra, folder: folder, threads: threads)
        case .validation: written = try ValidationExperiment.run(spec, base: base, root: root, folder: folder, threads: threads)
        case .responses: written = try ResponseExperiment.run(spec, base: base, root: root, folder: folder, threads: threads)
        case .levers: written = try LeverExperiment.run(spec, base: base, root: root, extra: extra, folder: folder, threads: threads)
        case .backcast: written = try BackcastExperiment.run(spec, base: base, root: root, folder: folder, threads: threads)
        case .drivers: written = try DriverFit.run(spec, base: base, root: root, size: size, folder: folder, threads: threads)
        case .calibration:
            written = try ValidationExperiment.calibrate(spec, base: base, root: root, size: size, folder: folder, threads: threads)
            record.weeks = base.run.weeks
        }
        if base.drawsFromPosterior { record.posterior = base.run.posterior }
        record.checks = written.checks
        record.files = written.files
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(String(decoding: try encoder.encode(record), as: UTF8.self) + "\n",
                             to: (folder as NSString).appendingPathComponent("result.json"))
        return record
    }

    /// Every experiment's record found under `results`, by name.
    public static func records(results: String) -> [ReproductionRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: results)) ?? []
        return names.sorted().compactMap { name in
            let path = ((results as NSString).appendingPathComponent(name) as NSString).appendingPathComponent("result.json")
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            return try? JSONDecoder().decode(ReproductionRecord.self, from: data)
        }
    }

    static let begin = "<!-- reproduce: begin (written by `retailsim reproduce`; edit the experiments, not this table) -->"
    static let end = "<!-- reproduce: end -->"

    /// How a response check's model cell begins when the model cannot produce it yet.
    static let unmeasurable = "not measurable yet: "

    /// The table of every experiment's checks, with a sentence for each miss.
    public static func table(_ records: [ReproductionRecord]) -> String {
        var out = "| experiment | check | target or closed form | model | tolerance | result | command |\n|---|---|---|---|---|---|---|\n"
        var misses: [String] = []
        for r in records {
            for c in r.checks {
                out += "| `\(r.experiment)` | \(cell(c.name)) | \(cell(c.reference)) | \(cell(c.model)) | \(cell(c.tolerance)) | "
                    + (c.pass ? "PASS" : "**FAIL**") + " | `\(r.command)` |\n"
                if !c.pass {
                    // A response the model cannot measure yet says what it lacks in its model cell.
                    let lacking = c.model.hasPrefix(unmeasurable) ? "the model cannot measure it yet; it needs " + c.model.dropFirst(unmeasurable.count) + "." : nil
                    misses.append("- `\(r.experiment)`, \(c.name): " + (r.why[c.name] ?? r.why[String(c.name.split(separator: " ")[0])] ?? lacking
                        ?? "no explanation written yet (add `why.\(c.name)` to Experiments/reproduce/\(r.experiment).toml)."))
                }
            }
        }
        let passes = records.reduce(0) { $0 + $1.checks.filter(\.pass).count }, total = records.reduce(0) { $0 + $1.checks.count }
        out += "\n\(passes) of \(total) checks pass.\n"
        if !misses.isEmpty { out += "\nWhy each miss is a miss:\n\n" + misses.joined(separator: "\n") + "\n" }
        return out
    }

    private static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }

    /// Puts the table between its markers in the README at `path` (appending
    /// the markers the first time), leaving the rest of the file as it is.
    public static func writeIndex(records: [ReproductionRecord], readme path: String) throws {
        var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Results\n"
        let block = begin + "\n" + table(records) + end
        if let a = text.range(of: begin), let b = text.range(of: end), a.lowerBound < b.lowerBound {
            text.replaceSubrange(a.lowerBound..<b.upperBound, with: block)
        } else {
            text += "\n## Reproduced experiments\n\n" + block + "\n"
        }
        try AtomicFile.write(text, to: path)
    }

    /// The command that makes the record again.
    static func command(_ spec: ReproductionSpec, base: Scenario, size: ReproductionSize) -> String {
        "retailsim reproduce \(spec.name)" + (!base.drawsFromPosterior ? "" : " --posterior \(base.run.posterior)")
            + (size.replicates.map { " --replicates \($0)" } ?? "") + (size.shoppers.map { " --households \($0)" } ?? "")
    }

    // Shared helpers of the experiments.

    static func interval(_ values: [Double]) throws -> (mean: Double, low: Double, high: Double) {
        let s = Summary(values)
        let ci = try s.confidenceInterval(level: 0.95)
        return (s.mean, ci?.lowerBound ?? s.mean, ci?.upperBound ?? s.mean)
    }

    /// The interval a figure or effect reports across replicates. Without a
    /// posterior the replicates differ only by their random numbers: the mean's
    /// 95 % Student-t interval, the simulation's error. On a posterior
    /// (`run.posterior`) each replicate runs at its own draw: where the middle
    /// 90 % of replicates fall, the parameters' uncertainty and the
    /// simulation's together (it does not narrow with more replicates).
    struct ReplicateInterval {
        let posterior: Bool

        init(_ scenario: Scenario) { posterior = scenario.drawsFromPosterior }

        func callAsFunction(_ values: [Double]) throws -> (mean: Double, low: Double, high: Double) {
            guard posterior else { return try Reproduction.interval(values) }
            let s = Summary(values)
            return (s.mean, s.quantile(0.05), s.quantile(0.95))
        }

        /// As the tables and figures name it.
        var name: String { posterior ? "90 % posterior interval" : "95 % interval" }

        /// The CSV columns of its ends.
        var columns: String { posterior ? "q05,q95" : "ci95Low,ci95High" }
    }

    /// The plain mean, summed in order (what the CSV tables report beside an interval).
    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    static func format(_ x: Double) -> String { String(format: "%.4f", x) }

    static func write(_ text: String, _ name: String, in folder: String) throws -> String {
        try AtomicFile.write(text, to: (folder as NSString).appendingPathComponent(name))
        return name
    }
}
