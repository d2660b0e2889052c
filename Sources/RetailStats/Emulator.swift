import CGSL
import Foundation

/// A Gaussian-process emulator of one output of a costly, noisy simulation:
/// a linear mean in the inputs plus a smooth residual (squared-exponential
/// correlation, one length per input) and a nugget for the simulation's own
/// noise. It predicts the simulation's expected output at untried inputs, with
/// a variance that says how far to trust the prediction: what history matching
/// needs to rule out inputs without running them (Vernon, Goldstein and Bower
/// 2010; Andrianakis et al. 2015, for agent-based models). The lengths and the
/// nugget maximise the restricted likelihood (the mean's coefficients and the
/// variance profiled out), found by GSL's simplex; the linear algebra is GSL's
/// Cholesky factorisation.
public struct Emulator: Sendable {
    /// The inputs the emulator reads, by index into a point: its active
    /// inputs (the others' effect is left to the nugget, as in Andrianakis et
    /// al. 2015, where each output of an agent-based model depends on a few).
    public let active: [Int]
    /// The length of a point.
    public let inputCount: Int
    /// The box each active input is scaled from, to [-1, 1].
    public let lower: [Double]
    public let upper: [Double]
    /// Correlation lengths, in scaled units (2 spans the box).
    public let lengths: [Double]
    /// The nugget's share of the residual variance: the simulation's noise.
    public let nugget: Double
    /// The residual variance (smooth part and nugget together).
    public let variance: Double
    /// The linear mean's coefficients: the constant, then each scaled input's.
    public let coefficients: [Double]
    /// The training inputs, scaled.
    let points: [[Double]]
    /// Cholesky factors (row-major, lower) of the training correlations, K,
    /// and of H' K^-1 H (H the mean's regressors), and K^-1 (y - H b).
    let factorK: [Double]
    let factorA: [Double]
    let weights: [Double]

    /// Fits an emulator to `outputs` at `inputs` (each a point of `lower`...`upper`),
    /// reading the inputs `active` (every one when nil). Needs more points than
    /// the mean has coefficients (active inputs + 1) and finite outputs.
    public static func fit(inputs: [[Double]], outputs: [Double], lower: [Double], upper: [Double],
                           active: [Int]? = nil) throws(EmulatorError) -> Emulator {
        let full = lower.count, active = active ?? Array(0..<full)
        guard !active.isEmpty, active.allSatisfy({ (0..<full).contains($0) }), Set(active).count == active.count else {
            throw EmulatorError("active inputs \(active) are not distinct indices below \(full)")
        }
        guard upper.count == full, inputs.allSatisfy({ $0.count == full }) else { throw EmulatorError("\(full) inputs per point and in the box") }
        return try fitActive(inputs: inputs.map { x in active.map { x[$0] } }, outputs: outputs, lower: active.map { lower[$0] },
                             upper: active.map { upper[$0] }, active: active, inputCount: full)
    }

    private static func fitActive(inputs: [[Double]], outputs: [Double], lower: [Double], upper: [Double],
                                  active: [Int], inputCount: Int) throws(EmulatorError) -> Emulator {
        _ = GSL.abortHandlerOff
        let d = lower.count, n = inputs.count
        guard d > 0, upper.count == d, zip(lower, upper).allSatisfy({ $0.0 < $0.1 && $0.0.isFinite && $0.1.isFinite }) else {
            throw EmulatorError("the box needs a finite lower bound below the upper one for each input")
        }
        guard n == outputs.count, inputs.allSatisfy({ $0.count == d }) else { throw EmulatorError("one output and \(d) inputs per point") }
        guard n > d + 2 else { throw EmulatorError("\(n) points for \(d) inputs; an emulator needs at least \(d + 3)") }
        if let bad = outputs.firstIndex(where: { !$0.isFinite }) { throw EmulatorError("output \(bad + 1) is \(outputs[bad]), not finite") }
        let scaled = inputs.map { Emulator.scale($0, lower, upper) }
        let model = Restricted(points: scaled, outputs: outputs)
        // Lengths and nugget on unbounded scales: log lengths, the nugget's logit.
        func parameters(_ z: [Double]) -> (lengths: [Double], nugget: Double)? {
            let lengths = z.prefix(d).map { exp($0) }
            let nugget = 1 / (1 + exp(-z[d]))
            guard lengths.allSatisfy({ $0 >= 0.02 && $0 <= 50 }), nugget >= 1e-9, nugget <= 0.99 else { return nil }
            return (lengths, nugget)
        }
        let start = [Double](repeating: log(0.8), count: d) + [log(0.01 / 0.99)]
        var best: SimplexMinimum
        do {
            best = try NelderMead.minimize(start: start, steps: [Double](repeating: 0.7, count: d) + [2], sizeTolerance: 1e-3,
                                           maxIterations: 300 * (d + 1)) { z in
                guard let p = parameters(z), let fit = model.solve(lengths: p.lengths, nugget: p.nugget) else { return .greatestFiniteMagnitude }
                return fit.deviance
            }
        } catch {
            throw EmulatorError("fitting the lengths: \(error)")
        }
        guard let p = parameters(best.x), let fit = model.solve(lengths: p.lengths, nugget: p.nugget) else {
            throw EmulatorError("no lengths and nugget give a positive-definite correlation over these points (repeated inputs?)")
        }
        return Emulator(active: active, inputCount: inputCount, lower: lower, upper: upper, lengths: p.lengths, nugget: p.nugget, variance: fit.variance, coefficients: fit.coefficients,
                        points: scaled, factorK: fit.factorK, factorA: fit.factorA, weights: fit.weights)
    }

