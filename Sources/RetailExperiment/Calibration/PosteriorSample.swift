import Foundation
import RetailModel
import RetailStats

/// A Bayesian calibration's weighted sample, read back to run on
/// (`run.posterior`, `--posterior`): replicate r of a scenario runs at the
/// parameters of one point drawn by weight, on a stream keyed by the seed and
/// r, so every arm of a paired comparison and every point of a sweep draws the
/// same parameters for the same replicate, and the spread over replicates is
/// the parameters' uncertainty and the simulation's together.
public struct PosteriorSample: Sendable {
    /// The parameters each column sets, one list a column (a prior can set several).
    public let paths: [[String]]
    /// The points, in the parameters' units, with their weights (summing to 1).
    public let points: [[Double]]
    public let weights: [Double]
    /// Where it was read from: the folder `calibrate --posterior` wrote.
    public let folder: String

    /// The sample's file.
    public var file: String { (folder as NSString).appendingPathComponent("posterior.csv") }

    /// Every parameter the sample sets.
    public var drawnPaths: Set<String> { Set(paths.joined()) }

    /// Reads `posterior.csv` and, beside it, `parameters.csv` (which names
    /// each column's parameters) from `folder` (or the folder of a
    /// `posterior.csv` given by path).
    public static func read(_ path: String) throws(InputError) -> PosteriorSample {
        // Read once a process while the files stay as they were: every replicate and every
        // validation asks for it, and a large sample takes half a second to parse.
        let stamp = stamp(path)
        if let known = cache.sample(path, stamp) { return known }
        let sample = try parse(path)
        cache.keep(sample, path, stamp)
        return sample
    }

    private static let cache = Cache()

    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var samples: [String: (sample: PosteriorSample, stamp: String)] = [:]
        func sample(_ path: String, _ stamp: String) -> PosteriorSample? {
            lock.withLock { samples[path].flatMap { $0.stamp == stamp ? $0.sample : nil } }
        }
        func keep(_ sample: PosteriorSample, _ path: String, _ stamp: String) { lock.withLock { samples[path] = (sample, stamp) } }
    }

    /// The folder of a sample given by folder or by its `posterior.csv`.
    private static func folder(of path: String) -> String {
        path.hasSuffix(".csv") ? (path as NSString).deletingLastPathComponent : path
    }

    /// The sample's files' sizes and modification times: a calibration that
    /// rewrites them (while `explore` serves, say) is read again.
    private static func stamp(_ path: String) -> String {
        let folder = Self.folder(of: path)
        return ["posterior.csv", "parameters.csv"].map { name in
            let a = try? FileManager.default.attributesOfItem(atPath: (folder as NSString).appendingPathComponent(name))
            return "\(a?[.size] ?? "-") \((a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        }.joined(separator: " ")
    }

    private static func parse(_ path: String) throws(InputError) -> PosteriorSample {
        let folder = Self.folder(of: path)
        let samplePath = (folder as NSString).appendingPathComponent("posterior.csv")
        let namesPath = (folder as NSString).appendingPathComponent("parameters.csv")
        let names = try CSVTable(path: namesPath)
        let (prior, pathsColumn) = (try names.column("prior", in: namesPath), try names.column("paths", in: namesPath))
        var pathsByName: [String: [String]] = [:]
        for (line, row) in names.rows.enumerated() {
            let paths = row[pathsColumn].split(separator: ";").map(String.init)
            for p in paths where ParameterCatalog.parameter(p) == nil {
                throw InputError.unknownParameter(p, value: nil, source: "\(namesPath):\(line + 2)")
            }
            pathsByName[row[prior]] = paths
        }
        let table = try CSVTable(path: samplePath)
        guard table.header.first == "weight", table.header.count > 1 else {
            throw InputError(source: samplePath, problem: "the header must be weight and then one column a prior, as calibrate --posterior writes it")
        }
        let columns = Array(table.header.dropFirst())
        var paths: [[String]] = []
        for name in columns {
            guard let p = pathsByName[name], !p.isEmpty else {
                throw InputError(source: samplePath, path: name, problem: "a column that \(namesPath) does not name (its prior column)")
            }
            paths.append(p)
        }
        try table.requireNumbers(except: [], in: samplePath)
        var points: [[Double]] = [], weights: [Double] = []
        for (line, row) in table.rows.enumerated() {
            let w = try table.number(row, 0, line: line, in: samplePath)
            guard w >= 0 else { throw InputError(source: "\(samplePath):\(line + 2)", path: "weight", value: row[0], problem: "allowed: a weight of 0 or more") }
            weights.append(w)
            points.append(try (1..<row.count).map { k throws(InputError) in try table.number(row, k, line: line, in: samplePath) })
        }
        let total = weights.reduce(0, +)
        guard total > 0 else { throw InputError(source: samplePath, path: "weight", problem: "every weight is 0: nothing to draw") }
        return PosteriorSample(paths: paths, points: points, weights: weights.map { $0 / total }, folder: folder)
    }

    /// The point replicate `replicate` of a run seeded `seed` runs at.
    public func point(seed: Int, replicate: Int) -> Int {
        // A stream of its own: the households' draws stay as they were without a posterior.
        let u = (try? RandomStream(key: StreamKey(seed: UInt64(seed), replicate: replicate, purpose: .posterior, chunk: 0)))?.uniform() ?? 0
        var sum = 0.0
        for (k, w) in weights.enumerated() {
            sum += w
            if u < sum { return k }
        }
        return weights.lastIndex { $0 > 0 }!
    }

    /// Sets point `k`'s parameters in `scenario` but those its arm sets
    /// (`armPaths`), naming the sample's file and line when one is refused.
    public func apply(point k: Int, to scenario: inout Scenario) throws(InputError) {
        let source = "\(file):\(k + 2)"
        for (value, paths) in zip(points[k], paths) {
            for p in paths where !scenario.armPaths.contains(p) {
                try ParameterCatalog.parameter(p)!.set(.number(value), in: &scenario, source: source)
            }
        }
    }
}

extension Scenario {
    /// Whether each replicate runs at a draw of a posterior (`run.posterior`).
    public var drawsFromPosterior: Bool { !run.posterior.isEmpty }

    /// The scenario replicate `replicate` runs: with `run.posterior`, its
    /// parameters at the point the replicate draws; else this one.
    public func drawn(replicate: Int) throws(InputError) -> Scenario {
        guard drawsFromPosterior else { return self }
        let sample = try PosteriorSample.read(run.posterior)
        var s = self
        try sample.apply(point: sample.point(seed: run.seed, replicate: replicate), to: &s)
        return s
    }

    /// Refuses to set, by `source`, a parameter `run.posterior` draws: the
    /// draw would override it in every replicate.
    public func refuseDrawn(_ paths: [String], source: (String) -> String) throws(InputError) {
        guard drawsFromPosterior else { return }
        let drawn = try PosteriorSample.read(run.posterior).drawnPaths
        if let p = paths.first(where: drawn.contains) {
            throw InputError(source: source(p), path: p, problem: "the posterior of run.posterior (\(run.posterior)) draws this parameter in "
                             + "every replicate; set it without --posterior, or leave it to the posterior")
        }
    }
}
