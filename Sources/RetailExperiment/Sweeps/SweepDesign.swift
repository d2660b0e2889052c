import RetailStats

/// How a sweep places its points in the space of the varied parameters.
public enum SweepDesign: Sendable, Equatable, CustomStringConvertible {
    /// Every combination of every factor's values (a full factorial).
    case grid
    /// `points` points, each factor's range cut into that many strata with one point in each.
    case latinHypercube(points: Int)
    /// Saltelli's design on Sobol's sequence: `baseSamples x (factors + 2)`
    /// points, ready for `retailsim sensitivity`.
    case sobol(baseSamples: Int)

    /// The most points a design may have (a sweep holds them all in memory).
    public static let maximumPoints = 1_000_000

    /// Parses `grid`, `lhs:N` or `sobol:N`.
    public init(parsing text: String) throws(InputError) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        func count() throws(InputError) -> Int {
            guard parts.count == 2, let n = Int(parts[1]), (1...1_000_000).contains(n) else {
                throw InputError(source: "--design", value: text, problem: "needs a count of points from 1 to 1000000, e.g. \(parts[0]):256")
            }
            return n
        }
        switch parts.first ?? "" {
        case "grid" where parts.count == 1: self = .grid
        case "lhs": self = .latinHypercube(points: try count())
        case "sobol": self = .sobol(baseSamples: try count())
        default:
            throw InputError(source: "--design", value: text, problem: "unknown design; allowed: grid, lhs:N (Latin hypercube) or sobol:N (Saltelli on Sobol)")
        }
    }

    public var description: String {
        switch self {
        case .grid: return "grid"
        case .latinHypercube(let n): return "lhs:\(n)"
        case .sobol(let n): return "sobol:\(n)"
        }
    }

    /// The points' values, factor by factor. Latin hypercube draws come from
    /// a stream keyed by the sweep's seed.
    func points(_ factors: [SweepFactor], seed: Int) throws(InputError) -> [[ScenarioValue]] {
        guard !factors.isEmpty else {
            throw InputError(source: "--vary", problem: "a sweep needs at least one --vary path=values")
        }
        if self != .grid, let gridRange = factors.first(where: { if case .range(_, _, _?) = $0.values { return true } else { return false } }) {
            throw InputError(source: "--vary", path: gridRange.path, value: gridRange.spec,
                                problem: "lo:hi:n is a grid's range; a \(self) design takes lo:hi (or a list a,b,c)")
        }
        switch self {
        case .grid:
            // Counted before any point is built: a grid too large to hold is refused, not allocated.
            let columns = try factors.map { factor throws(InputError) in try factor.gridValues() }
            var count = 1
            for values in columns {
                let (product, overflow) = count.multipliedReportingOverflow(by: values.count)
                guard !overflow, product <= SweepDesign.maximumPoints else {
                    throw InputError(source: "--vary", problem: "the grid has more than \(SweepDesign.maximumPoints) points; use fewer values or --design lhs:N")
                }
                count = product
            }
            var points: [[ScenarioValue]] = [[]]
            points.reserveCapacity(count)
            for values in columns { points = points.flatMap { head in values.map { head + [$0] } } }
            return points
        case .latinHypercube(let n):
            let stream: RandomStream
            do {
                stream = try RandomStream(key: StreamKey(seed: UInt64(seed), replicate: 0, purpose: .design))
            } catch {
                throw InputError(source: "--design", value: description, problem: "\(error)")
            }
            return LatinHypercube.sample(points: n, dimensions: factors.count, stream: stream).map { unit in
                zip(factors, unit).map { $0.value(at: $1) }
            }
        case .sobol(let n):
            guard factors.count <= SaltelliDesign.maxDimensions else {
                throw InputError(source: "--vary", value: "\(factors.count) factors",
                                    problem: "a Sobol design takes at most \(SaltelliDesign.maxDimensions) varied parameters")
            }
            guard n * (factors.count + 2) <= SweepDesign.maximumPoints else {
                throw InputError(source: "--design", value: description, problem: "gives \(n) x (\(factors.count) + 2) = \(n * (factors.count + 2)) points; "
                                 + "allowed: at most \(SweepDesign.maximumPoints)")
            }
            let unit: [[Double]]
            do {
                unit = try SaltelliDesign(baseSamples: n, dimensions: factors.count).points()
            } catch {
                throw InputError(source: "--design", value: description, problem: "\(error)")
            }
            return unit.map { zip(factors, $0).map { $0.value(at: $1) } }
        }
    }
}
