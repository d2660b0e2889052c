import CGSL

/// Sobol's low-discrepancy (quasi-random) sequence in the unit cube [0, 1)^d,
/// from GSL's `gsl_qrng_sobol`. Its points fill the cube far more evenly than
/// independent uniforms, so designs built on it need fewer runs.
/// GSL's sequence starts at (0.5, ..., 0.5): no corner point to skip.
public final class SobolSequence {
    /// The largest dimension GSL's Sobol generator supports.
    public static let maxDimensions = 40

    public let dimensions: Int
    private let generator: UnsafeMutablePointer<gsl_qrng>

    public init(dimensions: Int) throws(GSLError) {
        _ = GSL.abortHandlerOff
        guard (1...SobolSequence.maxDimensions).contains(dimensions) else {
            throw GSLError(status: Int32(GSL_EINVAL),
                           context: "Sobol sequence of dimension \(dimensions) (GSL allows 1 to \(SobolSequence.maxDimensions))")
        }
        guard let q = gsl_qrng_alloc(retailsim_qrng_sobol(), UInt32(dimensions)) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "gsl_qrng_alloc")
        }
        self.dimensions = dimensions
        generator = q
    }

    deinit {
        gsl_qrng_free(generator)
    }

    /// The next point of the sequence.
    public func next() throws(GSLError) -> [Double] {
        var point = [Double](repeating: 0, count: dimensions)
        let status = point.withUnsafeMutableBufferPointer { gsl_qrng_get(generator, $0.baseAddress) }
        try GSL.check(status, "gsl_qrng_get (Sobol, dimension \(dimensions))")
        return point
    }

    /// The first `count` points of the `dimensions`-dimensional sequence.
    public static func points(_ count: Int, dimensions: Int) throws(GSLError) -> [[Double]] {
        let sequence = try SobolSequence(dimensions: dimensions)
        var result: [[Double]] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try sequence.next()) }
        return result
    }
}
