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
public enum DistanceDecay: String, Sendable, Equatable, CaseIterable {
    /// -bTravel * km (the default).
    case linear
    /// -lambda * log(km): Huff's gravity model.
    case power
}

/// Whose members a shopper's word-of-mouth share counts.
public enum LocalScope: String, Sendable, Equatable, CaseIterable {
    /// The member share of the shopper's own city (rural shoppers: of all rural shoppers).
    case city
    /// The member share of the whole population (the aggregate Bass model).
    case population
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
