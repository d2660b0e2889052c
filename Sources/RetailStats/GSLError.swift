import CGSL

/// A GSL routine reported a failure: its status code and what was being done.
public struct GSLError: Error, CustomStringConvertible, Sendable {
    /// GSL's status code (`GSL_EDOM`, `GSL_ENOMEM`, ...).
    public let status: Int32
    /// What RetailSim asked GSL to do.
    public let context: String

    /// GSL_ENOMEM: an allocation failed.
    public static let noMemory: Int32 = 8

    public init(status: Int32, context: String) {
        self.status = status
        self.context = context
    }

    public var description: String {
        let reason = gsl_strerror(status).map { String(cString: $0) } ?? "unknown error"
        return "GSL error \(status) (\(reason)) in \(context)"
    }
}

/// Process-wide GSL settings.
public enum GSL {
    /// GSL's default error handler aborts the process; RetailSim checks every
    /// status code instead. Evaluated once, on first use of any stream or CDF.
    public static let abortHandlerOff: Void = {
        retailsim_gsl_error_handler_off()
    }()

    /// Throws a `GSLError` unless `status` is `GSL_SUCCESS`.
    @inlinable
    public static func check(_ status: Int32, _ context: @autoclosure () -> String) throws(GSLError) {
        if status != Int32(GSL_SUCCESS) {
            throw GSLError(status: status, context: context())
        }
    }
}
