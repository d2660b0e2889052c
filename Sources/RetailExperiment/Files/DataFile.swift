import Foundation

/// A data file (regions, stores by state) that cannot be read: where, which field, what it held and what is allowed.
public struct DataFileError: Error, Sendable, CustomStringConvertible {
    public let source: String
    public let line: Int
    public let field: String
    public let value: String
    public let allowed: String

    public var description: String {
        "\(source)\(line > 0 ? ":\(line)" : ""): \(field) is \(value.count > 80 ? String(value.prefix(80)) + "..." : value); expected \(allowed)"
    }
}

/// The comma-separated data files RetailSim reads (regions, stores by
/// state): `#` lines and blank lines are comments, the first other line is
/// the header, each further line a row of as many fields.
enum DataFile {
    /// The text of the file at `path`, or an error naming it.
    static func text(atPath path: String, what: String) throws(DataFileError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError(source: path, line: 0, field: "file", value: path, allowed: "a readable \(what)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataFileError(source: path, line: 0, field: "file", value: "not UTF-8", allowed: "a UTF-8 text file")
        }
        return text
    }

    /// Calls `row` with each row's line number and fields, after checking
    /// the header; returns the number of the last line.
    @discardableResult
    static func rows(of text: String, source: String, header: [String],
                     _ row: (_ line: Int, _ fields: [String]) throws(DataFileError) -> Void) throws(DataFileError) -> Int {
        var sawHeader = false
        var lineNumber = 0
        // Split on the scalar "\n": Swift's Character "\r\n" is one grapheme, so
        // a Character split would see a CRLF file (Excel's) as a single line.
        for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Substring(raw.last == "\r" ? raw.dropLast() : raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
            if !sawHeader {
                guard fields == header else {
                    // Quote only the first wrong field, briefly: a file that is
                    // not a data file (a credential, /proc/self/environ) is not shown.
                    let k = zip(fields, header).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(fields.count, header.count)
                    let seen = k < fields.count ? "field \(k + 1) \"\(fields[k].prefix(12))\(fields[k].count > 12 ? "..." : "")\"" : "\(fields.count) fields"
                    throw DataFileError(source: source, line: lineNumber, field: "header", value: seen, allowed: header.joined(separator: ","))
                }
                sawHeader = true
                continue
            }
            guard fields.count == header.count else {
                throw DataFileError(source: source, line: lineNumber, field: "row", value: "\(fields.count) fields",
                                    allowed: "\(header.count) fields, as the header")
            }
            try row(lineNumber, fields)
        }
        guard sawHeader else {
            throw DataFileError(source: source, line: lineNumber, field: "header", value: "(none)", allowed: header.joined(separator: ","))
        }
        return lineNumber
    }

    /// FNV-1a of a file's bytes: a file edited at the same path gets a new
    /// digest, so it is never paired with a network built from its old rows.
    static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }
}
