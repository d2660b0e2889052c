import CGSL

/// Latin hypercube samples of the unit cube (McKay, Beckman and Conover 1979).
public enum LatinHypercube {
    /// `points` points in [0, 1)^`dimensions`. Along every dimension the unit
    /// interval is cut into `points` equal strata and each stratum holds exactly
    /// one point, placed uniformly within it; the strata of different
    /// dimensions are paired by independent random permutations (GSL's shuffle).
    public static func sample(points n: Int, dimensions d: Int, stream: RandomStream) -> [[Double]] {
        precondition(n > 0 && d > 0)
        var result = [[Double]](repeating: [Double](repeating: 0, count: d), count: n)
        var strata = [Int](repeating: 0, count: n)
        for k in 0..<d {
            for i in 0..<n { strata[i] = i }
            strata.withUnsafeMutableBytes { gsl_ran_shuffle(stream.generator, $0.baseAddress, n, MemoryLayout<Int>.stride) }
            for i in 0..<n {
                result[i][k] = (Double(strata[i]) + stream.uniform()) / Double(n)
            }
        }
        return result
    }
}
