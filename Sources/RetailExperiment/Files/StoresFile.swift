import CRegions
import Foundation
import RetailModel

/// Stores-by-state files (docs/GEOGRAPHY.md section 4): the built-in one
/// (Walmart's 10-K for fiscal 2023, embedded by `CRegions`) or a user's file
/// of the same columns.
extension StoreMap {
    /// The columns a stores file has, in order (the 10-K's formats; `other_small_formats`
    /// may be empty: the 10-K counts them with neighbourhood markets).
    public static let header = ["state", "supercenters", "discount_stores", "neighborhood_markets", "other_small_formats", "total"]

    /// The built-in file, parsed once per process.
    static let builtIn: Result<StoreMap, DataFileError> = Result { () throws(DataFileError) -> StoreMap in
        try StoreMap(text: builtInText, source: "built-in stores file")
    }

    /// The built-in file's bytes.
    package static var builtInText: String {
        String(decoding: UnsafeRawBufferPointer(start: retailsim_walmart_stores_bytes(), count: retailsim_walmart_stores_size()), as: UTF8.self)
    }

    /// Reads a stores file. Every value is checked (counts whole and not
    /// negative, `total` their sum, each state once); the first bad one is
    /// reported with its line and field.
    public init(text: String, source: String) throws(DataFileError) {
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        let lastLine = try DataFile.rows(of: text, source: source, header: StoreMap.header) { (line, fields) throws(DataFileError) in
            func fail(_ field: String, _ value: String, _ allowed: String) -> DataFileError {
                DataFileError(source: source, line: line, field: field, value: value, allowed: allowed)
            }
            func count(_ k: Int, optional: Bool = false) throws(DataFileError) -> Int {
                if optional, fields[k].isEmpty { return 0 }
                guard let v = Int(fields[k]), (0...100_000).contains(v) else {
                    throw fail(StoreMap.header[k], fields[k], "a whole number from 0 to 100000\(optional ? " or empty" : "")")
                }
                return v
            }
            let state = fields[0]
            guard state.count == 2, state.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw fail("state", state, "a two-letter state code")
            }
            if let first = seen[state] { throw fail("state", state, "each state once (also on line \(first))") }
            seen[state] = line
            let supercenters = try count(1), discount = try count(2), neighborhood = try count(3), other = try count(4, optional: true)
            let total = try count(5)
            let sum = supercenters + discount + neighborhood + other
            guard total == sum else {
                throw fail("total", fields[5], "the sum of the four formats (\(sum))")
            }
            rows.append(Row(state: state, supercenters: supercenters, discountStores: discount, neighborhoodMarkets: neighborhood + other))
        }
        guard rows.contains(where: { $0.total > 0 }) else {
            throw DataFileError(source: source, line: lastLine, field: "total", value: "0 in every row", allowed: "at least one state with stores")
        }
        self.init(rows: rows, digest: DataFile.fnv1a(text))
    }

    /// Reads the file at `path`.
    public init(path: String) throws(DataFileError) {
        try self.init(text: try DataFile.text(atPath: path, what: "stores file"), source: path)
    }

    /// The map `walmart.network.storesFile` names: the built-in one when empty.
    public static func load(_ path: String) throws(DataFileError) -> StoreMap {
        try path.isEmpty ? builtIn.get() : StoreMap(path: path)
    }

    /// Refuses a map without a row for a state that has households in
    /// `regions`: its stores would silently go to the other states.
    public func check(covers regions: RegionTable, source: String) throws(DataFileError) {
        var households = [Double](repeating: 0, count: regions.states.count)
        for i in 0..<regions.count { households[Int(regions.state[i])] += regions.households[i] }
        for (s, code) in regions.states.enumerated() where households[s] > 0 && row(of: code) == nil {
            throw DataFileError(source: source, line: 0, field: "state", value: "\(code) missing",
                                allowed: "a row for every state with households in the regions file (\(code) has \(Int(households[s])))")
        }
    }
}

extension Market {
    /// The market of `parameters`: the real country read from
    /// `geography.regionsFile` and, when stores are sited from published
    /// counts, `walmart.network.storesFile`.
    public convenience init(parameters p: ModelParameters, calendar: WeekCalendar = WeekCalendar(), seed: UInt64, replicate: Int, threads: Int,
                            warm: Bool = true) throws {
        let regions = p.geography.kind == .us ? try RegionTable.load(p.geography.regionsFile) : nil
        let stores = p.geography.kind == .us && p.walmart.network.siting == .published ? try StoreMap.load(p.walmart.network.storesFile) : nil
        try self.init(parameters: p, regions: regions, stores: stores, calendar: calendar, seed: seed, replicate: replicate, threads: threads, warm: warm)
    }
}
