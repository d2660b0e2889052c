import Foundation
import RetailStats

/// A calibration problem whose posterior is known in closed form, run
/// through the same waves, emulators and chains as the model's posterior
/// (`retailsim calibrate --benchmark gaussian-linear`): the check a user or
/// another tool (pyabc, in the Python package's tests) can hold the
/// calibration to. The "gaussian linear" task of simulation-based inference
/// benchmarks (Lueckmann et al. 2021), in two inputs: figures z = A x, each
/// observed with Gaussian error of sd `tolerance`, a run adding noise of sd
/// `runNoise` (a simulation's, for the emulators to average), a flat prior
/// on the unit square. The last figure is held out: its coverage is the
/// check the model's posterior reports.
public struct CalibrationBenchmark: Sendable {
    public static let names = ["gaussian-linear"]

    public let name: String
    /// One row a figure, one column an input.
    public let matrix: [[Double]]
    /// The inputs the observations were drawn at.
    public let truth: [Double]
    public let observed: [Double]
    public let tolerance: Double
    public let runNoise: Double
    public let seed: Int

    public init(name: String, seed: Int) throws {
        guard CalibrationBenchmark.names.contains(name) else {
            throw InputError(source: "--benchmark", value: name, problem: "no such benchmark; allowed: " + CalibrationBenchmark.names.joined(separator: ", "))
        }
        self.name = name
        self.seed = seed
        let matrix: [[Double]] = [[1, 1], [1, -2], [0.5, 0], [0, 1]], truth = [0.5, 0.5], tolerance = 0.1
        let draw = try RandomStream(key: StreamKey(seed: UInt64(seed), replicate: 0, purpose: .design, chunk: 30))
        observed = matrix.map { row in zip(row, truth).reduce(0) { $0 + $1.0 * $1.1 } + draw.normal(sd: tolerance) }
        (self.matrix, self.truth, self.tolerance) = (matrix, truth, tolerance)
        runNoise = 0.01
    }

    public var priors: PriorSet {
        PriorSet(name: name, priors: (1...matrix[0].count).map {
            Prior(name: "x\($0)", paths: ["x\($0)"], distribution: .uniform, lower: 0, upper: 1, source: "benchmark \(name)")
        }, observationSdPerTolerance: 1, discrepancySdPerTolerance: 0)
    }

    /// z1 ... zK; the last held out.
    public var figures: [Evidence.Figure] {
        observed.enumerated().map { j, z in
            Evidence.Figure(kind: .benchmark, name: "z\(j + 1)", value: z, tolerance: tolerance, calibration: j < observed.count - 1,
                            comparison: .within)
        }
    }

    /// The posterior the fitted figures give, without the box (which holds
    /// it beyond 4 sd): Gaussian, precision A'A / v, mean its inverse times A'z / v.
    public var closedForm: (mean: [Double], covariance: [[Double]]) {
        let fitted = matrix.indices.dropLast()
        let d = truth.count, v = tolerance * tolerance
        var precision = [[Double]](repeating: [Double](repeating: 0, count: d), count: d), b = [Double](repeating: 0, count: d)
        for k in fitted {
            for i in 0..<d {
                b[i] += matrix[k][i] * observed[k] / v
                for j in 0..<d { precision[i][j] += matrix[k][i] * matrix[k][j] / v }
            }
        }
        let det = precision[0][0] * precision[1][1] - precision[0][1] * precision[1][0]
        let cov = [[precision[1][1] / det, -precision[0][1] / det], [-precision[1][0] / det, precision[0][0] / det]]
        return ([cov[0][0] * b[0] + cov[0][1] * b[1], cov[1][0] * b[0] + cov[1][1] * b[1]], cov)
    }

    /// The posterior by the calibration's waves, emulators and chains. A
    /// run costs nothing: the waves' runs are not kept.
    public func calibrate(settings: PosteriorSettings, folder: String, threads: Int,
                          progress: (@Sendable (String) -> Void)? = nil) throws -> PosteriorResult {
        let figures = self.figures
        // No households are simulated: posterior.json records none, and one run a point.
        var settings = settings
        settings.shoppers = 0
        settings.replicates = 1
        return try PosteriorCalibration.run(priors: priors, figures: figures, scenario: "benchmark \(name)", seed: seed, settings: settings,
                                            folder: folder, threads: threads, progress: progress, near: { _ in [] }) { wave, design, _ in
            let summaries = try design.enumerated().map { p, x -> [MetricSummary] in
                let noise = try RandomStream(key: StreamKey(seed: UInt64(seed), replicate: wave, purpose: .design, chunk: 31 + p))
                return try zip(matrix, figures).map { row, figure in
                    try MetricSummary(name: figure.column, values: [zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } + noise.normal(sd: runNoise)])
                }
            }
            return PosteriorCalibration.WaveRuns(runs: design.count, summaries: summaries, failed: 0, undefined: 0, failures: nil)
        }
    }

    /// `benchmark.json`: the task and its closed-form posterior, for another tool to solve the same problem.
    public func write(to folder: String) throws {
        let number = JSONText.number
        func list(_ x: [Double]) -> String { "[" + x.map(number).joined(separator: ", ") + "]" }
        let (mean, cov) = closedForm
        let json = """
        {
          "version": \(JSONText.string(RetailSimVersion.string)),
          "benchmark": \(JSONText.string(name)),
          "seed": \(seed),
          "matrix": [\(matrix.map(list).joined(separator: ", "))],
          "heldOut": [\(matrix.count)],
          "truth": \(list(truth)),
          "observed": \(list(observed)),
          "observationSd": \(number(tolerance)),
          "runNoiseSd": \(number(runNoise)),
          "prior": "uniform on [0, 1] in each input",
          "closedFormMean": \(list(mean)),
          "closedFormCovariance": [\(cov.map(list).joined(separator: ", "))]
        }

        """
        try AtomicFile.write(json, to: (folder as NSString).appendingPathComponent("benchmark.json"))
    }
}
