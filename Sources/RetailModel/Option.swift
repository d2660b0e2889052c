/// Where a shopping trip goes: the five options of every choice.
public enum Option: Int, CaseIterable, Sendable, Codable {
    /// Amazon-like online order (technology-first retailer).
    case amazon = 0
    /// Walmart-like store visit (integration-first retailer).
    case walmartStore = 1
    /// Walmart-like online order, delivered or picked up.
    case walmartOnline = 2
    /// Any other store.
    case otherStore = 3
    /// Any other online shop.
    case otherOnline = 4

    /// The code used in output files: A, WS, WO, OS, OO.
    public var code: String {
        switch self {
        case .amazon: "A"
        case .walmartStore: "WS"
        case .walmartOnline: "WO"
        case .otherStore: "OS"
        case .otherOnline: "OO"
        }
    }

    /// A human name for tables.
    public var title: String {
        switch self {
        case .amazon: "Amazon-like online"
        case .walmartStore: "Walmart-like store"
        case .walmartOnline: "Walmart-like online"
        case .otherStore: "other stores"
        case .otherOnline: "other online"
        }
    }

    /// Online options get the shopper's digital affinity and a delivery wait.
    public var isOnline: Bool { self == .amazon || self == .walmartOnline || self == .otherOnline }

    public static let count = 5
}

/// Where a shopper lives.
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
}
