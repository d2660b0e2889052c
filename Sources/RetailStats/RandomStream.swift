import CGSL

/// One GSL random number generator, owned by one chunk of work at a time.
///
/// A stream is not shared between threads: each chunk of households has its own,
/// created from a `StreamKey`. The generator is freed when the stream is.
/// `@unchecked Sendable`: a stream may move between threads, but only one uses it at a time.
public final class RandomStream: @unchecked Sendable {
    /// The GSL generator algorithms RetailSim uses.
    public enum Algorithm: Sendable {
        /// L'Ecuyer's maximally equidistributed Tausworthe generator: fast (about
        /// 4 ns a uniform here), period 2^88. The default.
        case taus2
        /// Mersenne Twister: slower, period 2^19937 - 1.
        case mt19937
    }

    public let generator: UnsafeMutablePointer<gsl_rng>

    /// A generator seeded as `gsl_rng_set(r, seed)` would: the same numbers as
    /// GSL's own programs and test suite for that seed.
    public init(algorithm: Algorithm = .taus2, seed: UInt) throws(GSLError) {
        _ = GSL.abortHandlerOff
        guard let r = gsl_rng_alloc(RandomStream.type(of: algorithm)) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "gsl_rng_alloc")
        }
        generator = r
        gsl_rng_set(r, seed)
    }

    /// A taus2 generator whose 88-bit state is set from the key's 128 bits, so
    /// that distinct keys give distinct streams.
    public init(key: StreamKey) throws(GSLError) {
        _ = GSL.abortHandlerOff
        guard let r = gsl_rng_alloc(retailsim_rng_taus2()) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "gsl_rng_alloc for \(key)")
        }
        generator = r
        let (a, b) = key.bits
        guard retailsim_taus2_set_key(r, a, b) == 1 else {
            gsl_rng_free(r)
            throw GSLError(status: Int32(GSL_EINVAL), context: "keyed seeding of \(key)")
        }
    }

    deinit {
        gsl_rng_free(generator)
    }

    private static func type(of algorithm: Algorithm) -> UnsafePointer<gsl_rng_type> {
        switch algorithm {
        case .taus2: return retailsim_rng_taus2()
        case .mt19937: return retailsim_rng_mt19937()
        }
    }

    /// The generator's whole state, as GSL keeps it (`gsl_rng_state`,
    /// `gsl_rng_size` bytes): what a saved market keeps of its stream.
    public var state: [UInt8] {
        get {
            let size = gsl_rng_size(generator)
            return [UInt8](UnsafeRawBufferPointer(start: gsl_rng_state(generator), count: size))
        }
        set {
            let size = gsl_rng_size(generator)
            precondition(newValue.count == size, "a generator's state is \(size) bytes")
            newValue.withUnsafeBytes { gsl_rng_state(generator)!.copyMemory(from: $0.baseAddress!, byteCount: size) }
        }
    }

    /// The generator's raw output, as `gsl_rng_get`.
    public func nextRaw() -> UInt {
        gsl_rng_get(generator)
    }

    /// One uniform on [0, 1).
    public func uniform() -> Double {
        gsl_rng_uniform(generator)
    }
}
