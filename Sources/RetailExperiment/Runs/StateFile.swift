import Foundation
import RetailModel

/// A run saved at a week (`run --save-state WEEK:FILE`, docs/MODEL.md
/// section 2): the scenario as run, the week, and for each replicate the
/// records of its weeks so far and its whole market (`Market.save`). `run
/// --from-state FILE` continues every replicate from there, so that a
/// straight run and a saved, restored and continued one write the same
/// bytes; with changed parameters the continuation is a fork.
///
/// Layout: 16 bytes of magic, then sections, each an 8-byte little-endian
/// length and its bytes (the header's JSON; per replicate its records' JSON
/// and the market's sections), then an 8-byte checksum of everything
/// before it. Written to a temporary file and renamed: a state file is
/// whole or absent.
public enum StateFile {
    static let magic = Array("RETAILSIM STATE\n".utf8)

    /// What the file says of itself, read before anything is restored.
    public struct Header: Codable, Sendable {
        /// The RetailSim that wrote it; another version's state is refused.
        public var version: String
        /// The scenario as run (its scenario.json).
        public var scenario: String
        /// Weeks done at the save.
        public var week: Int
        public var replicates: Int
    }

    /// Writes a state file, one replicate at a time.
    public final class Writer {
        public let path: String
        let week: Int
        private let temporary: String
        private var file: UnsafeMutablePointer<FILE>?
        private var hash = Checksum()
        private var written = 0
        private let replicates: Int

        /// Opens `path`'s temporary file and writes the header for `scenario` saved after `week`.
        public init(path: String, scenario: Scenario, week: Int) throws(InputError) {
            self.path = path
            self.week = week
            replicates = scenario.run.replicates
            temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
            guard let f = fopen(temporary, "wb") else {
                throw InputError(source: "--save-state", value: path, problem: "cannot be written (\(String(cString: strerror(errno))))")
            }
            file = f
            do {
                try put(StateFile.magic)
                let header = Header(version: RetailSimVersion.string, scenario: scenario.json(), week: week, replicates: replicates)
                try section(try JSONEncoder().encode(header))
            } catch {
                abandon()
                throw InputError(source: "--save-state", value: path, problem: "cannot be written (\(error))")
            }
        }

        deinit { abandon() }

        /// Adds a replicate: its records so far and its market, after week `week`.
        public func add(records: [WeekRecord], market: Market) throws {
            try section(try StateFile.encoder.encode(records))
            try market.save { try self.put($0) }
            written += 1
        }

        /// Seals the file with its checksum and moves it into place: every replicate must have been added.
        public func commit() throws {
            precondition(written == replicates, "every replicate is added before the commit")
            var sum = hash.value.littleEndian
            try withUnsafeBytes(of: &sum) { try raw($0) }
            guard let f = file, fflush(f) == 0, fsync(fileno(f)) == 0, fclose(f) == 0 else { throw writeError() }
            file = nil
            guard rename(temporary, path) == 0 else { throw writeError() }
        }

        /// Removes the temporary file (a run stopped or failed before the commit).
        public func abandon() {
            if let f = file { fclose(f); file = nil; unlink(temporary) }
        }

        private func section(_ data: Data) throws {
            var n = UInt64(data.count).littleEndian
            try withUnsafeBytes(of: &n) { try put($0) }
            try data.withUnsafeBytes { try put($0) }
        }

        private func put(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try put($0) } }

        private func put(_ bytes: UnsafeRawBufferPointer) throws {
            hash.add(bytes)
            try raw(bytes)
        }

        private func raw(_ bytes: UnsafeRawBufferPointer) throws {
            guard bytes.count == 0 || fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count else { throw writeError() }
        }

