import Foundation

/// Joins the records of a sweep's shards into its tables: `results.csv` (one
/// row per point and replicate, in plan order) and `summary.csv` (per point and
/// metric: replicates, mean, sd and 95 % Student-t interval). The same runs
/// give the same bytes however they were sharded.
public enum SweepMerge {
    public struct Outcome: Sendable {
        public var runs: Int
        /// Every metric's summary across replicates, point by point.
        public var summaries: [[MetricSummary]]
    }

    /// Merges, refusing a run recorded twice, a run of another plan, or a
    /// missing or incomplete shard, by name.
    public static func merge(folder: String) throws -> Outcome {
        let plan = try SweepPlan.read(folder: folder)
        // What a merge killed half-way left behind.
        AtomicFile.removeAbandoned(in: folder)
        let records = try SweepRecord.readAll(folder: folder, plan: plan)
        var lines = [String?](repeating: nil, count: plan.runCount)
        var source = [String](repeating: "", count: plan.runCount)
        for contents in records {
            for entry in contents.entries {
                let k = plan.index(of: entry.run)
                if lines[k] != nil {
                    throw InputError(source: folder, problem: "point \(entry.run.point) replicate \(entry.run.replicate) is recorded twice, "
                                        + "in \(source[k]) and in \(contents.path); remove the shard record that should not be there")
                }
                lines[k] = entry.line
                source[k] = contents.path
            }
        }
        let missing = lines.indices.filter { lines[$0] == nil }
        if !missing.isEmpty { throw missingError(plan: plan, folder: folder, records: records, missing: missing) }

        let rows = lines.map { $0! }
        let summaries = try summarize(plan, rows, folder: folder)
        let results = try AtomicFile(path: (folder as NSString).appendingPathComponent("results.csv"))
        try results.write(SweepRecord.columns(plan) + "\n" + rows.joined(separator: "\n") + "\n")
        var group = [results]
        if plan.recording == .weekly {
            let weekly = try AtomicFile(path: (folder as NSString).appendingPathComponent("weekly.csv"))
            try weekly.write(WeeklySeries.header + "\n")
            for k in 0..<plan.runCount {
                let run = plan.run(k), path = seriesPath(folder: folder, run: run)
                guard let text = FileManager.default.contents(atPath: path) else {
                    throw InputError(source: folder, problem: "point \(run.point) replicate \(run.replicate) is recorded but its weekly series "
                                     + "(\(path)) is missing; remove its line from the shard record and run the shard again")
                }
                try weekly.write(String(decoding: text, as: UTF8.self))
            }
            group.append(weekly)
        }
        let summary = try AtomicFile(path: (folder as NSString).appendingPathComponent("summary.csv"))
        try summary.write(summaryCSV(plan, summaries))
        try AtomicFile.commitAll(group + [summary])
        return Outcome(runs: rows.count, summaries: summaries)
    }

    /// Names the shards whose runs are missing (under the sharding the records
    /// were made with), or the first missing runs when shardings were mixed.
    private static func missingError(plan: SweepPlan, folder: String, records: [SweepRecord.Contents], missing: [Int]) -> InputError {
        let counts = Set(records.map(\.shard.count))
        let head = "cannot merge: \(missing.count) of \(plan.runCount) runs are not recorded"
        guard let n = counts.first else {
            return InputError(source: folder, problem: "\(head); no shard has run yet: `retailsim sweep run \(folder)`")
        }
        guard counts.count == 1 else {
            let first = missing.prefix(5).map { k -> String in let r = plan.run(k); return "point \(r.point) replicate \(r.replicate)" }
            return InputError(source: folder, problem: "\(head) (\(first.joined(separator: ", "))\(missing.count > 5 ? ", ..." : "")); "
                                 + "run `retailsim sweep run \(folder)` to finish them")
        }
        let present = Set(records.map(\.shard.index))
        var byShard: [Int: Int] = [:]
        for k in missing { byShard[k % n, default: 0] += 1 }
        let named = byShard.keys.sorted().prefix(10).map { i -> String in
            let shard = SweepShard(index: i, count: n)
            let size = (0..<plan.runCount).lazy.filter(shard.owns(run:)).count
            return present.contains(i) ? "shard \(shard) is incomplete (\(byShard[i]!) of \(size) runs missing)"
                : "shard \(shard) is missing (no \(SweepRecord.folderName)/\(shard.fileName))"
        }
        let more = byShard.count > 10 ? "; and \(byShard.count - 10) more shards" : ""
        return InputError(source: folder, problem: "\(head): \(named.joined(separator: "; "))\(more); "
                             + "run each with `retailsim sweep run \(folder) --shard i/\(n)`")
    }

