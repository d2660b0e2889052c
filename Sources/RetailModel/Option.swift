/// Where a shopping trip goes: the options of every choice. What each one
/// is (its code, who sells it, by which channel) is the table below, which
/// the tallies, the outputs, the summary and the metric catalogue read;
/// adding an option is a case and a row here, and its utility in
/// Week/HouseholdModel.swift (docs/ARCHITECTURE.md, "Recipes").
public enum Option: Int, CaseIterable, Sendable, Codable {
    /// Amazon-like online order (technology-first retailer).
    case amazon = 0
    /// Walmart-like store visit (integration-first retailer).
    case walmartStore = 1
    /// Walmart-like online order, delivered.
    case walmartOnline = 2
    /// Any other store.
    case otherStore = 3
    /// Any other online shop.
    case otherOnline = 4
    /// Walmart-like online order collected at a store (pickup): free, the
    /// store trip's travel without its time in store (`walmart.pickup.offered`).
    case walmartPickup = 5

    private static let table: [(code: String, title: String, retailer: RetailerID?, channel: Channel)] = [
        ("A", "Amazon-like online", .amazon, .online),
        ("WS", "Walmart-like store", .walmart, .store),
        ("WO", "Walmart-like online", .walmart, .online),
        ("OS", "other stores", nil, .store),
        ("OO", "other online", nil, .online),
        ("WP", "Walmart-like pickup", .walmart, .online),
    ]

    /// The code used in output files: A, WS, WO, OS, OO, WP.
    public var code: String { Self.table[rawValue].code }
    /// A human name for tables.
    public var title: String { Self.table[rawValue].title }
    /// The retailer agent that sells it; nil for the rest of the market.
    public var retailer: RetailerID? { Self.table[rawValue].retailer }
    public var channel: Channel { Self.table[rawValue].channel }
    /// Online options get the household's digital affinity and a wait (a
    /// delivery, or an order made ready for pickup); pickup is online as
    /// e-commerce figures count it (ordered online, collected in store).
    public var isOnline: Bool { channel == .online }

    public static let count = table.count
    /// The online options, in option order.
    public static let online = allCases.filter(\.isOnline)

    /// The options `retailer` sells, in option order (all channels, or one).
    public static func sold(by retailer: RetailerID, channel: Channel? = nil) -> [Option] {
        allCases.filter { $0.retailer == retailer && (channel == nil || $0.channel == channel) }
    }

    /// `options` as the catalogue writes a sum of them: "WS + WO", in parentheses when more than one.
    public static func sum(_ options: [Option]) -> String {
        let terms = options.map(\.code).joined(separator: " + ")
        return options.count > 1 ? "(\(terms))" : terms
    }
}

/// How a trip is made.
public enum Channel: Int, CaseIterable, Sendable {
    case store = 0, online = 1
}

/// Where a household lives.
public enum Segment: Int, CaseIterable, Sendable {
    /// Within one spread (sigma) of a city's centre.
    case urban = 0
    /// In a city's area beyond one spread of its centre.
    case suburban = 1
    /// Around a small town, or a remote homestead.
    case rural = 2

    public var name: String {
        switch self {
        case .urban: "urban"
        case .suburban: "suburban"
        case .rural: "rural"
        }
    }

    public static let count = 3
}

/// The two paid membership programmes.
public enum Programme: Int, CaseIterable, Sendable {
    /// Prime-like: free fast shipping from the technology-first retailer.
    case prime = 0
    /// Walmart+-like: free express delivery from the integration-first retailer's hubs.
    case plus = 1

    public var name: String {
        switch self {
        case .prime: "prime"
        case .plus: "plus"
        }
    }

    public static let count = 2
}

/// The two retailer agents.
public enum RetailerID: Int, CaseIterable, Sendable {
    case amazon = 0
    case walmart = 1

    public var name: String {
        switch self {
        case .amazon: "amazon"
        case .walmart: "walmart"
        }
    }

    /// A human name for tables: "Amazon-like", "Walmart-like".
    public var title: String {
        switch self {
        case .amazon: "Amazon-like"
        case .walmart: "Walmart-like"
        }
    }
}