        private func writeError() -> InputError {
            InputError(source: "--save-state", value: path, problem: "could not be written (\(String(cString: strerror(errno))))")
        }
    }

    /// Reads a state file: its header first, then each replicate in order.
    public final class Reader {
        public let path: String
        /// Set once the header has been read, in `init`.
        public var header: Header { read! }
        private var read: Header?
        private var file: UnsafeMutablePointer<FILE>?
        private var hash = Checksum()
        private var size = 0
        private var offset = 0

        /// Opens `path` and reads its header, refusing a file that is not a
        /// state file or was written by another version of RetailSim.
        public init(path: String) throws(InputError) {
            self.path = path
            guard let f = fopen(path, "rb") else {
                throw InputError(source: "--from-state", value: path, problem: "cannot be read (\(String(cString: strerror(errno))))")
            }
            file = f
            fseeko(f, 0, SEEK_END)
            size = Int(ftello(f))
            fseeko(f, 0, SEEK_SET)
            var magic = [UInt8](repeating: 0, count: StateFile.magic.count)
            do {
                if size >= magic.count { try magic.withUnsafeMutableBytes { try get($0) } }
                guard magic == StateFile.magic else { throw StateFile.damaged("not a RetailSim state file (it does not start with \"RETAILSIM STATE\")") }
                let data = try section(limit: 1 << 30)
                guard let h = try? JSONDecoder().decode(Header.self, from: data) else { throw StateFile.damaged("its header does not read") }
                read = h
            } catch {
                fclose(f)
                file = nil
                throw Reader.refusal(path, error)
            }
            guard header.version == RetailSimVersion.string else {
                fclose(f)
                file = nil
                throw InputError(source: "--from-state", value: path,
                                 problem: "was written by RetailSim \(header.version), this is \(RetailSimVersion.string); "
                                     + "a state is continued by the version that saved it (re-run the run that saved it with this version)")
            }
        }

        deinit { if let file { fclose(file) } }

        /// The next replicate: its records, and its market restored into
        /// `market` (made from the same scenario without its warm start) with
        /// `parameters` in force.
        public func next(into market: Market, parameters: ModelParameters) throws(InputError) -> [WeekRecord] {
            do {
                let records = try StateFile.decoder.decode([WeekRecord].self, from: try section(limit: 1 << 34))
                guard records.count == header.week else { throw StateFile.damaged("a replicate holds \(records.count) weeks, not \(header.week)") }
                try market.restore(parameters: parameters) { try self.get($0) }
                return records
            } catch {
                throw Reader.refusal(path, error)
            }
        }

        /// Checks the checksum after the last replicate: a file changed since it was written is refused.
        public func finish() throws(InputError) {
            let expected = hash.value
            var stored: UInt64 = 0
            do {
                try withUnsafeMutableBytes(of: &stored) { try raw($0) }
                guard offset == size else { throw StateFile.damaged("\(size - offset) bytes follow its checksum") }
                guard UInt64(littleEndian: stored) == expected else { throw StateFile.damaged("its checksum does not match its contents") }
            } catch {
                throw Reader.refusal(path, error)
            }
        }

        private func section(limit: Int) throws -> Data {
            var n: UInt64 = 0
            try withUnsafeMutableBytes(of: &n) { try get($0) }
            let count = Int(clamping: UInt64(littleEndian: n))
            guard count <= limit, count <= size - offset else { throw StateFile.damaged("a section of \(count) bytes runs past its end: cut short or damaged") }
            var data = Data(count: count)
            try data.withUnsafeMutableBytes { try get($0) }
            return data
        }

        private func get(_ bytes: UnsafeMutableRawBufferPointer) throws {
            try raw(bytes)
            hash.add(UnsafeRawBufferPointer(bytes))
        }

        private func raw(_ bytes: UnsafeMutableRawBufferPointer) throws {
            guard bytes.count <= size - offset else { throw StateFile.damaged("it ends early: cut short or damaged") }
            guard bytes.count == 0 || fread(bytes.baseAddress, 1, bytes.count, file) == bytes.count else {
                throw StateFile.damaged("it ends early: cut short or damaged")
            }
            offset += bytes.count
        }

        static func refusal(_ path: String, _ error: Error) -> InputError {
            if let e = error as? InputError { return e }
            let why = (error as? StateFileDamage)?.why ?? (error as? MarketStateMismatch)?.description ?? "\(error)"
            return InputError(source: "--from-state", value: path, problem: "cannot be continued: \(why)")
        }
    }

    struct StateFileDamage: Error { let why: String }
    static func damaged(_ why: String) -> StateFileDamage { StateFileDamage(why: why) }

    static var encoder: JSONEncoder { MarketMemory.encoder }
    static var decoder: JSONDecoder { MarketMemory.decoder }
}

/// A 64-bit checksum over a sequence of buffers, eight bytes at a step
/// (multiply and rotate, as in xxHash's rounds); the writer and the reader
/// pass the same buffers in the same order.
struct Checksum {
    private(set) var value: UInt64 = 0x9E37_79B9_7F4A_7C15

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        let words = bytes.count / 8
        var h = value
        for k in 0..<words {
            let w = bytes.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)
            h = ((h ^ (w &* 0xC2B2_AE3D_27D4_EB4F)) &<< 31 | (h ^ (w &* 0xC2B2_AE3D_27D4_EB4F)) &>> 33) &* 0x9E37_79B1_85EB_CA87
        }
        for k in (8 * words)..<bytes.count {
            h = (h ^ UInt64(bytes[k])) &* 0x0000_0100_0000_01B3
        }
        value = h ^ UInt64(bytes.count)
    }
}

/// A run continued from a state file (`run --from-state`): the reader, the
/// scenario as saved, and the week it was saved after.
public struct Continuation {
    public let reader: StateFile.Reader
    public let saved: Scenario
    public var week: Int { reader.header.week }

