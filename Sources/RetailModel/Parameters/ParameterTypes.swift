/// A value for each of the three segments.
public struct PerSegment<Value: Sendable & Equatable>: Sendable, Equatable {
    public var urban: Value
    public var suburban: Value
    public var rural: Value

    public init(urban: Value, suburban: Value, rural: Value) {
        self.urban = urban
        self.suburban = suburban
        self.rural = rural
    }

    public subscript(segment: Segment) -> Value {
        get {
            switch segment {
            case .urban: urban
            case .suburban: suburban
            case .rural: rural
            }
        }
        set {
            switch segment {
            case .urban: urban = newValue
            case .suburban: suburban = newValue
            case .rural: rural = newValue
            }
        }
    }
}

/// A log-normally distributed attribute: its median and the sigma of its log.
public struct LogNormalSpec: Sendable, Equatable {
    public var median: Double
    public var sigma: Double
}

/// How the disutility of travel grows with distance.
/// Which country the households live in (docs/GEOGRAPHY.md).
public enum GeographyKind: String, Sendable, Equatable, CaseIterable {
    /// Households at their ZCTAs, from a regions file; networks from published counts.
    case us
    /// The Zipf cities and towns of versions before 0.7.0.
    case synthetic
}

public enum DistanceDecay: String, Sendable, Equatable, CaseIterable {
    /// -bPrice * 2 km * (vehicle cost + value of time / speed): a money cost (the default).
    case generalisedCost
    /// -bTravel * 2 km.
    case linear
    /// -lambda * log(km): Huff's gravity model.
    case power
}

/// Whose members a household's word-of-mouth share counts.
public enum LocalScope: String, Sendable, Equatable, CaseIterable {
    /// The member share of the household's own city (rural households: of all rural households).
    case city
    /// The member share of the whole population (the aggregate Bass model).
    case population
    /// What a non-member can expect of its neighbours: its city's members
    /// over its other households, shrunk toward the population's share by
    /// an empirical Bayes estimate (docs/MODEL.md section 6), so that a
    /// city's few simulated households neither lower nor jolt it.
    case others
}

/// A Gamma-distributed attribute.
public struct GammaSpec: Sendable, Equatable {
    /// Shape k.
    public var shape: Double
    /// Scale theta, in the attribute's unit; the mean is shape x scale.
    public var scale: Double
}

/// A Normal attribute whose mean depends on the segment and whose sd does not.
public struct SegmentedNormal: Sendable, Equatable {
    public var urban: Double
    public var suburban: Double
    public var rural: Double
    /// Standard deviation, in the attribute's unit.
    public var sigma: Double

    /// The mean for `segment`.
    public subscript(segment: Segment) -> Double {
        switch segment {
        case .urban: urban
        case .suburban: suburban
        case .rural: rural
        }
    }
}

/// Where the real country's Walmart-like stores go, state by state (docs/GEOGRAPHY.md section 4).
public enum StoreSiting: String, Sendable, Equatable, CaseIterable {
    /// `walmart.network.stores` shared by state population (the default before 0.18.0).
    case population
    /// Shared by the stores file's published counts (`walmart.network.storesFile`).
    case published
}

/// How a delivery wait enters utility.
public enum WaitForm: String, Sendable, Equatable, CaseIterable {
    /// -bTime * ln(1 + hours / 24): each day counts less than the one before (the default).
    case log
    /// -bTime * hours (versions before 0.6.0).
    case linear
}

/// How the Amazon-like retailer sets its price index each quarter (docs/MODEL.md section 7).
public enum PricingRule: String, Sendable, Equatable, CaseIterable {
    /// Moves toward the Walmart-like price times (1 + gap): matching (the default).
    case match
    /// Moves toward the profit-maximising price on the model's own demand.
    case bestResponse
    /// Estimates its elasticity from price tests and prices by the Lerner rule.
    case learn
    /// Holds a target share of online spend (a counterfactual: the rule before 0.6.0).
    case shareTarget
    /// Never moves.
    case fixed
}

/// How the Walmart-like retailer sets its price index.
public enum WalmartPricing: String, Sendable, Equatable, CaseIterable {
    /// Everyday low prices: the committed `walmart.priceIndex` (the default).
    case edlp
    /// Once a year, the profit-maximising price given the Amazon-like reaction.
    case leader
}
