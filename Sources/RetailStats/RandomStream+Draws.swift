import CGSL
import Foundation

/// Batch and single draws from GSL's distributions. Batch forms fill a caller's
/// buffer so that the hot loop makes no per-draw allocation.
extension RandomStream {
    /// Fills `buffer` with uniforms on [0, 1).
    package func fillUniform(_ buffer: UnsafeMutableBufferPointer<Double>) {
        guard let base = buffer.baseAddress else { return }
        retailsim_fill_uniform_fast(generator, base, buffer.count)
    }

    /// Fills `buffer` with Normal(mean, sd) draws (GSL's ziggurat method).
    package func fillNormal(_ buffer: UnsafeMutableBufferPointer<Double>, mean: Double = 0, sd: Double) {
        guard let base = buffer.baseAddress else { return }
        retailsim_fill_gaussian(generator, sd, base, buffer.count)
        if mean != 0 {
            for i in buffer.indices { buffer[i] += mean }
        }
    }

    /// Fills `buffer` with LogNormal draws: exp(log(median) + sigma * Z), Z by GSL's ziggurat.
    package func fillLogNormal(_ buffer: UnsafeMutableBufferPointer<Double>, median: Double, sigma: Double) {
        let zeta = log(median)
        for i in buffer.indices { buffer[i] = exp(zeta + gsl_ran_gaussian_ziggurat(generator, sigma)) }
    }

    /// Fills `buffer` with Gamma(shape, scale) draws (mean shape * scale).
    package func fillGamma(_ buffer: UnsafeMutableBufferPointer<Double>, shape: Double, scale: Double) {
        for i in buffer.indices { buffer[i] = gsl_ran_gamma(generator, shape, scale) }
    }

    /// Fills `buffer` with Poisson(mean) counts, by inversion from a buffer of
    /// uniforms (exact, and cheaper than `gsl_ran_poisson` for small means).
    package func fillPoisson(_ buffer: UnsafeMutableBufferPointer<Int32>, mean: Double) {
        let uniforms = UnsafeMutableBufferPointer<Double>.allocate(capacity: buffer.count)
        defer { uniforms.deallocate() }
        fillUniform(uniforms)
        let m = Float(mean), zero = exp(-m)
        for i in buffer.indices { buffer[i] = Int32(poissonByInversion(mean: m, zeroChance: zero, uniform: uniforms[i])) }
    }

    /// One Normal(mean, sd) draw.
    package func normal(mean: Double = 0, sd: Double) -> Double {
        mean + gsl_ran_gaussian_ziggurat(generator, sd)
    }

    /// One LogNormal draw with the given median and log-scale sigma:
    /// exp(log(median) + sigma * Z), Z by GSL's ziggurat (several times
    /// faster than `gsl_ran_lognormal`'s polar method, the same law).
    package func logNormal(median: Double, sigma: Double) -> Double {
        median * exp(gsl_ran_gaussian_ziggurat(generator, sigma))
    }

    /// One Gamma(shape, scale) draw.
    package func gamma(shape: Double, scale: Double) -> Double {
        gsl_ran_gamma(generator, shape, scale)
    }

    /// One Poisson(mean) draw (GSL's method).
    package func poisson(mean: Double) -> Int {
        Int(gsl_ran_poisson(generator, mean))
    }

    /// One Binomial(trials, p) draw.
    package func binomial(trials: Int, p: Double) -> Int {
        Int(gsl_ran_binomial(generator, p, UInt32(clamping: trials)))
    }

    /// One Bernoulli(p) draw.
    package func bernoulli(_ p: Double) -> Bool {
        gsl_rng_uniform(generator) < p
    }

    /// A uniform integer in 0 ..< n.
    package func index(below n: Int) -> Int {
        precondition(n > 0)
        return Int(gsl_rng_uniform_int(generator, UInt(n)))
    }

    /// Multinomial(trials, p) counts into `counts` (GSL's conditional binomial method).
    package func multinomial(trials: Int, probabilities: [Double], into counts: inout [UInt32]) {
        precondition(counts.count == probabilities.count)
        probabilities.withUnsafeBufferPointer { p in
            counts.withUnsafeMutableBufferPointer { n in
                gsl_ran_multinomial(generator, p.count, UInt32(clamping: trials), p.baseAddress, n.baseAddress)
            }
        }
    }
}

/// Poisson draws by inversion from one uniform each: exact to single
/// precision, and several times cheaper than a call to `gsl_ran_poisson` for
/// the small means of weekly trips.
@inlinable
package func poissonByInversion(mean: Float, uniform: Double) -> Int {
    poissonByInversion(mean: mean, zeroChance: exp(-mean), uniform: uniform)
}

/// Poisson by inversion when exp(-mean), the chance of zero, is already known.
@inlinable
package func poissonByInversion(mean: Float, zeroChance: Float, uniform: Double) -> Int {
    let u = Float(uniform)
    var p = zeroChance
    var cumulative = p
    var k = 0
    while u >= cumulative && k < 10_000 {
        k += 1
        p *= mean / Float(k)
        cumulative += p
        if p == 0 { break }
    }
    return k
}

