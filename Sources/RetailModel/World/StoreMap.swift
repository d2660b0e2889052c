/// Walmart-like stores by state and format as published (docs/GEOGRAPHY.md
/// section 4): where the real country's stores are, not how many (that is
/// `walmart.network.stores`). The model reads no file:
/// `RetailExperiment/Files/StoresFile.swift` reads the built-in 10-K table or
/// a user's file of the same columns.
public struct StoreMap: Sendable {
    /// One state's stores by format.
    public struct Row: Sendable, Equatable {
        public let state: String
        public let supercenters: Int
        public let discountStores: Int
        /// The 10-K's "Neighborhood Markets and other small formats": groceries, not the whole range.
        public let neighborhoodMarkets: Int
        public var total: Int { supercenters + discountStores + neighborhoodMarkets }

        public init(state: String, supercenters: Int, discountStores: Int, neighborhoodMarkets: Int) {
            (self.state, self.supercenters, self.discountStores, self.neighborhoodMarkets) =
                (state, supercenters, discountStores, neighborhoodMarkets)
        }
    }

    public let rows: [Row]
    /// Identifies the source, so that cached networks are never paired with another map.
    public let digest: UInt64

    public init(rows: [Row], digest: UInt64) {
        self.rows = rows
        self.digest = digest
    }

    /// The row of a two-letter state code, if the map has one.
    public func row(of state: String) -> Row? { rows.first { $0.state == state } }
}

/// A store's format (docs/GEOGRAPHY.md section 4): known only when the
/// stores are sited from published counts by format.
public enum StoreFormat: String, Sendable, CaseIterable, Codable {
    case supercenter
    case discountStore
    case neighborhoodMarket
    /// Delivery only, no walk-in trips: not a 10-K format (an intervention opens it).
    case darkStore
}

/// `walmart.network.siting` is "published" but the market was given no stores map.
public struct MissingStoreMap: Error, CustomStringConvertible {
    public var description: String {
        "walmart.network.siting is \"published\" but no stores map was given (StoreMap.load reads walmart.network.storesFile)"
    }
}
