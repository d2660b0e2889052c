import Foundation

/// Reads the part of TOML 1.0 that RetailSim's files need, exactly as TOML
/// reads it: comments, `[table]` headers, `key = value` with bare, quoted and
/// dotted keys, and single-line strings (escapes decoded), numbers and
/// booleans, and the two arrays of tables scenarios use (`[[timeline]]`,
/// `[[facility]]`).
/// What TOML refuses is refused, and so are the TOML values no scenario needs
/// (arrays, inline tables, dates, multi-line strings, other arrays of
/// tables): each by line, never silently. A test reads every shipped file and
/// a corpus of edge cases with Python's `tomllib` and compares the values.
public enum TOMLReader {
    /// The most dotted parts a key may have.
    static let maximumKeyParts = 64

    /// One `key = value`: the full key (table and dotted parts), its value and line.
    public struct Entry {
        public var keys: [String]
        public var value: ScenarioValue
        /// `file.toml:12`.
        public var source: String
    }

    /// The entries as assignments whose path joins the keys with dots (a
    /// quoted key such as `"spendShare.A"` stays one part to its reader).
    public static func assignments(_ text: String, name: String) throws(InputError) -> [Assignment] {
        try read(text, name: name).map { Assignment(path: $0.keys.joined(separator: "."), value: $0.value, source: $0.source) }
    }

