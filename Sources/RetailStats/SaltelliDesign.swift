import CGSL

/// Saltelli's design for variance-based (Sobol) sensitivity analysis: for each
/// of `baseSamples` rows, the points A, B, and A with its i-th coordinate taken
/// from B (one for each of the `dimensions` factors), so `baseSamples x
/// (dimensions + 2)` points in all. A and B are the two halves of one
/// 2d-dimensional Sobol point.
public struct SaltelliDesign: Sendable, Equatable {
    public let baseSamples: Int
    public let dimensions: Int

    public init(baseSamples: Int, dimensions: Int) {
        precondition(baseSamples > 0 && dimensions > 0)
        self.baseSamples = baseSamples
        self.dimensions = dimensions
    }

    /// The largest number of factors: A and B together use 2d of Sobol's 40 dimensions.
    public static let maxDimensions = SobolSequence.maxDimensions / 2

    /// Points per base sample: A, B and one mixed point per factor.
    public var pointsPerSample: Int { dimensions + 2 }

    public var pointCount: Int { baseSamples * pointsPerSample }

    /// The design's points in the unit cube, base sample by base sample:
    /// A_j, B_j, A_j with coordinate 1 from B_j, ..., A_j with coordinate d from B_j.
    public func points() throws(GSLError) -> [[Double]] {
        let sequence = try SobolSequence(dimensions: 2 * dimensions)
        var result: [[Double]] = []
        result.reserveCapacity(pointCount)
        for _ in 0..<baseSamples {
            let ab = try sequence.next()
            let a = Array(ab[0..<dimensions]), b = Array(ab[dimensions...])
            result.append(a)
            result.append(b)
            for i in 0..<dimensions {
                var mixed = a
                mixed[i] = b[i]
                result.append(mixed)
            }
        }
        return result
    }
}

/// First-order and total Sobol indices of one output, with bootstrap intervals.
public struct SobolIndex: Sendable, Equatable {
    /// Share of the output's variance due to this factor alone (S_i).
    public var firstOrder: Double
    /// 95 % bootstrap percentile interval of `firstOrder`.
    public var firstOrderCI95: ClosedRange<Double>
    /// Share of the variance due to this factor with all its interactions (ST_i).
    public var total: Double
    /// 95 % bootstrap percentile interval of `total`.
    public var totalCI95: ClosedRange<Double>
}

extension SaltelliDesign {
    /// The indices of every factor from the outputs at `points()` (same order):
    /// Saltelli et al. (2010) for first-order (on centred outputs), Jansen (1999) for total indices,
    /// both over the variance of the A and B outputs. Intervals come from
    /// `bootstrapSamples` resamples of the base rows, drawn from `stream`.
    /// Throws when the output does not vary, where the indices mean nothing.
    public func indices(outputs: [Double], bootstrapSamples: Int = 1000, stream: RandomStream) throws(GSLError) -> [SobolIndex] {
        precondition(outputs.count == pointCount, "one output per design point")
        guard outputs.allSatisfy(\.isFinite) else {
            throw GSLError(status: Int32(GSL_EDOM), context: "Sobol indices of an output with non-finite values")
        }
        let n = baseSamples, d = dimensions, stride = pointsPerSample
        func estimate(_ rows: [Int]) -> (first: [Double], total: [Double])? {
            var all: [Double] = []
            all.reserveCapacity(2 * rows.count)
            for j in rows { all.append(outputs[j * stride]); all.append(outputs[j * stride + 1]) }
            let mean = all.reduce(0, +) / Double(all.count)
            let variance = all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count - 1)
            guard variance > 0 else { return nil }
            var first = [Double](repeating: 0, count: d), total = first
            for j in rows {
                // Centred: the first-order estimator's spread grows with the output's mean.
                let fa = outputs[j * stride], fb = outputs[j * stride + 1] - mean
                for i in 0..<d {
                    let fab = outputs[j * stride + 2 + i]
                    first[i] += fb * (fab - fa)
                    total[i] += (fa - fab) * (fa - fab)
                }
            }
            let m = Double(rows.count)
            return (first.map { $0 / m / variance }, total.map { $0 / (2 * m) / variance })
        }
        guard n >= 2, let point = estimate(Array(0..<n)) else {
            throw GSLError(status: Int32(GSL_EDOM), context: "Sobol indices of an output that does not vary over the design")
        }
        var firstDraws = [[Double]](repeating: [], count: d), totalDraws = firstDraws
        var rows = [Int](repeating: 0, count: n)
        for _ in 0..<bootstrapSamples {
            for j in 0..<n { rows[j] = stream.index(below: n) }
            guard let e = estimate(rows) else { continue }
            for i in 0..<d {
                firstDraws[i].append(e.first[i])
                totalDraws[i].append(e.total[i])
            }
        }
        func interval(_ draws: [Double], _ value: Double) -> ClosedRange<Double> {
            guard !draws.isEmpty else { return value...value }
            let s = Summary(draws)
            return s.quantile(0.025)...s.quantile(0.975)
        }
        return (0..<d).map { i in
            SobolIndex(firstOrder: point.first[i], firstOrderCI95: interval(firstDraws[i], point.first[i]),
                       total: point.total[i], totalCI95: interval(totalDraws[i], point.total[i]))
        }
    }
}
