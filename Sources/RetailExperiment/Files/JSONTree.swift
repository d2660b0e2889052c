import Foundation

/// A parsed JSON document, for reading back what RetailSim writes
/// (`scenario.json`, `sweep.json`) and what users give in its shape. The
/// reader is RFC 8259's grammar, strict: a syntax error names its line and
/// column, and a key given twice in one object is refused (other readers
/// keep the first or the last in silence).
indirect enum JSONTree: Equatable {
    case object([String: JSONTree])
    case array([JSONTree])
    case boolean(Bool)
    case number(Double)
    case text(String)
    case null

    /// Nesting deeper than this is refused by name (no scenario needs more than 5).
    static let maximumDepth = 64

    /// Parses `data`, or throws naming `name` and where the text went wrong.
    static func parse(_ data: Data, name: String) throws(InputError) -> JSONTree {
        var parser = Parser(bytes: [UInt8](data), name: name)
        parser.skipSpace()
        let tree = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.i == parser.bytes.count else { throw parser.error("text after the JSON value") }
        return tree
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

    private struct Parser {
        let bytes: [UInt8]
        let name: String
        var i = 0

        func error(_ problem: String) -> InputError {
            var line = 1, column = 1
            for b in bytes[..<min(i, bytes.count)] {
                if b == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            }
            return InputError(source: "\(name):\(line):\(column)", problem: "not valid JSON: \(problem)")
        }

        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() {
            while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1 }
        }

        mutating func expect(_ word: String) throws(InputError) {
            let w = Array(word.utf8)
            guard bytes[i...].starts(with: w) else { throw error("expected \(word)") }
            i += w.count
        }

        mutating func value(depth: Int) throws(InputError) -> JSONTree {
            guard depth < JSONTree.maximumDepth else { throw error("nested deeper than \(JSONTree.maximumDepth) levels") }
            switch peek {
            case UInt8(ascii: "{"):
                i += 1
                var members: [String: JSONTree] = [:]
                skipSpace()
                if peek == UInt8(ascii: "}") { i += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard peek == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
                    let keyStart = i
                    let key = try string()
                    skipSpace()
                    guard peek == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
                    i += 1
                    skipSpace()
                    let v = try value(depth: depth + 1)
                    guard members.updateValue(v, forKey: key) == nil else {
                        i = keyStart
                        throw error("the key \"\(key)\" is given twice in one object")
                    }
                    skipSpace()
                    if peek == UInt8(ascii: ",") { i += 1; continue }
                    guard peek == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
                    i += 1
                    return .object(members)
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSONTree] = []
                skipSpace()
                if peek == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    if peek == UInt8(ascii: ",") { i += 1; continue }
                    guard peek == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
                    i += 1
                    return .array(items)
                }
            case UInt8(ascii: "\""): return .text(try string())
            case UInt8(ascii: "t"): try expect("true"); return .boolean(true)
            case UInt8(ascii: "f"): try expect("false"); return .boolean(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            case nil: throw error("the text ends where a value was expected")
            default: return .number(try number())
            }
        }

        /// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        mutating func number() throws(InputError) -> Double {
            let start = i
            func digits() -> Int {
                let s = i
                while let b = peek, b >= 0x30, b <= 0x39 { i += 1 }
                return i - s
            }
            if peek == UInt8(ascii: "-") { i += 1 }
            if peek == UInt8(ascii: "0") { i += 1 } else if digits() == 0 { i = start; throw error("expected a value") }
            if peek == UInt8(ascii: ".") {
                i += 1
                guard digits() > 0 else { throw error("expected digits after '.'") }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                i += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { throw error("expected digits in the exponent") }
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard let d = Double(text) else { throw error("malformed number") }
            // A whole number past 2^53 would be rounded to another one (a seed of
            // 9007199254740993 read as ...992): refused rather than changed in silence.
            if abs(d) >= 9_007_199_254_740_992, !text.contains(where: { ".eE".contains($0) }), Int64(exactly: d).map({ "\($0)" }) != text {
                throw error("\(text) is not exactly a double; allowed: whole numbers up to 9007199254740992 in magnitude")
            }
            return d
        }

        mutating func string() throws(InputError) -> String {
            i += 1
            var out = [UInt8]()
            while let b = peek {
                i += 1
                switch b {
                case UInt8(ascii: "\""):
                    guard let s = String(validating: out, as: UTF8.self) else { throw error("a string that is not UTF-8") }
                    return s
                case UInt8(ascii: "\\"):
                    guard let e = peek else { throw error("a string ends in a backslash") }
                    i += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {
                            guard bytes[i...].starts(with: Array("\\u".utf8)) else { throw error("an unpaired surrogate in \\u escapes") }
                            i += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw error("an unpaired surrogate in \\u escapes") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let u = Unicode.Scalar(code) else { throw error("an unpaired surrogate in \\u escapes") }
                        out.append(contentsOf: Array(String(Character(u)).utf8))
                    default: throw error("unknown escape \\\(Character(Unicode.Scalar(e)))")
                    }
                default:
                    guard b >= 0x20 else { throw error("a control character in a string") }
                    out.append(b)
                }
            }
            throw error("a string is not closed")
        }

        mutating func hex4() throws(InputError) -> UInt32 {
            guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
                throw error("\\u must be followed by 4 hex digits")
            }
            i += 4
            return v
        }
    }
}