    public static func read(_ text: String, name: String) throws(InputError) -> [Entry] {
        var reader = Reader(name: name)
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" {
            throw InputError(source: "\(name):1", problem: "starts with a byte-order mark, which TOML does not allow; save the file as UTF-8 without BOM")
        }
        // Lines end in LF or CRLF; a CR anywhere else is not TOML.
        var line: [Unicode.Scalar] = [], number = 1
        let length = scalars.count
        scalars.append("\n")
        for (k, c) in scalars.enumerated() {
            if c == "\n" {
                try reader.line(line, number: number)
                line.removeAll(keepingCapacity: true)
                number += 1
            } else if c == "\r" {
                guard k + 1 < length, scalars[k + 1] == "\n" else {
                    throw InputError(source: "\(name):\(number)", problem: "a carriage return not followed by a line feed; "
                                     + "allowed line endings: LF or CRLF")
                }
            } else {
                line.append(c)
            }
        }
        return reader.entries
    }

    private struct Reader {
        let name: String
        var entries: [Entry] = []
        var table: [String] = []
        /// Tables declared by a header, tables a header implied, tables dotted keys made, and keys holding values.
        var declared = Set<[String]>(), implied = Set<[String]>(), dotted = Set<[String]>(), values = Set<[String]>()
        /// Arrays of tables (`[[timeline]]`, `[[facility]]`) and how many elements each has opened.
        var arrays = Set<[String]>(), elements: [[String]: Int] = [:]
        /// The arrays of tables a scenario may have.
        static let arrayNames = ["timeline", "facility"]

        init(name: String) { self.name = name }

        mutating func line(_ s: [Unicode.Scalar], number: Int) throws(InputError) {
            var cursor = Cursor(scalars: s, source: "\(name):\(number)")
            cursor.skipSpace()
            if cursor.atEndOrComment { try cursor.finish(); return }
            if cursor.peek == "[" {
                cursor.advance()
                // `[[name]]` opens the next element of an array of tables, `[name]` a table.
                let array = cursor.peek == "["
                if array { cursor.advance() }
                cursor.skipSpace()
                let keys = try cursor.key()
                cursor.skipSpace()
                for _ in 0..<(array ? 2 : 1) {
                    guard cursor.peek == "]" else {
                        throw cursor.error(array ? "malformed array-of-tables header; allowed: [[timeline]] or [[facility]]"
                                                 : "malformed table header; allowed: [name] or [dotted.name]")
                    }
                    cursor.advance()
                }
                try cursor.finish()
                if array { try element(keys, cursor) } else { try header(keys, cursor) }
                return
            }
            let keys = try cursor.key()
            cursor.skipSpace()
            guard cursor.peek == "=" else { throw cursor.error("expected 'key = value'") }
            cursor.advance()
            cursor.skipSpace()
            let value = try cursor.value(key: (table + keys).joined(separator: "."))
            try cursor.finish()
            try assign(keys, value, cursor)
        }

        /// `[[timeline]]` and `[[facility]]`, the arrays of tables RetailSim
        /// reads: each header opens the next element, whose keys read
        /// `timeline.[k].key` (`facility.[k].key`).
        mutating func element(_ keys: [String], _ cursor: Cursor) throws(InputError) {
            guard keys.count == 1, Reader.arrayNames.contains(keys[0]) else {
                throw cursor.error("[[\(keys.joined(separator: "."))]]: the arrays of tables RetailSim reads are [[timeline]] and [[facility]]")
            }
            guard !declared.contains(keys), !implied.contains(keys), !dotted.contains(keys), !values.contains(keys) else {
                throw cursor.error("[[\(keys[0])]]: \(keys[0]) is already a table or a value in this file")
            }
            elements[keys, default: 0] += 1
            table = keys + [TimelineChange.entryKey(elements[keys]!)]
            declared.insert(table)
            arrays.insert(keys)
        }

        mutating func header(_ keys: [String], _ cursor: Cursor) throws(InputError) {
            let dottedName = keys.joined(separator: ".")
            if let array = arrays.first(where: { keys.starts(with: $0) }) {
                throw cursor.error("[\(dottedName)]: \(array.joined(separator: ".")) is an array of tables ([[\(array.joined(separator: "."))]])")
            }
            for n in 1...keys.count where values.contains(Array(keys.prefix(n))) {
                throw cursor.error("[\(dottedName)]: \(keys.prefix(n).joined(separator: ".")) is a value, not a table")
            }
            guard !declared.contains(keys), !dotted.contains(keys) else {
                throw cursor.error("table [\(dottedName)] is defined twice")
            }
            declared.insert(keys)
            for n in 1..<keys.count { implied.insert(Array(keys.prefix(n))) }
            table = keys
        }

        mutating func assign(_ keys: [String], _ value: ScenarioValue, _ cursor: Cursor) throws(InputError) {
            let full = table + keys
            let path = full.joined(separator: ".")
            for n in (table.count + 1)..<full.count {
                let prefix = Array(full.prefix(n))
                if values.contains(prefix) { throw cursor.error("\(path): \(prefix.joined(separator: ".")) is a value, not a table") }
                if declared.contains(prefix) {
                    throw cursor.error("\(path): table \(prefix.joined(separator: ".")) is defined by a header elsewhere; set it there")
                }
                dotted.insert(prefix)
            }
            if values.contains(full) {
                throw InputError(source: cursor.source, path: path, problem: "set twice in the same file")
            }
            if declared.contains(full) || implied.contains(full) || dotted.contains(full) {
                throw InputError(source: cursor.source, path: path, problem: "is a table, and cannot also be a value")
            }
            values.insert(full)
            entries.append(Entry(keys: full, value: value, source: cursor.source))
        }
    }

    private struct Cursor {
        let scalars: [Unicode.Scalar]
        let source: String
        var i = 0

        var peek: Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }
        mutating func advance() { i += 1 }
        var atEndOrComment: Bool { peek == nil || peek == "#" }

        func error(_ problem: String) -> InputError { InputError(source: source, problem: problem) }

        /// TOML's whitespace: space and tab, nothing else.
        mutating func skipSpace() { while peek == " " || peek == "\t" { i += 1 } }

        /// After a value or header: only whitespace and a comment (without control characters).
        mutating func finish() throws(InputError) {
            skipSpace()
            guard let c = peek else { return }
            guard c == "#" else {
                throw error("unexpected '\(String(String.UnicodeScalarView(scalars[i...].prefix(20))))' after the value; allowed: a comment starting with #")
            }
            for c in scalars[i...] where Cursor.isControl(c) { throw error("a control character (U+\(hex(c))) in a comment") }
        }

        static func isControl(_ c: Unicode.Scalar) -> Bool { (c.value < 0x20 && c != "\t") || c.value == 0x7F }

        func hex(_ c: Unicode.Scalar) -> String {
            let h = String(c.value, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, 4 - h.count)) + h
        }

        /// `a`, `a.b`, `"quoted key".b`, `'literal'`; whitespace around dots allowed.
        mutating func key() throws(InputError) -> [String] {
            var keys: [String] = []
            while true {
                skipSpace()
                switch peek {
                case "\"":
                    if scalars[i...].starts(with: ["\"", "\"", "\""]) { throw error("a multi-line string cannot be a key") }
                    keys.append(try basicString())
                case "'":
                    if scalars[i...].starts(with: ["'", "'", "'"]) { throw error("a multi-line string cannot be a key") }
                    keys.append(try literalString())
                default:
                    var bare = String.UnicodeScalarView()
                    while let c = peek, c.properties.isASCIIHexDigit || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c == "-" {
                        bare.append(c)
                        advance()
                    }
                    guard !bare.isEmpty else {
                        throw error(peek == nil ? "a key is missing" : "malformed key at '\(String(String.UnicodeScalarView(scalars[i...].prefix(20))))'; "
                                    + "allowed: letters, digits, _ and - or a quoted key")
                    }
                    keys.append(String(bare))
                }
                skipSpace()
                guard peek == "." else { return keys }
                // No RetailSim key has more than 5 parts; a key of thousands would cost quadratic time in the table checks.
                guard keys.count < TOMLReader.maximumKeyParts else {
                    throw error("a key of more than \(TOMLReader.maximumKeyParts) dotted parts; RetailSim's keys have at most 5")
                }
                advance()
            }
        }

        mutating func value(key: String) throws(InputError) -> ScenarioValue {
            func refuse(_ raw: String, _ problem: String) -> InputError { InputError(source: source, path: key, value: raw, problem: problem) }
            let rest = String(String.UnicodeScalarView(scalars[i...]))
            switch peek {
            case nil: throw refuse("", "a value is missing; allowed: a number, true/false or a quoted string")
            case "\"":
                if rest.hasPrefix("\"\"\"") { throw refuse(String(rest.prefix(20)), "multi-line strings are not used in RetailSim's files; allowed: a one-line \"string\"") }
                return .text(try basicString())
            case "'":
                if rest.hasPrefix("'''") { throw refuse(String(rest.prefix(20)), "multi-line strings are not used in RetailSim's files; allowed: a one-line 'string'") }
                return .text(try literalString())
            case "[", "{":
                throw refuse(String(rest.prefix(40)), "arrays and inline tables are not scenario values; allowed: a number, true/false or a quoted string")
            default: break
            }
            var word = String.UnicodeScalarView()
            while let c = peek, c != " ", c != "\t", c != "#" {
                word.append(c)
                advance()
            }
            let raw = String(word)
            if raw == "true" { return .boolean(true) }
            if raw == "false" { return .boolean(false) }
            if let d = TOMLReader.number(raw) { return .number(d) }
            // A local date (TOML's 2015-01-05) reads as its text: run.start and timeline dates take it.
            if raw.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil { return .text(raw) }
            if raw.range(of: #"^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}"#, options: .regularExpression) != nil {
                throw refuse(raw, "times are not scenario values; allowed: a number, true/false, a date (2015-01-05) or a quoted string")
            }
            throw refuse(raw, "not a TOML value; allowed: a number (TOML's form: 12, 1_000, 0.5, 3.5e6, inf), true/false or a quoted string")
        }

        /// A "basic string": escapes decoded, control characters refused.
        mutating func basicString() throws(InputError) -> String {
            advance()
            var out = String.UnicodeScalarView()
            while let c = peek {
                advance()
                switch c {
                case "\"": return String(out)
                case "\\":
                    guard let e = peek else { throw error("a string ends in a backslash") }
                    advance()
                    switch e {
                    case "b": out.append("\u{08}")
                    case "t": out.append("\t")
                    case "n": out.append("\n")
                    case "f": out.append("\u{0C}")
                    case "r": out.append("\r")
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    case "u", "U":
                        let width = e == "u" ? 4 : 8
                        let digits = scalars[i..<min(i + width, scalars.count)]
                        guard digits.count == width, digits.allSatisfy({ $0.properties.isASCIIHexDigit }),
                              let v = UInt32(String(String.UnicodeScalarView(digits)), radix: 16), let u = Unicode.Scalar(v) else {
                            throw error("\\\(e) must be followed by \(width) hex digits of a Unicode scalar value")
                        }
                        out.append(u)
                        i += width
                    default:
                        throw error("unknown escape \\\(e) in a string; allowed: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX")
                    }
                default:
                    if Cursor.isControl(c) { throw error("a control character (U+\(hex(c))) in a string; write it as an escape") }
                    out.append(c)
                }
            }
            throw error("a string is not closed with \" on its line")
        }

        /// A 'literal string': taken as it is, no escapes.
        mutating func literalString() throws(InputError) -> String {
            advance()
            var out = String.UnicodeScalarView()
            while let c = peek {
                advance()
                if c == "'" { return String(out) }
                if Cursor.isControl(c) { throw error("a control character (U+\(hex(c))) in a string") }
                out.append(c)
            }
            throw error("a string is not closed with ' on its line")
        }
    }

    /// A TOML integer or float (decimal, 0x/0o/0b integers, inf, nan), or nil if
    /// `raw` is not one in TOML's grammar (`.5`, `5.`, `1__0`, `_1`, `007` are not).
    static func number(_ raw: String) -> Double? {
        let digits = #"[0-9](_?[0-9])*"#
        let integer = #"[+-]?(0|[1-9](_?[0-9])*)"#
        switch raw {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        func matches(_ pattern: String) -> Bool { raw.range(of: "^(" + pattern + ")$", options: .regularExpression) != nil }
        let plain = raw.replacingOccurrences(of: "_", with: "")
        for (prefix, radix, pattern) in [("0x", 16, #"0x[0-9A-Fa-f](_?[0-9A-Fa-f])*"#), ("0o", 8, #"0o[0-7](_?[0-7])*"#), ("0b", 2, #"0b[01](_?[01])*"#)]
        where raw.hasPrefix(prefix) {
            guard matches(pattern), let v = UInt64(plain.dropFirst(2), radix: radix), v <= UInt64(Int64.max) else { return nil }
            return ScenarioValue.integerValue(String(v))
        }
        if matches(integer) { return ScenarioValue.integerValue(plain) }
        if matches(integer + #"(\."# + digits + #")?([eE][+-]?"# + digits + ")?") { return Double(plain) }
        return nil
    }
}
