import CGSL
import Foundation

/// Descriptive statistics of a sample of real numbers.
public struct Summary: Sendable, Equatable {
    /// Number of observations.
    public let count: Int
    public let mean: Double
    /// Sample variance (divisor n - 1); nil with fewer than two observations.
    public let variance: Double?
    /// The sorted observations, for quantiles.
    public let sorted: [Double]

    /// Summarises `values`, which must all be finite.
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "Summary of an empty sample")
        count = values.count
        var data = values
        let m = data.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, $0.count) }
        mean = m
        variance = values.count > 1
            ? data.withUnsafeBufferPointer { gsl_stats_variance_m($0.baseAddress, 1, $0.count, m) }
            : nil
        data.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, $0.count) }
        sorted = data
    }

    /// Sample standard deviation; nil with fewer than two observations.
    public var standardDeviation: Double? { variance.map { $0.squareRoot() } }

    /// Standard error of the mean; nil with fewer than two observations.
    public var standardError: Double? { standardDeviation.map { $0 / Double(count).squareRoot() } }

    /// The `p` quantile (0 ≤ p ≤ 1), interpolated as GSL does (type 7 of Hyndman and Fan).
    public func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1)
        return sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, p) }
    }

    /// The two-sided Student-t confidence interval for the mean at `level`
    /// (0.95 for 95 %); nil with fewer than two observations, or when a value
    /// is not finite (no interval holds NaN, and a range of NaN would trap).
    public func confidenceInterval(level: Double = 0.95) throws(GSLError) -> ClosedRange<Double>? {
        guard let se = standardError, mean.isFinite, se.isFinite else { return nil }
        let t = try StudentT.quantile(0.5 + level / 2, degreesOfFreedom: Double(count - 1))
        return (mean - t * se)...(mean + t * se)
    }
}

/// The standard normal distribution, from GSL's CDFs.
public enum StandardNormal {
    /// The quantile of probability `p`, for 0 < p < 1 (GSL's inverse CDF);
    /// p outside (0, 1) gives -infinity or +infinity.
    public static func quantile(_ p: Double) -> Double {
        _ = GSL.abortHandlerOff
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        return gsl_cdf_ugaussian_Pinv(p)
    }

    /// P(Z <= z).
    public static func cdf(_ z: Double) -> Double {
        _ = GSL.abortHandlerOff
        return gsl_cdf_ugaussian_P(z)
    }
}

/// The chi-squared distribution, from GSL's CDFs.
public enum ChiSquared {
    /// P(X > x) with `degreesOfFreedom` (> 0): a goodness-of-fit test's p-value.
    public static func upperTail(_ x: Double, degreesOfFreedom nu: Double) -> Double {
        _ = GSL.abortHandlerOff
        guard x.isFinite, nu > 0, nu.isFinite else { return .nan }
        return gsl_cdf_chisq_Q(max(x, 0), nu)
    }

    /// Pearson's test that `counts` came from equally likely bins: its p-value.
    public static func uniformity(_ counts: [Int]) -> Double {
        let n = Double(counts.reduce(0, +)), k = Double(counts.count)
        guard n > 0, counts.count > 1 else { return .nan }
        let expected = n / k
        return upperTail(counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }, degreesOfFreedom: k - 1)
    }
}

/// Student's t distribution, from GSL's CDFs.
public enum StudentT {
    /// The quantile of probability `p` with `degreesOfFreedom` (> 0).
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) throws(GSLError) -> Double {
        _ = GSL.abortHandlerOff
        guard p > 0, p < 1, nu > 0, nu.isFinite else {
            throw GSLError(status: Int32(GSL_EDOM), context: "t quantile with p = \(p), degrees of freedom = \(nu)")
        }
        let q = gsl_cdf_tdist_Pinv(p, nu)
        guard q.isFinite else {
            throw GSLError(status: Int32(GSL_EDOM), context: "t quantile with p = \(p), degrees of freedom = \(nu)")
        }
        return q
    }

    /// P(T ≤ t) with `degreesOfFreedom`.
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        _ = GSL.abortHandlerOff
        return gsl_cdf_tdist_P(t, nu)
    }
}

/// Running sum and sum of squares, for moments of very large samples without
/// keeping them (Welford's update).
public struct RunningMoments: Sendable {
    public private(set) var count = 0
    public private(set) var mean = 0.0
    private var m2 = 0.0

    public init() {}

    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    /// Sample variance (divisor n - 1).
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : .nan }
}