    /// The expected output at `x` (a point of the box, or near it) and the
    /// variance of that expectation given the training runs; the nugget (the
    /// simulation's noise about its expectation) is `noiseVariance`, apart.
    public func predict(_ x: [Double]) -> (mean: Double, variance: Double) {
        let d = lower.count, n = points.count
        precondition(x.count == inputCount, "one value per input")
        let s = Emulator.scale(active.map { x[$0] }, lower, upper)
        let h: [Double] = [1] + s
        let k: [Double] = points.map { (1 - nugget) * Restricted.correlation($0, s, lengths) }
        let v = Dense.solve(factorK, n, k)
        var u = h
        for i in 0..<n { for j in 0..<(d + 1) { u[j] -= Restricted.regressor(points[i], j) * v[i] } }
        let spread: Double = (1 - nugget) - Dense.dot(k, v) + Dense.dot(u, Dense.solve(factorA, d + 1, u))
        return (mean(x), variance * max(spread, 0))
    }

    /// The expected output at `x` alone, without the O(n^2) solve its
    /// variance needs: a screen asks for the variance only where the mean
    /// alone cannot settle a point.
    public func mean(_ x: [Double]) -> Double {
        precondition(x.count == inputCount, "one value per input")
        let s = Emulator.scale(active.map { x[$0] }, lower, upper)
        var m = Dense.dot([1] + s, coefficients)
        for (p, w) in zip(points, weights) { m += w * (1 - nugget) * Restricted.correlation(p, s, lengths) }
        return m
    }

    /// A point of the box scaled to [-1, 1] in each input.
    static func scale(_ x: [Double], _ lower: [Double], _ upper: [Double]) -> [Double] {
        var s = x
        for k in s.indices { s[k] = 2 * (x[k] - lower[k]) / (upper[k] - lower[k]) - 1 }
        return s
    }

    /// The variance of one simulation about its expectation, as fitted.
    public var noiseVariance: Double { variance * nugget }

    /// The inputs that explain `outputs`, at most `most`, by forward selection
    /// on a quadratic fit (each input's value and square, so that an effect
    /// that rises and falls is found too): each step adds the input that most
    /// reduces the residual sum of squares, while the reduction passes an F
    /// test at about 2 % (F > 4 on 2 degrees of freedom); the first input is
    /// always taken. The screen before an emulator's fit, so that its lengths
    /// are fitted for the inputs that matter.
    public static func activeInputs(inputs: [[Double]], outputs: [Double], most: Int) -> [Int] {
        let n = inputs.count, d = inputs.first?.count ?? 0
        guard d > 0, n == outputs.count else { return [] }
        func residual(_ chosen: [Int]) -> Double {
            let q = 2 * chosen.count + 1
            func x(_ i: Int, _ j: Int) -> Double {
                guard j > 0 else { return 1 }
                let v = inputs[i][chosen[(j - 1) / 2]]
                return j % 2 == 1 ? v : v * v
            }
            var a = [Double](repeating: 0, count: q * q), b = [Double](repeating: 0, count: q)
            for i in 0..<n {
                for r in 0..<q {
                    b[r] += x(i, r) * outputs[i]
                    for c in 0..<q { a[r * q + c] += x(i, r) * x(i, c) }
                }
            }
            for r in 0..<q { a[r * q + r] = a[r * q + r] * (1 + 1e-10) + 1e-300 }
            guard Dense.cholesky(&a, q) else { return .infinity }
            let beta = Dense.solve(a, q, b)
            var s = 0.0
            for i in 0..<n {
                var e = outputs[i]
                for j in 0..<q { e -= x(i, j) * beta[j] }
                s += e * e
            }
            return s
        }
        var chosen: [Int] = [], rss = residual([])
        while chosen.count < min(most, d, (n - 4) / 2) {
            var best = (input: -1, rss: Double.infinity)
            for j in 0..<d where !chosen.contains(j) {
                let r = residual(chosen + [j])
                if r < best.rss { best = (j, r) }
            }
            guard best.input >= 0 else { break }
            let f = (rss - best.rss) / 2 / max(best.rss / Double(n - 2 * chosen.count - 3), .leastNormalMagnitude)
            if !chosen.isEmpty && !(f > 4) { break }
            chosen.append(best.input)
            rss = best.rss
        }
        return chosen
    }
}