    /// The scenario to continue: the saved one with `assignments` on top
    /// (`--set`, `--params`, `--timeline`, `--facility`, the shorthands).
    /// What it may change is what a timeline may change, from the week after
    /// the save; the run's length may grow or shrink to no fewer weeks than
    /// were saved. Anything else is refused by name. The scenario returned
    /// says what was run: the saved one, its timeline, and each change as a
    /// timeline change of the week after the save, so that `run` on its
    /// scenario.json (and `retailsim verify`) makes the same bytes without the state.
    public static func load(path: String, assignments: [Assignment]) throws(InputError) -> (Scenario, Continuation) {
        let reader = try StateFile.Reader(path: path)
        let recorded = try ScenarioFile.parseJSON(Data(reader.header.scenario.utf8), name: "\(path) (its scenario)")
        let saved = try Scenario.load(base: recorded, name: "", assignments: [])
        let wanted = try Scenario.load(base: recorded, name: "", assignments: assignments)
        let week = reader.header.week
        for p in ParameterCatalog.all where p.value(in: wanted) != p.value(in: saved) {
            let source = assignments.last { $0.path == p.path }?.source ?? "--from-state"
            if p.path == "run.weeks" {
                guard wanted.run.weeks >= week else {
                    throw InputError(source: source, path: p.path, value: "\(wanted.run.weeks)",
                                     problem: "fewer weeks than the state holds; allowed: an integer >= \(week) (the week \(path) was saved after)")
                }
                continue
            }
            if p.path == "run.warmupWeeks" { continue }
            if let why = ParameterCatalog.fixedDuringRun(p.path) {
                throw InputError(source: source, path: p.path, value: p.value(in: wanted).description,
                                 problem: "cannot change when a run is continued (\(why)); the state has \(p.value(in: saved)); "
                                     + "allowed: what a timeline may change (docs/PARAMETERS.md, column \"timeline\")")
            }
        }
        let calendar = wanted.calendar
        let pastChanges = { (s: Scenario) in s.timeline.filter { $0.week(in: calendar) <= week }.map(\.description) }
        let pastFacilities = { (s: Scenario) in s.facilityChanges.filter { $0.week(in: calendar) <= week }.map(\.description) }
        guard pastChanges(wanted) == pastChanges(saved), pastFacilities(wanted) == pastFacilities(saved) else {
            throw InputError(source: "--from-state", value: path,
                             problem: "a timeline or facility change at or before week \(week) differs from the saved run's; "
                                 + "allowed: changes from week \(week + 1) on (the state holds the weeks before)")
        }
        // What was run: the saved scenario, the wanted timeline, and what differs in the week after the save as changes of that week.
        var run = saved
        run.run.weeks = wanted.run.weeks
        run.run.warmupWeeks = wanted.run.warmupWeeks
        run.timeline = wanted.timeline
        run.facilityChanges = wanted.facilityChanges
        let after = wanted.inForce(atWeek: week + 1), unchanged = run.inForce(atWeek: week + 1)
        let forked = ParameterCatalog.all.filter { p in
            ParameterCatalog.fixedDuringRun(p.path) == nil && p.value(in: after) != p.value(in: unchanged)
        }
        run.timeline += forked.map { TimelineChange(week: week + 1, path: $0.path, value: $0.value(in: after), source: "--from-state \(path)") }
        try run.validate()
        return (run, Continuation(reader: reader, saved: saved))
    }
}

extension Scenario {
    /// The parameters in force in week `week`: the last timeline set from that week or before, else the scenario's own.
    public func parameters(inForceAt week: Int) -> ModelParameters {
        schedule.last { $0.week <= week }?.parameters ?? model
    }
}