    /// Where a run's weekly series waits for the merge (`--record weekly`).
    static func seriesPath(folder: String, run: SweepPlan.Run) -> String {
        ((folder as NSString).appendingPathComponent(seriesFolder) as NSString).appendingPathComponent("run-\(run.point)-\(run.replicate).csv")
    }

    static let seriesFolder = "series"

    /// Each point's metrics across its replicates; in a sweep that records
    /// evidence, each figure across the replicates where it was measured.
    static func summarize(_ plan: SweepPlan, _ rows: [String], folder: String = "") throws -> [[MetricSummary]] {
        let metricsStart = 3 + plan.factors.count
        if let evidence = plan.evidence {
            return try plan.points.indices.map { p in
                let fields = rows[(p * plan.replicates)..<((p + 1) * plan.replicates)].map { $0.split(separator: ",", omittingEmptySubsequences: false) }
                return try evidence.columns.enumerated().compactMap { m, name in
                    let values = fields.compactMap { Double($0[metricsStart + 1 + m]) }
                    return values.isEmpty ? nil : try MetricSummary(name: name, values: values)
                }
            }
        }
        return try plan.points.indices.map { p in
            let fields = rows[(p * plan.replicates)..<((p + 1) * plan.replicates)].map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            return try MetricCatalog.names.enumerated().map { m, name in
                try MetricSummary(name: name, values: fields.map { field throws(InputError) -> Double in
                    // SweepRecord.read has checked every field; this guards the invariant, not the input.
                    guard let d = Double(field[metricsStart + m]), d.isFinite else {
                        throw InputError(source: folder, path: name, value: String(field[metricsStart + m]), problem: "not a finite number")
                    }
                    return d
                })
            }
        }
    }

    /// summary.csv: `point,<varied paths>,metric,replicates,mean,sd,ci95Low,ci95High`;
    /// on a posterior also `q05,q95`, the middle 90 % of the replicates
    /// (each a draw): the posterior interval, where the mean's 95 % interval
    /// says only how well the replicates pin the mean.
    static func summaryCSV(_ plan: SweepPlan, _ summaries: [[MetricSummary]]) -> String {
        let posterior = plan.base.drawsFromPosterior
        var out = (["point"] + plan.factors.map(\.path) + ["metric", "replicates", "mean", "sd", "ci95Low", "ci95High"]
                   + (posterior ? ["q05", "q95"] : [])).joined(separator: ",") + "\n"
        for (p, metrics) in summaries.enumerated() {
            let lead = ([String(p)] + plan.points[p].map(\.csvText)).joined(separator: ",")
            for s in metrics {
                let cells = [JSONText.number(s.mean), s.sd.map(JSONText.number) ?? "",
                             s.ci95.map { JSONText.number($0.lowerBound) } ?? "", s.ci95.map { JSONText.number($0.upperBound) } ?? ""]
                    + (posterior ? [JSONText.number(s.q05), JSONText.number(s.q95)] : [])
                out += "\(lead),\(s.name),\(s.count),\(cells.joined(separator: ","))\n"
            }
        }
        return out
    }
}
