import Foundation
import RetailStats

/// Global sensitivity of one metric to a Sobol sweep's varied parameters:
/// first-order and total Sobol indices, each point's value being the metric's
/// mean over its replicates.
public struct SweepSensitivity: Sendable {
    public struct Row: Sendable {
        public var path: String
        public var index: SobolIndex
    }

    public let metric: String
    public let rows: [Row]
    public let bootstrapSamples: Int

    /// Reads a merged Sobol sweep in `folder` and estimates the indices of `metric`.
    /// The bootstrap's stream is keyed by the sweep's seed, so the intervals repeat.
    public init(folder: String, metric: String, bootstrapSamples: Int = 1000) throws {
        _ = try MetricCatalog.metric(named: metric, source: "--metric")
        guard (10...1_000_000).contains(bootstrapSamples) else {
            throw InputError(source: "--bootstrap", value: "\(bootstrapSamples)", problem: "allowed: an integer in [10, 1000000]")
        }
        let plan = try SweepPlan.read(folder: folder)
        guard case .sobol(let n) = plan.design else {
            throw InputError(source: folder, value: plan.design.description,
                                problem: "Sobol indices need a sweep planned with --design sobol:N (Saltelli's design)")
        }
        let resultsPath = (folder as NSString).appendingPathComponent("results.csv")
        guard FileManager.default.fileExists(atPath: resultsPath) else {
            throw InputError(source: resultsPath, problem: "no results yet; finish the sweep and `retailsim sweep merge \(folder)`")
        }
        let table = try CSVTable(path: resultsPath)
        try table.requireNumbers(except: Set(table.header).subtracting(MetricCatalog.names), in: resultsPath)
        guard table.rows.count == plan.runCount else {
            throw InputError(source: resultsPath, problem: "holds \(table.rows.count) rows, the plan has \(plan.runCount) runs; merge again")
        }
        let (pointColumn, at) = (try table.column("point", in: resultsPath), try table.column(metric, in: resultsPath))
        var means = [Double](repeating: 0, count: plan.points.count)
        for (line, row) in table.rows.enumerated() {
            guard let p = Int(row[pointColumn]), means.indices.contains(p) else {
                throw InputError(source: "\(resultsPath):\(line + 2)", path: "point", value: row[pointColumn], problem: "not a point of the plan")
            }
            means[p] += try table.number(row, at, line: line, in: resultsPath) / Double(plan.replicates)
        }
        let design = SaltelliDesign(baseSamples: n, dimensions: plan.factors.count)
        let stream = try RandomStream(key: StreamKey(seed: UInt64(plan.base.run.seed), replicate: 0, purpose: .design, chunk: 1))
        let indices = try design.indices(outputs: means, bootstrapSamples: bootstrapSamples, stream: stream)
        self.metric = metric
        self.bootstrapSamples = bootstrapSamples
        rows = zip(plan.factors, indices).map { Row(path: $0.path, index: $1) }
    }

    /// `parameter,firstOrder,firstOrderLow,firstOrderHigh,total,totalLow,totalHigh`.
    public var csv: String {
        "parameter,firstOrder,firstOrderCI95Low,firstOrderCI95High,total,totalCI95Low,totalCI95High\n" + rows.map { r in
            let i = r.index
            return ([r.path] + [i.firstOrder, i.firstOrderCI95.lowerBound, i.firstOrderCI95.upperBound,
                                i.total, i.totalCI95.lowerBound, i.totalCI95.upperBound].map(JSONText.number)).joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }

    /// The indices as a table for people.
    public var table: String {
        let width = max(9, rows.map(\.path.count).max() ?? 0) + 2
        var lines = ["Sobol indices of \(metric) (95 % bootstrap intervals, \(bootstrapSamples) resamples)",
                     "parameter".padding(toLength: width, withPad: " ", startingAt: 0) + "first-order                  total"]
        for r in rows {
            let i = r.index
            lines.append(r.path.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(format: "%6.3f [%6.3f, %6.3f]   %6.3f [%6.3f, %6.3f]", i.firstOrder, i.firstOrderCI95.lowerBound,
                         i.firstOrderCI95.upperBound, i.total, i.totalCI95.lowerBound, i.totalCI95.upperBound))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
