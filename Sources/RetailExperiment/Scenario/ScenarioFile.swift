import Foundation

/// One assignment read from a scenario file: a dotted path, its value, and the
/// line it came from (for error messages).
public struct Assignment: Sendable, Equatable {
    public var path: String
    public var value: ScenarioValue
    /// `file.toml:12`, `--set`, ...
    public var source: String

    public init(path: String, value: ScenarioValue, source: String) {
        self.path = path
        self.value = value
        self.source = source
    }
}

/// Reads scenario files. TOML is the format people write (it takes comments);
/// JSON is what RetailSim writes back as `scenario.json`, and reads too.
public enum ScenarioFile {
    /// The assignments in the file at `path`, by its extension.
    public static func read(_ path: String) throws(InputError) -> [Assignment] {
        let text = try InputError.readText(path)
        // Errors name the file as the user gave it, directory and all.
        let name = path
        switch (path as NSString).pathExtension.lowercased() {
        case "toml": return try parseTOML(text, name: name)
        case "json": return try parseJSON(Data(text.utf8), name: name)
        default:
            throw InputError(source: path, problem: "unknown scenario format; allowed: a .toml or .json file")
        }
    }

    // MARK: TOML

    /// A scenario in TOML: every key names a parameter path, so a quoted key
    /// holding a dot (one key in TOML, not a path) is refused, not re-split.
    public static func parseTOML(_ text: String, name: String) throws(InputError) -> [Assignment] {
        try TOMLReader.read(text, name: name).map { entry throws(InputError) -> Assignment in
            let path = entry.keys.joined(separator: ".")
            if let odd = entry.keys.first(where: { $0.contains(".") || $0.isEmpty }) {
                throw InputError(source: entry.source, path: path,
                                 problem: "the quoted key \"\(odd)\" is one TOML key, not a dotted path; write the path bare, e.g. run.weeks = 52")
            }
            return Assignment(path: path, value: entry.value, source: entry.source)
        }
    }

    // MARK: JSON

    /// `--params`: a flat JSON object of parameter path to value, from the file
    /// at `path` or, for `-`, from standard input. Each value is named by its
    /// path in errors, with the file as the source.
    public static func parameterDictionary(_ path: String) throws(InputError) -> [Assignment] {
        let name = path == "-" ? "--params -" : path
        let data: Data
        if path == "-" {
            data = try InputError.readStandardInput(name: name)
        } else {
            data = Data(try InputError.readText(path).utf8)
        }
        guard case .object(let members) = try JSONTree.parse(data, name: name) else {
            throw InputError(source: name, problem: "expected a JSON object of parameter path to value, e.g. {\"amazon.prime.monthlyFee\": 12.99}")
        }
        var result: [Assignment] = []
        for key in members.keys.sorted() {
            if Scenario.arrayNames.contains(key) {
                result += try arrayAssignments(members[key]!, array: key, name: name)
                continue
            }
            guard let value = members[key]!.scenarioValue else {
                throw InputError(source: name, path: key, problem: "allowed: a number, true/false or a string (a flat object of path to value)")
            }
            result.append(Assignment(path: key, value: value, source: name))
        }
        return result
    }

    /// `--timeline FILE.csv`: a timeline as a table with the columns week,
    /// path and value (a value as `--set` reads it), one change a row, each
    /// named by its line in errors.
    public static func timelineCSV(_ path: String) throws(InputError) -> [Assignment] {
        if try InputError.readText(path).contains("\r") {
            throw InputError(source: path, problem: "has carriage returns; allowed line endings: LF")
        }
        let table = try CSVTable(path: path)
        guard table.header.sorted() == ["path", "value", "week"] || table.header.sorted() == ["date", "path", "value"] else {
            throw InputError(source: "\(path):1", value: table.header.joined(separator: ","), problem: "allowed columns: week,path,value or date,path,value")
        }
        var result: [Assignment] = []
        for (k, row) in table.rows.enumerated() {
            for (column, field) in zip(table.header, row) {
                let value = column == "path" || column == "date" ? ScenarioValue.text(field.trimmingCharacters(in: .whitespaces)) : ScenarioValue(commandLine: field)
                result.append(Assignment(path: TimelineChange.entryPath(k + 1, column), value: value, source: "\(path):\(k + 2)"))
            }
        }
        return result
    }

    /// A JSON array of tables, the timeline's `[{"week": 27, "path": "...",
    /// "value": 12.99}, ...]` or the facility changes' `[{"week": 13,
    /// "action": "open", ...}]`, as the entries `Scenario.apply` collects
    /// (`timeline.[k].week`, `facility.[k].action`, ...).
    static func arrayAssignments(_ tree: JSONTree, array: String, name: String) throws(InputError) -> [Assignment] {
        let fields = array == "timeline" ? "week, path and value" : "week, action, kind and where (latitude and longitude, or xKm and yKm)"
        guard case .array(let elements) = tree else {
            throw InputError(source: name, path: array, problem: "allowed: an array of objects with \(fields)")
        }
        var result: [Assignment] = []
        for (k, element) in elements.enumerated() {
            guard case .object(let members) = element else {
                throw InputError(source: name, path: "\(array)[\(k + 1)]", problem: "allowed: an object with \(fields)")
            }
            for field in members.keys.sorted() {
                guard let value = members[field]!.scenarioValue else {
                    throw InputError(source: name, path: "\(array)[\(k + 1)].\(field)", problem: "allowed: a number, true/false or a string")
                }
                result.append(Assignment(path: "\(array).\(TimelineChange.entryKey(k + 1)).\(field)", value: value, source: name))
            }
        }
        return result
    }

    /// Reads a JSON object of nested parameters (as `scenario.json` holds them).
    public static func parseJSON(_ data: Data, name: String) throws(InputError) -> [Assignment] {
        try assignments(JSONTree.parse(data, name: name), name: name)
    }

    /// The parameters of a parsed JSON object, as assignments.
    static func assignments(_ tree: JSONTree, name: String) throws(InputError) -> [Assignment] {
        guard case .object = tree else { throw InputError(source: name, problem: "the top level must be a JSON object") }
        var result: [Assignment] = []
        func walk(_ node: JSONTree, _ path: String) throws(InputError) {
            if Scenario.arrayNames.contains(path) {
                result += try arrayAssignments(node, array: path, name: name)
                return
            }
            switch node {
            case .object(let members):
                for key in members.keys.sorted() {
                    if key.contains(".") || key.isEmpty {
                        throw InputError(source: name, path: path.isEmpty ? key : path + "." + key,
                                         problem: "a key with a dot (or an empty key) is not a path; nest it, e.g. {\"run\": {\"weeks\": 52}}")
                    }
                    try walk(members[key]!, path.isEmpty ? key : path + "." + key)
                }
            case .boolean(let b): result.append(Assignment(path: path, value: .boolean(b), source: name))
            case .number(let d): result.append(Assignment(path: path, value: .number(d), source: name))
            case .text(let s): result.append(Assignment(path: path, value: .text(s), source: name))
            case .array, .null:
                throw InputError(source: name, path: path, problem: "arrays and nulls are not scenario values; allowed: a number, true/false or a string")
            }
        }
        try walk(tree, "")
        return result
    }
}
