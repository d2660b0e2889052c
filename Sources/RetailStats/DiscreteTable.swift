import CGSL

/// A table for drawing an index in proportion to fixed weights in O(1) per draw
/// (GSL's Walker alias method).
/// Read-only after creation, so one table may serve several threads.
public final class DiscreteTable: @unchecked Sendable {
    private let table: UnsafeMutablePointer<gsl_ran_discrete_t>

    /// `weights` must be non-negative with a positive sum.
    public init(weights: [Double]) throws(GSLError) {
        _ = GSL.abortHandlerOff
        guard !weights.isEmpty, weights.allSatisfy({ $0 >= 0 && $0.isFinite }), weights.reduce(0, +) > 0 else {
            throw GSLError(status: Int32(GSL_EINVAL), context: "discrete table with weights that are not non-negative with a positive sum")
        }
        let made = weights.withUnsafeBufferPointer { gsl_ran_discrete_preproc($0.count, $0.baseAddress) }
        guard let made else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "gsl_ran_discrete_preproc")
        }
        table = made
    }

    deinit {
        gsl_ran_discrete_free(table)
    }

    /// One index drawn with probability proportional to its weight.
    public func draw(_ stream: RandomStream) -> Int {
        Int(gsl_ran_discrete(stream.generator, table))
    }
}
