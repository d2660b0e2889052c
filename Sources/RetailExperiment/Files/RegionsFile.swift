import CRegions
import Foundation
import RetailModel

/// Regions files (docs/GEOGRAPHY.md section 1): the built-in one, embedded in
/// the binary by `CRegions`, or a user's file of the same format.
extension RegionTable {
    /// The columns a regions file has, in order.
    public static let header = ["zcta", "state", "county", "lat", "lon", "land_sq_mi", "people", "households",
                                "median_income", "gini", "cbsa"]

    /// The built-in file, parsed once per process.
    static let builtIn: Result<RegionTable, DataFileError> = Result { () throws(DataFileError) -> RegionTable in
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
    public init(text: String, source: String) throws(DataFileError) {
        var codes: [String] = [], state: [UInt8] = [], county: [UInt16] = [], metro: [Int32] = []
        var latitude: [Double] = [], longitude: [Double] = [], land: [Double] = [], people: [Double] = []
        var households: [Double] = [], income: [Double] = [], gini: [Double] = []
        var states: [String] = [], counties: [String] = [], metros: [String] = []
        var stateIndex: [String: UInt8] = [:], countyIndex: [String: UInt16] = [:], metroIndex: [String: Int32] = [:]
        let lastLine = try DataFile.rows(of: text, source: source, header: RegionTable.header) { (lineNumber, fields) throws(DataFileError) in
            func fail(_ field: String, _ value: String, _ allowed: String) -> DataFileError {
                DataFileError(source: source, line: lineNumber, field: field, value: value, allowed: allowed)
            }
            func number(_ k: Int, _ range: ClosedRange<Double>) throws(DataFileError) -> Double {
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
        guard households.reduce(0, +) > 0 else {
            throw DataFileError(source: source, line: lastLine, field: "households", value: "0 in every row",
                                  allowed: "at least one region with households")
        }
        self.init(codes: codes, state: state, states: states, county: county, counties: counties, metro: metro,
                  metros: metros, latitude: latitude, longitude: longitude, landSqMi: land, people: people,
                  households: households, medianIncome: income, gini: gini, digest: DataFile.fnv1a(text))
    }

    /// Reads the file at `path`.
    public init(path: String) throws(DataFileError) {
        try self.init(text: try DataFile.text(atPath: path, what: "regions file"), source: path)
    }

    /// The table `geography.regionsFile` names: the built-in one when empty.
    public static func load(_ path: String) throws(DataFileError) -> RegionTable {
        try path.isEmpty ? builtIn.get() : RegionTable(path: path)
    }
}
