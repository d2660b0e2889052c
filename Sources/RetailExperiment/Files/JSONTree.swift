import Foundation

/// A parsed JSON document, for reading back what RetailSim writes
/// (`scenario.json`, `sweep.json`).
indirect enum JSONTree: Decodable, Equatable {
    case object([String: JSONTree])
    case array([JSONTree])
    case boolean(Bool)
    case number(Double)
    case text(String)
    case null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .boolean(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .text(s) }
        else if let a = try? c.decode([JSONTree].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONTree].self)) }
    }

    /// Parses `data`, or throws naming `name`.
    static func parse(_ data: Data, name: String) throws(InputError) -> JSONTree {
        do {
            return try JSONDecoder().decode(JSONTree.self, from: data)
        } catch {
            throw InputError(source: name, problem: "not valid JSON (\(error.localizedDescription))")
        }
    }

    subscript(key: String) -> JSONTree? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The value as a scenario value; nil for objects, arrays and null.
    var scenarioValue: ScenarioValue? {
        switch self {
        case .number(let d): return .number(d)
        case .boolean(let b): return .boolean(b)
        case .text(let t): return .text(t)
        default: return nil
        }
    }
}
