import Foundation

/// A model figure to compare with a published one: one metric of
/// `ReplicateMetrics`, or the ratio of two (`"ruralPrimeShare / urbanPrimeShare"`).
public struct MetricExpression: Sendable, Equatable, CustomStringConvertible {
    public let numerator: String
    public let denominator: String?

    /// Parses `name` or `name / name`; every name must be a metric.
    public init(_ text: String, source: String) throws(InputError) {
        let parts = text.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
            throw InputError(source: source, path: "metric", value: text, problem: "expected a metric name or 'name / name'")
        }
        for name in parts { _ = try MetricCatalog.metric(named: name, source: source, path: "metric") }
        numerator = parts[0]
        denominator = parts.count == 2 ? parts[1] : nil
    }

    /// The figure in one replicate.
    public func value(in m: ReplicateMetrics) -> Double {
        let top = m[numerator]!
        guard let denominator else { return top }
        let bottom = m[denominator]!
        return bottom != 0 ? top / bottom : .nan
    }

    public var description: String { denominator.map { "\(numerator) / \($0)" } ?? numerator }
}

/// One published figure: its value, year and source, the model metric it is
/// compared with, and the tolerance within which they agree.
public struct Target: Sendable, Equatable {
    public enum Use: String, Sendable, CaseIterable {
        /// Fitted by `calibrate`.
        case calibration
        /// Held out: only compared.
        case validation
        /// True by construction once data or a parameter is set from it: compared, but it validates nothing.
        case dataCheck
        /// Reported beside the others, neither fitted nor passed or failed: a
        /// figure the model need not match (the Lerner margin: a margin is not
        /// evidence about the demand curve, RESPONSES.md).
        case diagnostic
    }

    /// How the model is compared with the figure.
    public enum Comparison: String, Sendable, CaseIterable {
        /// |model - value| <= tolerance.
        case within
        /// model <= value + tolerance: the figure is a ceiling ("not above").
        case atMost
        /// model >= value - tolerance: the figure is a floor.
        case atLeast

        /// Whether `model` agrees with a figure `value` at `tolerance`.
        public func agrees(_ model: Double, value: Double, tolerance: Double) -> Bool {
            switch self {
            case .within: abs(model - value) <= tolerance
            case .atMost: model <= value + tolerance
            case .atLeast: model >= value - tolerance
            }
        }

        /// The tolerance as a table says it.
        func describe(value: Double, tolerance: Double, _ show: (Double) -> String) -> String {
            switch self {
            case .within: "± \(show(tolerance))"
            case .atMost: "at most \(show(value + tolerance))"
            case .atLeast: "at least \(show(value - tolerance))"
            }
        }
    }

    public var name: String
    public var metric: MetricExpression
    public var value: Double
    /// Agreement distance, in the metric's units.
    public var tolerance: Double
    public var year: String
    public var use: Use
    public var publisher: String
    public var title: String
    /// Where the figure can be read.
    public var whereToRead: String
    public var note: String
    public var comparison: Comparison = .within

    /// Whether `model` agrees with the figure.
    public func passes(_ model: Double) -> Bool { comparison.agrees(model, value: value, tolerance: tolerance) }

    public var source: String { "\(publisher), \"\(title)\" (\(year))" }
}

/// The targets of one file (`Experiments/targets/us-2024.toml`).
public struct TargetSet: Sendable {
    public var name: String
    public var targets: [Target]

    public var calibration: [Target] { targets.filter { $0.use == .calibration } }
    public var validation: [Target] { targets.filter { $0.use == .validation } }
    public var dataChecks: [Target] { targets.filter { $0.use == .dataCheck } }

    static let fields = ["metric", "value", "tolerance", "year", "use", "publisher", "title", "where", "note", "comparison"]

