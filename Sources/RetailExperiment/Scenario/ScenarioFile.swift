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
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputError(source: path, problem: FileManager.default.fileExists(atPath: path)
                                ? "cannot read the file as UTF-8 text" : "no such file")
        }
        let name = (path as NSString).lastPathComponent
        switch (path as NSString).pathExtension.lowercased() {
        case "toml": return try parseTOML(text, name: name)
        case "json": return try parseJSON(data, name: name)
        default:
            throw InputError(source: path, problem: "unknown scenario format; allowed: a .toml or .json file")
        }
    }

    // MARK: TOML

    /// Parses the part of TOML that a scenario needs: comments, `[table]` and
    /// `[dotted.table]` headers, `key = value` with bare or dotted keys, and
    /// string, number and boolean values. Anything else is refused by line.
    public static func parseTOML(_ text: String, name: String) throws(InputError) -> [Assignment] {
        var table = ""
        var result: [Assignment] = []
        var seen = Set<String>()
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let source = "\(name):\(offset + 1)"
            let line = stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[["), let key = dottedKey(String(line.dropFirst().dropLast())) else {
                    throw InputError(source: source, problem: "malformed table header '\(line)'; allowed: [name] or [dotted.name]")
                }
                table = key
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw InputError(source: source, problem: "expected 'key = value', found '\(line)'")
            }
            guard let key = dottedKey(String(line[..<eq])) else {
                throw InputError(source: source, problem: "malformed key '\(line[..<eq].trimmingCharacters(in: .whitespaces))'")
            }
            let path = table.isEmpty ? key : table + "." + key
            let rawValue = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            let value = try tomlValue(rawValue, path: path, source: source)
            guard seen.insert(path).inserted else {
                throw InputError(source: source, path: path, problem: "set twice in the same file")
            }
            result.append(Assignment(path: path, value: value, source: source))
        }
        return result
    }

    private static func stripComment(_ line: String) -> String {
        var quote: Character? = nil
        for (i, c) in zip(line.indices, line) {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" {
                return String(line[..<i])
            }
        }
        return line
    }

    private static func dottedKey(_ raw: String) -> String? {
        // Split on dots outside quotes: a quoted part may hold a dot ("spendShare.A").
        var parts: [String] = [], current = "", quoted = false
        for c in raw {
            if c == "\"" { quoted.toggle() }
            if c == "." && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        guard !quoted else { return nil }
        parts.append(current)
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
        var keys: [String] = []
        for part in parts.map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if part.count >= 2, part.first == "\"", part.last == "\"" {
                let inner = String(part.dropFirst().dropLast())
                guard !inner.isEmpty, inner.unicodeScalars.allSatisfy({ allowed.contains($0) || $0 == "." }) else { return nil }
                keys.append(inner)
            } else {
                guard !part.isEmpty, part.unicodeScalars.allSatisfy({ allowed.contains($0) }) else { return nil }
                keys.append(part)
            }
        }
        return keys.joined(separator: ".")
    }

    private static func tomlValue(_ raw: String, path: String, source: String) throws(InputError) -> ScenarioValue {
        if raw == "true" { return .boolean(true) }
        if raw == "false" { return .boolean(false) }
        if raw.count >= 2, let q = raw.first, q == "\"" || q == "'", raw.last == q {
            return .text(String(raw.dropFirst().dropLast()))
        }
        if let d = ScenarioValue.number(raw) { return .number(d) }
        if raw.hasPrefix("[") || raw.hasPrefix("{") {
            throw InputError(source: source, path: path, value: raw,
                                problem: "arrays and inline tables are not scenario values; allowed: a number, true/false or a quoted string")
        }
        throw InputError(source: source, path: path, value: raw,
                            problem: "not a TOML value; allowed: a number, true/false or a quoted string")
    }

    // MARK: JSON

    /// Reads a JSON object of nested parameters (as `scenario.json` holds them).
    public static func parseJSON(_ data: Data, name: String) throws(InputError) -> [Assignment] {
        try assignments(JSONTree.parse(data, name: name), name: name)
    }

    /// The parameters of a parsed JSON object, as assignments.
    static func assignments(_ tree: JSONTree, name: String) throws(InputError) -> [Assignment] {
        guard case .object = tree else { throw InputError(source: name, problem: "the top level must be a JSON object") }
        var result: [Assignment] = []
        func walk(_ node: JSONTree, _ path: String) throws(InputError) {
            switch node {
            case .object(let members):
                for key in members.keys.sorted() {
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
