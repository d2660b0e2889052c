/// A value as written in a scenario file or on the command line, before it is
/// checked against the parameter it is meant for.
public enum ScenarioValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case boolean(Bool)
    case text(String)

    /// Reads a `--set path=value` right-hand side: true/false, a number
    /// (`335e6`, `0.05`, `nan` included, so that it can be refused by name), else text.
    public init(commandLine raw: String) {
        let t = raw.trimmingCharacters(in: .whitespaces)
        if t == "true" { self = .boolean(true); return }
        if t == "false" { self = .boolean(false); return }
        if let d = ScenarioValue.number(t) { self = .number(d); return }
        if t.count >= 2, let q = t.first, q == t.last, q == "\"" || q == "'" {
            self = .text(String(t.dropFirst().dropLast()))
            return
        }
        self = .text(t)
    }

    /// Parses numbers as TOML and the command line write them.
    static func number(_ t: String) -> Double? {
        let plain = t.replacingOccurrences(of: "_", with: "")
        switch plain.lowercased() {
        case "nan", "+nan", "-nan": return .nan
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: break
        }
        guard let first = plain.first, first.isNumber || first == "-" || first == "+" || first == "." else { return nil }
        if plain.dropFirst(first == "-" || first == "+" ? 1 : 0).allSatisfy(\.isASCII), plain.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }),
           Int(plain) != nil || plain.count > 18 {
            return integerValue(plain)
        }
        return Double(plain)
    }

    /// A whole number as a double. Beyond 2^53 a double cannot hold every
    /// integer, and rounding could bring a value just past an integer
    /// parameter's bound (2^53 for run.seed) back inside it; such values are
    /// moved one step further out, so that the bound refuses them.
    static func integerValue(_ digits: String) -> Double? {
        let plain = digits.hasPrefix("+") ? String(digits.dropFirst()) : digits
        guard let d = Double(plain) else { return nil }
        guard abs(d) >= 9_007_199_254_740_992 else { return d }
        if let exact = Int64(plain), exact == Int64(exactly: d) { return d }
        return d < 0 ? d.nextDown : d.nextUp
    }

    /// Where a value is written: JSON and TOML quote text, CSV (and a `--set`
    /// right-hand side) leaves it bare. Numbers are in shortest round-trip
    /// form, whole ones without a fraction; booleans are true/false.
    public enum Notation { case json, toml, csv }

    public func text(for notation: Notation) -> String {
        switch self {
        case .number(let d): return JSONText.number(d)
        case .boolean(let b): return String(b)
        case .text(let t): return notation == .csv ? t : JSONText.string(t)
        }
    }

    /// The value as a CSV field or a `--set` right-hand side.
    public var csvText: String { text(for: .csv) }

    public var description: String {
        switch self {
        case .number(let d):
            return d.isFinite ? JSONText.number(d) : String(d)
        case .boolean(let b): return String(b)
        case .text(let s): return "\"\(s)\""
        }
    }
}

import Foundation
