import Foundation
import RetailModel
import RetailStats

/// A table read from one of RetailSim's own CSV files (no quoted commas),
/// refusing what RetailSim never writes: a file cut short mid-line, a header
/// without rows, a row of the wrong width, a number that is not a finite one.
struct CSVTable {
    let header: [String]
    let rows: [[String]]

    init(path: String) throws(InputError) {
        let text = try InputError.readText(path)
        guard text.hasSuffix("\n") else { throw InputError(source: path, problem: "ends in the middle of a line: the file was cut short") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let first = lines.first else { throw InputError(source: path, problem: "empty file") }
        guard lines.count > 1 else { throw InputError(source: path, problem: "has a header and no rows") }
        header = first.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for (k, row) in rows.enumerated() where row.count != header.count {
            throw InputError(source: "\(path):\(k + 2)", problem: "\(row.count) fields, the header has \(header.count)")
        }
    }

    /// Field `k` of a row as a finite number, or an error naming the line and column.
    func number(_ row: [String], _ k: Int, line: Int, in path: String) throws(InputError) -> Double {
        guard let d = Double(row[k]), d.isFinite else {
            throw InputError(source: "\(path):\(line + 2)", path: header[k], value: row[k], problem: "allowed: a finite number")
        }
        return d
    }

    /// Checks that every field of the `columns` named is a finite number
    /// (or empty, where RetailSim leaves a field empty): a damaged file is
    /// refused even where the damage is in a column nobody reads.
    func requireNumbers(except text: Set<String>, allowingEmpty: Set<String> = [], in path: String) throws(InputError) {
        for (line, row) in rows.enumerated() {
            for (k, name) in header.enumerated() where !text.contains(name) && !(allowingEmpty.contains(name) && row[k].isEmpty) {
                _ = try number(row, k, line: line, in: path)
            }
        }
    }

    func column(_ name: String, in path: String) throws(InputError) -> Int {
        guard let k = header.firstIndex(of: name) else { throw InputError(source: path, problem: "no column '\(name)'") }
        return k
    }

    /// The `value` column summed by replicate, week and `key` (option,
    /// programme, retailer): `[replicate][week][key]`. A field that is not a
    /// number is refused with its line.
    static func totals(_ path: String, key: String, value: String) throws(InputError) -> [Int: [Int: [String: Double]]] {
        let table = try CSVTable(path: path)
        try table.requireNumbers(except: ["date", "segment", "option", "programme", "retailer", key], allowingEmpty: ["personalization", "inStock", "meanWaitHours"],
                                 in: path)
        let (r, w, k, v) = (try table.column("replicate", in: path), try table.column("week", in: path),
                            try table.column(key, in: path), try table.column(value, in: path))
        var sums: [Int: [Int: [String: Double]]] = [:]
        for (line, row) in table.rows.enumerated() {
            guard let replicate = Int(row[r]), let week = Int(row[w]), replicate >= 1, week >= 1 else {
                throw InputError(source: "\(path):\(line + 2)", problem: "replicate and week must be whole numbers from 1")
            }
            sums[replicate, default: [:]][week, default: [:]][row[k], default: 0] += try table.number(row, v, line: line, in: path)
        }
        for (replicate, weeks) in sums where weeks.count != weeks.keys.max()! {
            let missing = (1...weeks.keys.max()!).first { weeks[$0] == nil }!
            throw InputError(source: path, problem: "replicate \(replicate) has no rows for week \(missing): the file is incomplete")
        }
        return sums
    }
}
