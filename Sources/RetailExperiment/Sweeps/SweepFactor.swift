import Foundation

/// One parameter a sweep varies, and the values it may take: a range
/// `lo:hi:n` (n evenly spaced values, ends included, for a grid), a range
/// `lo:hi` (any value between, for Latin hypercube and Sobol designs), or a
/// list `a,b,c`.
public struct SweepFactor: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case range(lower: Double, upper: Double, count: Int?)
        case list([ScenarioValue])
    }

    /// A stable parameter path (docs/MODEL.md section 10).
    public let path: String
    public let values: Values

    /// Paths the sweep itself sets for every run.
    static let reserved = ["run.seed": "the sweep derives each run's seed from --seed",
                           "run.replicates": "each run is one replicate; give --replicates for replicates per point",
                           "name": "the scenario's name is not a parameter"]

    /// A factor whose values a points file lists (already checked).
    init(path: String, list: [ScenarioValue]) {
        self.path = path
        values = .list(list)
    }

    /// Parses `path=spec` as given to `--vary`, checking the path and, for
    /// ranges, that the parameter is numeric and both ends are allowed.
    public init(parsing text: String) throws(InputError) {
        func refuse(_ path: String?, _ value: String?, _ problem: String) -> InputError {
            InputError(source: "--vary", path: path, value: value, problem: problem)
        }
        guard let eq = text.firstIndex(of: "=") else {
            throw refuse(nil, text, "expected path=lo:hi:n, path=lo:hi or path=a,b,c, e.g. --vary amazon.prime.monthlyFee=9.99:19.99:5")
        }
        let path = text[..<eq].trimmingCharacters(in: .whitespaces)
        let spec = text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        if let why = SweepFactor.reserved[path] { throw refuse(path, spec, "cannot be varied: \(why)") }
        guard let parameter = ParameterCatalog.parameter(path) else {
            throw InputError.unknownParameter(path, value: spec, source: "--vary")
        }
        self.path = path
        if spec.contains(":") {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 || parts.count == 3,
                  let lower = ScenarioValue.number(parts[0]), let upper = ScenarioValue.number(parts[1]),
                  lower.isFinite, upper.isFinite else {
                throw refuse(path, spec, "not a range; allowed: lo:hi:n or lo:hi with finite numbers lo < hi")
            }
            var count: Int?
            if parts.count == 3 {
                guard let n = Int(parts[2]), (1...100_000).contains(n) else {
                    throw refuse(path, spec, "the count '\(parts[2])' is not allowed; allowed: a whole number of values from 1 to 100000")
                }
                count = n
            }
            guard lower < upper || (lower == upper && count == 1) else {
                throw refuse(path, spec, "the range is empty or reversed; allowed: lo < hi")
            }
            switch parameter.domain {
            case .real(let bounds), .integer(let bounds):
                for end in [lower, upper] where !bounds.contains(end) {
                    throw refuse(path, spec, "the end \(ScenarioValue.number(end)) is out of range; allowed: \(parameter.allowed)")
                }
            case .boolean, .choice, .text, .date:
                throw refuse(path, spec, "a range needs a numeric parameter; allowed: a list of \(parameter.allowed), e.g. a,b")
            }
            values = .range(lower: lower, upper: upper, count: count)
        } else {
            let items = spec.split(separator: ",", omittingEmptySubsequences: false).map { ScenarioValue(commandLine: String($0)) }
            guard !spec.isEmpty, !items.contains(.text("")) else {
                throw refuse(path, spec, "an empty value; allowed: lo:hi:n, lo:hi or a list a,b,c")
            }
            values = .list(items)
        }
    }

    var parameter: Parameter { ParameterCatalog.parameter(path)! }

    private var isInteger: Bool {
        if case .integer = parameter.domain { return true }
        return false
    }

    /// The values a grid takes along this factor.
    func gridValues() throws(InputError) -> [ScenarioValue] {
        switch values {
        case .list(let items):
            return items
        case .range(_, _, nil):
            throw InputError(source: "--vary", path: path, value: spec,
                                problem: "a grid needs a count of values: lo:hi:n (or a list a,b,c)")
        case .range(let lower, let upper, let count?):
            // Rounded to 12 significant digits, so 9.99:19.99:5 gives 14.99, not 14.989999999999998.
            let values = (0..<count).map { k in
                count == 1 ? lower : Double(String(format: "%.12g", lower + (upper - lower) * Double(k) / Double(count - 1)))!
            }
            if isInteger, let bad = values.first(where: { $0 != $0.rounded() }) {
                throw InputError(source: "--vary", path: path, value: spec,
                                    problem: "gives \(ScenarioValue.number(bad)), not a whole number; allowed: \(parameter.allowed)")
            }
            return values.map { .number($0) }
        }
    }

    /// The value at coordinate `u` in [0, 1) of a space-filling design: a
    /// range is mapped linearly (to the nearest whole number for integer
    /// parameters), a list is cut into equal parts, one per item.
    func value(at u: Double) -> ScenarioValue {
        switch values {
        case .list(let items):
            return items[min(items.count - 1, Int(u * Double(items.count)))]
        case .range(let lower, let upper, _):
            let x = lower + (upper - lower) * u
            return .number(isInteger ? x.rounded() : x)
        }
    }

    /// The values as written after `path=` (canonical form).
    public var spec: String {
        switch values {
        case .list(let items): return items.map(\.csvText).joined(separator: ",")
        case .range(let lower, let upper, let count):
            let ends = "\(ScenarioValue.number(lower)):\(ScenarioValue.number(upper))"
            return count.map { ends + ":\($0)" } ?? ends
        }
    }
}

