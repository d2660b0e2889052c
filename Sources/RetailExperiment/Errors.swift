import Foundation
import RetailStats

/// An error the command-line tool reports on one line and exits with: 2 for
/// bad input (a usage error, as argument-parser's `ExitCode.validationFailure`),
/// 1 for a failure that is not the user's (a full disk, GSL).
public protocol RetailSimError: Error, CustomStringConvertible {
    var exitStatus: Int32 { get }
}

/// Bad input of any kind: a scenario value, a flag, a file, a folder, a metric
/// name. Names where it came from, the path, the value and what is allowed.
public struct InputError: RetailSimError, Equatable, Sendable {
    /// Where the input came from: `file.toml:12`, `--set`, `--shoppers`, a folder.
    public var source: String
    /// The parameter path or field, when there is one.
    public var path: String?
    /// The value as given (cut to 200 characters: a hostile value is not echoed whole).
    public var value: String?
    /// What went wrong and what is allowed.
    public var problem: String

    public init(source: String, path: String? = nil, value: String? = nil, problem: String) {
        self.source = source
        self.path = path.map { InputError.shortened($0) }
        self.value = value.map { InputError.shortened($0) }
        self.problem = problem
    }

    public var exitStatus: Int32 { 2 }

    public var description: String {
        var head = source
        if let path {
            head += ": \(path)"
            if let value { head += " = \(value)" }
        } else if let value {
            head += ": \(value)"
        }
        return "\(head): \(problem)"
    }

    static func shortened(_ text: String) -> String {
        text.count > 200 ? String(text.prefix(200)) + "... (\(text.count) characters)" : text
    }

    // MARK: The messages several readers share

    /// A path that is not in the parameter catalogue, with the nearest valid one.
    public static func unknownParameter(_ path: String, value: String?, source: String) -> InputError {
        let hint = ParameterCatalog.nearest(to: path).map { " (did you mean '\($0)'?)" } ?? ""
        return InputError(source: source, path: path, value: value,
                          problem: "unknown parameter\(hint); `retailsim scenario show` lists them all")
    }

    /// A name that is not in the metric catalogue.
    public static func unknownMetric(_ name: String, source: String, path: String? = nil) -> InputError {
        InputError(source: source, path: path, value: name,
                   problem: "unknown metric; allowed: " + MetricCatalog.names.joined(separator: ", ") + " (`retailsim metrics` lists them)")
    }

    /// A number outside what is allowed.
    public static func outOfRange(source: String, path: String? = nil, value: String, allowed: String) -> InputError {
        InputError(source: source, path: path, value: value, problem: "out of range; allowed: \(allowed)")
    }

    /// The text of an input file, or an error saying why it cannot be had.
    public static func readText(_ path: String) throws(InputError) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InputError(source: path, problem: "no such file")
        }
        guard !isFolder.boolValue else { throw InputError(source: path, problem: "is a folder; allowed: a file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(source: path, problem: "cannot read the file") }
        // Foundation drops a byte-order mark in silence; TOML and JSON do not allow one.
        guard !data.starts(with: [0xEF, 0xBB, 0xBF]) else {
            throw InputError(source: path, problem: "starts with a byte-order mark, which TOML and JSON do not allow; save the file as UTF-8 without BOM")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(source: path, problem: "cannot read the file as UTF-8 text") }
        return text
    }

    /// Standard input to its end, refused by `name` when it cannot be read (a
    /// folder, a closed descriptor) or passes `limit` bytes (an endless stream
    /// such as /dev/zero): read(2) in a loop, never a trapping read.
    public static func readStandardInput(name: String, limit: Int = 64 << 20) throws(InputError) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n == 0 { return data }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(source: name, problem: "cannot read standard input: \(String(cString: strerror(errno))); allowed: a JSON object piped in")
            }
            data.append(contentsOf: buffer[0..<n])
            if data.count > limit {
                throw InputError(source: name, problem: "standard input is longer than \(limit >> 20) MB; allowed: a JSON object of at most \(limit >> 20) MB")
            }
        }
    }
}

/// An output could not be written (a full disk, a folder without write
/// permission): not the user's input, so exit status 1.
public struct OutputError: RetailSimError, Sendable {
    public var path: String
    public var problem: String
    public var exitStatus: Int32 { 1 }
    public var description: String { "\(path): \(problem)" }

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }
}

extension GSLError: RetailSimError {
    public var exitStatus: Int32 { 1 }
}