/// Why an emulator cannot be fitted.
public struct EmulatorError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = "emulator: " + description }
}

/// The restricted likelihood of the training runs for given lengths and nugget.
private struct Restricted {
    let points: [[Double]]
    let outputs: [Double]

    struct Solution {
        var deviance: Double
        var variance: Double
        var coefficients: [Double]
        var factorK: [Double]
        var factorA: [Double]
        var weights: [Double]
    }

    static func correlation(_ a: [Double], _ b: [Double], _ lengths: [Double]) -> Double {
        var s = 0.0
        for k in lengths.indices {
            let z = (a[k] - b[k]) / lengths[k]
            s += z * z
        }
        return exp(-s)
    }

    /// The mean's `j`th regressor at a scaled point: 1, then the inputs.
    static func regressor(_ x: [Double], _ j: Int) -> Double { j == 0 ? 1 : x[j - 1] }

    /// -2 log restricted likelihood (constants left out), with what prediction needs; nil when K is not positive definite.
    func solve(lengths: [Double], nugget: Double) -> Solution? {
        let n = points.count, q = lengths.count + 1
        var k = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            k[i * n + i] = 1
            for j in 0..<i {
                let c = (1 - nugget) * Restricted.correlation(points[i], points[j], lengths)
                k[i * n + j] = c
                k[j * n + i] = c
            }
        }
        guard Dense.cholesky(&k, n) else { return nil }
        let kInvY = Dense.solve(k, n, outputs)
        let kInvH = (0..<q).map { j in Dense.solve(k, n, points.map { Restricted.regressor($0, j) }) }
        var a = [Double](repeating: 0, count: q * q), hKy = [Double](repeating: 0, count: q)
        for r in 0..<q {
            for i in 0..<n { hKy[r] += Restricted.regressor(points[i], r) * kInvY[i] }
            for c in 0..<q { for i in 0..<n { a[r * q + c] += Restricted.regressor(points[i], r) * kInvH[c][i] } }
        }
        guard Dense.cholesky(&a, q) else { return nil }
        let beta = Dense.solve(a, q, hKy)
        var weights = kInvY
        for j in 0..<q { for i in 0..<n { weights[i] -= kInvH[j][i] * beta[j] } }
        var residual = outputs
        for i in 0..<n { for j in 0..<q { residual[i] -= Restricted.regressor(points[i], j) * beta[j] } }
        let variance = Dense.dot(residual, weights) / Double(n - q)
        guard variance > 0, variance.isFinite else { return nil }
        let deviance = Double(n - q) * log(variance) + Dense.logDeterminant(k, n) + Dense.logDeterminant(a, q)
        guard deviance.isFinite else { return nil }
        return Solution(deviance: deviance, variance: variance, coefficients: beta, factorK: k, factorA: a, weights: weights)
    }
}

/// Dense symmetric positive-definite algebra on row-major arrays, through GSL.
enum Dense {
    /// Replaces `m` (n x n) by its Cholesky factor; false when it is not positive definite.
    static func cholesky(_ m: inout [Double], _ n: Int) -> Bool {
        _ = GSL.abortHandlerOff
        let status = m.withUnsafeMutableBufferPointer { p -> Int32 in
            var view = gsl_matrix_view_array(p.baseAddress, n, n)
            return gsl_linalg_cholesky_decomp1(&view.matrix)
        }
        return status == GSL_SUCCESS && (0..<n).allSatisfy { m[$0 * n + $0] > 0 }
    }

    /// M^-1 b for M given by its Cholesky factor `factor`.
    static func solve(_ factor: [Double], _ n: Int, _ b: [Double]) -> [Double] {
        var x = b
        factor.withUnsafeBufferPointer { f in
            x.withUnsafeMutableBufferPointer { xp in
                var m = gsl_matrix_const_view_array(f.baseAddress, n, n)
                var v = gsl_vector_view_array(xp.baseAddress, n)
                _ = gsl_linalg_cholesky_svx(&m.matrix, &v.vector)
            }
        }
        return x
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for k in a.indices { s += a[k] * b[k] }
        return s
    }

    /// log det M from its Cholesky factor.
    static func logDeterminant(_ factor: [Double], _ n: Int) -> Double {
        var s = 0.0
        for k in 0..<n { s += log(factor[k * n + k]) }
        return 2 * s
    }
}