    /// A targets file's `name = "..."` and its `[targets.NAME]` tables (or
    /// `[table.NAME]`: a priors file's) in file order, each field by name; a
    /// stray key, an unknown field or a table split in two is refused by line
    /// (the history's targets too).
    static func tables(_ assignments: [Assignment], fields: [String], table: String = "targets") throws(InputError)
        -> (name: String?, tables: [(name: String, fields: [String: Assignment])]) {
        var name: String?
        var tables: [(name: String, fields: [String: Assignment])] = []
        for a in assignments {
            if a.path == "name" {
                guard case .text(let t) = a.value else { throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "expected a string") }
                name = t
                continue
            }
            let parts = a.path.split(separator: ".").map(String.init)
            guard parts.count == 3, parts[0] == table else {
                throw InputError(source: a.source, path: a.path, problem: "expected name = \"...\" or a field of a [\(table).NAME] table")
            }
            guard fields.contains(parts[2]) else {
                throw InputError(source: a.source, path: a.path, problem: "unknown field; allowed: " + fields.joined(separator: ", "))
            }
            if tables.last?.name != parts[1] {
                guard !tables.contains(where: { $0.name == parts[1] }) else {
                    throw InputError(source: a.source, path: a.path, problem: "'\(parts[1])' is split over two tables")
                }
                tables.append((parts[1], [:]))
            }
            tables[tables.count - 1].fields[parts[2]] = a
        }
        return (name, tables)
    }

    /// Reads a targets file: `name = "..."` and one `[targets.NAME]` table a
    /// figure. Unknown fields, missing ones and bad values are refused by line.
    public static func read(_ path: String) throws(InputError) -> TargetSet {
        let text = try InputError.readText(path)
        return try parse(text, name: path)
    }

    public static func parse(_ text: String, name fileName: String) throws(InputError) -> TargetSet {
        var set = TargetSet(name: (fileName as NSString).deletingPathExtension, targets: [])
        let read = try TargetSet.tables(try TOMLReader.assignments(text, name: fileName), fields: fields)
        if let name = read.name { set.name = name }
        let tables = read.tables
        guard !tables.isEmpty else { throw InputError(source: fileName, problem: "no [targets.NAME] tables") }
        for (name, f) in tables {
            func text(_ key: String, required: Bool = true) throws(InputError) -> String {
                guard let a = f[key] else {
                    if required { throw InputError(source: fileName, path: "targets.\(name).\(key)", problem: "missing") }
                    return ""
                }
                switch a.value {
                case .text(let t): return t
                case .number(let d): return JSONText.number(d)
                case .boolean: throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "expected text")
                }
            }
            func number(_ key: String, positive: Bool) throws(InputError) -> Double {
                guard let a = f[key] else { throw InputError(source: fileName, path: "targets.\(name).\(key)", problem: "missing") }
                guard case .number(let d) = a.value, d.isFinite, !positive || d > 0 else {
                    throw InputError(source: a.source, path: a.path, value: a.value.description,
                                        problem: positive ? "expected a positive number" : "expected a finite number")
                }
                return d
            }
            let useText = try text("use")
            guard let use = Target.Use(rawValue: useText) else {
                throw InputError(source: f["use"]!.source, path: "targets.\(name).use", value: useText,
                                    problem: "allowed: \"calibration\", \"validation\" or \"dataCheck\"")
            }
            let comparisonText = try text("comparison", required: false)
            guard let comparison = comparisonText.isEmpty ? .within : Target.Comparison(rawValue: comparisonText) else {
                throw InputError(source: f["comparison"]!.source, path: "targets.\(name).comparison", value: comparisonText,
                                 problem: "allowed: \"within\", \"atMost\" or \"atLeast\"")
            }
            let metric = try MetricExpression(try text("metric"), source: f["metric"]?.source ?? fileName)
            set.targets.append(Target(name: name, metric: metric, value: try number("value", positive: false),
                                      tolerance: try number("tolerance", positive: true), year: try text("year"), use: use,
                                      publisher: try text("publisher"), title: try text("title"), whereToRead: try text("where"),
                                      note: try text("note", required: false), comparison: comparison))
        }
        return set
    }
}
