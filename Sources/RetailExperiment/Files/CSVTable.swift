import Foundation
import RetailModel
import RetailStats

/// A table read from one of RetailSim's own CSV files (no quoted commas).
struct CSVTable {
    let header: [String]
    let rows: [[String]]

    init(path: String) throws(InputError) {
        let text = try InputError.readText(path)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let first = lines.first else { throw InputError(source: path, problem: "empty file") }
        header = first.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for (k, row) in rows.enumerated() where row.count != header.count {
            throw InputError(source: "\(path):\(k + 2)", problem: "\(row.count) fields, the header has \(header.count)")
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
        let (r, w, k, v) = (try table.column("replicate", in: path), try table.column("week", in: path),
                            try table.column(key, in: path), try table.column(value, in: path))
        var sums: [Int: [Int: [String: Double]]] = [:]
        for (line, row) in table.rows.enumerated() {
            guard let replicate = Int(row[r]), let week = Int(row[w]), let x = Double(row[v]) else {
                throw InputError(source: "\(path):\(line + 2)", problem: "replicate, week and \(value) must be numbers")
            }
            sums[replicate, default: [:]][week, default: [:]][row[k], default: 0] += x
        }
        return sums
    }
}
