import Dispatch
import Foundation
import RetailStats

/// Progress of a sweep, for a progress line.
public struct SweepProgress: Sendable {
    /// Runs of this shard finished, now and before.
    public var done: Int
    /// Runs in this shard.
    public var total: Int
    /// Runs finished by this process.
    public var doneNow: Int
    public var secondsElapsed: Double
}

/// Runs the missing runs of one shard of a sweep, several at a time.
public enum SweepRunner {
    /// What a call did.
    public struct Outcome: Sendable {
        /// Runs in the shard.
        public var runs: Int
        /// Runs of the shard already recorded (by this shard or any other record in the folder).
        public var alreadyDone: Int
        /// Runs this call made.
        public var ranNow: Int
        /// Runs of an evidence sweep that failed, with why: recorded as
        /// failed and skipped, not fatal (a posterior wave goes on without them).
        public var failed: [(run: SweepPlan.Run, why: String)] = []

        /// One line on the runs that failed now, or nil when none did.
        public var failures: String? {
            guard let first = failed.first else { return nil }
            return "\(failed.count) run(s) failed, recorded as failed and skipped; the first, point \(first.run.point) "
                + "replicate \(first.run.replicate): \(first.why)"
        }
    }

    /// Runs every run of `shard` that no record in `folder` holds yet, `jobs`
    /// runs at a time (each on `max(1, threads / jobs)` threads, so the
    /// machine is never oversubscribed), recording each as soon as it ends.
    /// The first failure stops the others and is thrown, except in a sweep
    /// that records evidence, where a failed run is recorded as failed.
    public static func run(_ plan: SweepPlan, folder: String, shard: SweepShard = .all, threads: Int,
                           progress: (@Sendable (SweepProgress) -> Void)? = nil) throws -> Outcome {
        guard plan.version == RetailSimVersion.string else {
            throw InputError(source: folder, problem: "the sweep was planned by retailsim \(plan.version), this is \(RetailSimVersion.string); "
                                + "finish it with that version, or plan a new sweep, so that runs of two versions are not mixed")
        }
        let record = try SweepRecord(folder: folder, shard: shard, plan: plan)
        var done = Set<SweepPlan.Run>()
        for contents in try SweepRecord.readAll(folder: folder, plan: plan) {
            for entry in contents.entries { done.insert(entry.run) }
        }
        let mine = (0..<plan.runCount).filter(shard.owns(run:))
        let todo = mine.map(plan.run).filter { !done.contains($0) }
        var outcome = Outcome(runs: mine.count, alreadyDone: mine.count - todo.count, ranNow: 0)
        guard !todo.isEmpty else { return outcome }

        // As many runs at once as there are threads, fewer if memory would not hold them.
        let largest = plan.points.indices.map { (try? plan.scenario(point: $0, replicate: 1))?.model.population.shoppers ?? 0 }.max() ?? 0
        let fitting = Int(0.8 * Double(ProcessInfo.processInfo.physicalMemory) / Replicates.peakBytes(shoppers: largest))
        let jobs = max(1, min(threads, todo.count, fitting))
        let threadsPerRun = max(1, threads / jobs)

        if plan.recording == .weekly {
            try FileManager.default.createDirectory(atPath: (folder as NSString).appendingPathComponent(SweepMerge.seriesFolder),
                                                    withIntermediateDirectories: true)
        }
        let measured = try plan.evidence?.load()
        let start = Date()
        let already = outcome.alreadyDone, total = mine.count
        let failures = try WorkQueue.map(count: todo.count, workers: jobs, { k -> String? in
            let run = todo[k]
            let scenario = try plan.scenario(point: run.point, replicate: run.replicate)
            if let measured, let source = plan.evidence {
                var values: [Double]?, why: String?
                do {
                    let past = try source.past(measured.past, matching: scenario, assignments: plan.assignments(point: run.point))
                    values = try measured.evidence.measure(present: scenario, past: past, threads: threadsPerRun)
                } catch {
                    why = "\(error)"
                }
                try record.append(SweepRecord.line(plan, run, evidence: values) + "\n")
                return why
            }
            let result = try Replicates.run(scenario, threads: threadsPerRun)
            do { try result.checkFinite() } catch let error as InputError {
                throw InputError(source: "sweep point \(run.point) replicate \(run.replicate)", path: error.path, value: error.value, problem: error.problem)
            }
            if plan.recording == .weekly {
                // Written before the run's record line: a run recorded as done always has its series.
                try AtomicFile.write(WeeklySeries.lines(point: run.point, replicate: run.replicate, weeks: result.replicates[0],
                                                        shoppers: scenario.model.population.shoppers, calendar: scenario.calendar),
                                     to: SweepMerge.seriesPath(folder: folder, run: run))
            }
            try record.append(SweepRecord.line(plan, run, result.metrics[0]) + "\n")
            return nil
        }, finished: { finished in
            progress?(SweepProgress(done: already + finished, total: total, doneNow: finished,
                                    secondsElapsed: Date().timeIntervalSince(start)))
        })
        outcome.ranNow = todo.count
        outcome.failed = zip(todo, failures).compactMap { run, why in why.map { (run, $0) } }
        return outcome
    }
}
