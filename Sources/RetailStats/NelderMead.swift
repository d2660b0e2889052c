import CGSL

/// Where GSL's Nelder-Mead simplex (`nmsimplex2`) ended.
public struct SimplexMinimum: Sendable {
    /// The best point found.
    public var x: [Double]
    /// The objective there.
    public var value: Double
    /// Simplex iterations taken.
    public var iterations: Int
    /// Objective evaluations made (the start's simplex included).
    public var evaluations: Int
    /// The simplex's characteristic size at the end (mean distance of its
    /// vertices from their centre), in the units of `x`.
    public var size: Double
    /// Whether the size fell below the tolerance before the iteration limit.
    public var converged: Bool
}

/// Derivative-free minimisation with GSL's Nelder-Mead simplex, for objectives
/// that are simulations run with common random numbers: smooth enough to
/// descend, too costly and too noisy at fine scale for finite differences.
public enum NelderMead {
    /// Minimises `objective` from `start`, with the first simplex spread by
    /// `steps` along each axis, until the simplex is smaller than
    /// `sizeTolerance` or after `maxIterations`. `progress` sees each
    /// iteration's best value. An error thrown by the objective ends the
    /// search and is rethrown.
    public static func minimize(start: [Double], steps: [Double], sizeTolerance: Double, maxIterations: Int,
                                objective: @escaping ([Double]) throws -> Double,
                                progress: ((_ iteration: Int, _ best: Double, _ size: Double) -> Void)? = nil) throws -> SimplexMinimum {
        _ = GSL.abortHandlerOff
        precondition(!start.isEmpty && start.count == steps.count, "one step per coordinate")
        let n = start.count
        let box = ObjectiveBox(objective)
        let unmanaged = Unmanaged.passRetained(box)
        defer { unmanaged.release() }

        guard let minimizer = gsl_multimin_fminimizer_alloc(retailsim_multimin_nmsimplex2(), n) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating the Nelder-Mead simplex")
        }
        defer { gsl_multimin_fminimizer_free(minimizer) }
        let x0 = gsl_vector_alloc(n)!, step = gsl_vector_alloc(n)!
        defer { gsl_vector_free(x0); gsl_vector_free(step) }
        for k in 0..<n {
            gsl_vector_set(x0, k, start[k])
            gsl_vector_set(step, k, steps[k])
        }
        var function = gsl_multimin_function(
            f: { x, params in
                let box = Unmanaged<ObjectiveBox>.fromOpaque(params!).takeUnretainedValue()
                let v = x!
                let point = (0..<v.pointee.size).map { gsl_vector_get(v, $0) }
                return box.evaluate(point)
            },
            n: n, params: unmanaged.toOpaque())

        let status = gsl_multimin_fminimizer_set(minimizer, &function, x0, step)
        if let error = box.error { throw error }
        try GSL.check(status, "starting the Nelder-Mead simplex")

        var iteration = 0
        var size = gsl_multimin_fminimizer_size(minimizer)
        var converged = false
        while iteration < maxIterations {
            iteration += 1
            let status = gsl_multimin_fminimizer_iterate(minimizer)
            if let error = box.error { throw error }
            try GSL.check(status, "Nelder-Mead iteration \(iteration)")
            size = gsl_multimin_fminimizer_size(minimizer)
            progress?(iteration, minimizer.pointee.fval, size)
            if gsl_multimin_test_size(size, sizeTolerance) == GSL_SUCCESS {
                converged = true
                break
            }
        }
        let best = minimizer.pointee.x!
        return SimplexMinimum(x: (0..<n).map { gsl_vector_get(best, $0) }, value: minimizer.pointee.fval,
                              iterations: iteration, evaluations: box.evaluations, size: size, converged: converged)
    }
}

/// The objective as GSL's C callback sees it, with the first error it threw.
private final class ObjectiveBox {
    let objective: ([Double]) throws -> Double
    var error: Error?
    var evaluations = 0

    init(_ objective: @escaping ([Double]) throws -> Double) { self.objective = objective }

    func evaluate(_ x: [Double]) -> Double {
        if error != nil { return .nan }
        evaluations += 1
        do {
            let value = try objective(x)
            return value.isFinite ? value : .greatestFiniteMagnitude
        } catch {
            self.error = error
            return .nan
        }
    }
}