/// Arms of a paired experiment started from one warm state (docs/MODEL.md
/// section 2): each replicate's market is made and warmed once, from the
/// experiment's scenario before its arms' settings, run to the fork week
/// (0: the warm start itself; a history's present, `ReproductionSpec.fork`),
/// saved in memory, and every arm continues from it with its own parameters
/// from the week after, so the burn-in and the history run once and the arms
/// differ only by what they set. An arm that sets a parameter the model
/// reads only when it makes the market is warmed on its own, as before 0.21.0
/// (only when the fork week is 0).
public enum Arms {
    /// Runs `arms` on the replicates of `base` (run settings from `base`),
    /// several replicates at once as `Replicates.runConcurrently` does; each
    /// arm's records are its weeks after `forkWeek`, to its `run.weeks`.
    /// `prepare(arm, market, replicate, earlier)` may set an arm's market up
    /// before its first week, seeing the records of the replicate's earlier arms.
    public static func run(base: Scenario, arms: [Scenario], forkWeek: Int = 0, threads: Int,
                           prepare: (@Sendable (Int, Market, Int, [[WeekRecord]]) -> Void)? = nil) throws -> [RunResult] {
        let forked = arms.map { base.fixedDifference($0) == nil }
        precondition(forkWeek == 0 || !forked.contains(false), "an arm forked after week 0 sets only what a timeline may change")
        try Replicates.checkMemory(base, marketsAtOnce: 2 * min(threads, base.run.replicates))
        let timed = try Replicates.concurrently(replicates: base.run.replicates, threads: threads) { r -> [([WeekRecord], Double, Double)] in
            var warm: [UInt8] = []
            var out: [([WeekRecord], Double, Double)] = []
            let t0 = Date()
            if forked.contains(true) {
                let market = try base.market(replicate: r, threads: 1)
                for _ in 0..<forkWeek { _ = market.advanceWeek() }
                try market.save { warm.append(contentsOf: $0) }
            }
            var setup = Date().timeIntervalSince(t0)
            for (k, arm) in arms.enumerated() {
                let t1 = Date()
                let market = try arm.market(replicate: r, threads: 1, warm: !forked[k])
                if forked[k] {
                    var at = 0
                    try market.restore(parameters: try base.drawn(replicate: r).parameters(inForceAt: forkWeek)) { buffer in
                        warm.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[at..<(at + buffer.count)])) }
                        at += buffer.count
                    }
                    market.timeline.removeAll { $0.week == forkWeek + 1 }
                    market.timeline.insert(ScheduledParameters(week: forkWeek + 1, parameters: try arm.drawn(replicate: r).parameters(inForceAt: forkWeek + 1)), at: 0)
                }
                prepare?(k, market, r, out.map(\.0))
                let t2 = Date()
                var weeks = (forkWeek..<arm.run.weeks).map { _ in market.advanceWeek() }
                weeks[weeks.count - 1].regions = market.measureRegions()
                setup += t2.timeIntervalSince(t1)
                out.append((weeks, setup, Date().timeIntervalSince(t2)))
                setup = 0
            }
            return out
        }
        return arms.indices.map { k in
            RunResult(scenario: arms[k], replicates: timed.map { $0[k].0 }, setupSeconds: timed.reduce(0) { $0 + $1[k].1 },
                      loopSeconds: timed.reduce(0) { $0 + $1[k].2 })
        }
    }
}

extension Scenario {
    /// The first parameter, in catalogue order, whose value differs from
    /// `other`'s and that cannot change during a run (run settings
    /// included) or that the warm start ran on (a network count), with the
    /// reason; nil when `other` could be this scenario's warm state
    /// continued with a timeline.
    public func fixedDifference(_ other: Scenario) -> String? {
        for p in ParameterCatalog.all where p.value(in: self) != p.value(in: other) {
            if let why = ParameterCatalog.fixedDuringRun(p.path) { return "\(p.path) (\(why))" }
            // A timeline may move a network count, but the burn-in ran on the starting one.
            if ParameterCatalog.networkPaths.contains(p.path) { return "\(p.path) (the starting network the burn-in ran on)" }
        }
        return nil
    }

    /// `arm` (this scenario with `assignments` on top) as a continuation of
    /// this scenario's run after week `week`, as `Continuation.load` makes a
    /// fork: the weeks to `week` are this scenario's, and each parameter the
    /// arm sets (named by an assignment, or differing) takes the arm's value
    /// from week `week + 1` to the end of the run, in place of this
    /// scenario's timeline for it. A parameter that cannot change during a
    /// run is refused by the assignment that set it.
    public func continued(as arm: Scenario, setting assignments: [Assignment], after week: Int) throws(InputError) -> Scenario {
        let calendar = calendar
        let named = ParameterCatalog.all.filter { p in
            p.value(in: arm) != p.value(in: self) || assignments.contains { p.path == $0.path || p.path.hasPrefix($0.path + ".") }
        }
        var continued = self
        for p in named {
            let source = assignments.last { p.path == $0.path || p.path.hasPrefix($0.path + ".") }?.source ?? "an arm"
            if let why = ParameterCatalog.fixedDuringRun(p.path) {
                throw InputError(source: source, path: p.path, value: p.value(in: arm).description,
                                 problem: "cannot change in an arm that forks from week \(week) of the run (\(why)); "
                                     + "allowed: what a timeline may change (docs/PARAMETERS.md, column \"timeline\")")
            }
            continued.timeline.removeAll { $0.path == p.path && $0.week(in: calendar) > week }
            continued.timeline.append(TimelineChange(week: week + 1, path: p.path, value: p.value(in: arm), source: source))
        }
        try continued.validate()
        return continued
    }
}
