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

/// Every parameter of the model (MODEL.md sections 3-7), with its default.
/// Units are in the names or the doc comments; paths are given by the
/// experiment layer's parameter catalogue.
public struct ModelParameters: Sendable, Equatable {
    public var population = PopulationParameters()
    public var geography = GeographyParameters()
    public var shoppers = ShopperParameters()
    public var choice = ChoiceParameters()
    public var amazon = AmazonParameters()
    public var walmart = WalmartParameters()
    public var membership = MembershipParameters()

    public init() {}
}

public struct PopulationParameters: Sendable, Equatable {
    /// Simulated shoppers.
    public var shoppers = 100_000
    /// People the simulated shoppers stand for.
    public var people = 335e6
    /// Share of people living in cities.
    public var urbanShare = 0.80
}

public struct GeographyParameters: Sendable, Equatable {
    public var widthKm = 4500.0
    public var heightKm = 2500.0
    public var cities = 300
    /// Rank-size exponent: population of rank k is proportional to k^-exponent.
    public var zipfExponent = 1.0
    /// Spread of a city of 1 million people, km; scales with sqrt(population).
    public var citySpreadKm = 12.0
    public var towns = 3000
    /// Spread of rural shoppers around their town, km.
    public var townSpreadKm = 25.0
    /// Share of rural shoppers spread uniformly over the map.
    public var remoteShare = 0.15
}

public struct ShopperParameters: Sendable, Equatable {
    /// Multiplies every sigma; 0 makes all shoppers of a segment alike.
    public var heterogeneity = 1.0
    /// Utility per dollar.
    public var priceSensitivity = LogNormalSpec(median: 0.05, sigma: 0.4)
    /// Utility per hour of waiting.
    public var timeSensitivity = LogNormalSpec(median: 0.02, sigma: 0.6)
    /// Utility per km travelled.
    public var travelSensitivity = LogNormalSpec(median: 0.08, sigma: 0.5)
    /// Mean digital affinity per segment.
    public var onlineAffinity = PerSegment(urban: 0.0, suburban: -0.3, rural: -0.8)
    public var onlineAffinitySigma = 1.0
    /// Gamma shape of trips per week.
    public var tripsShape = 4.0
    /// Gamma scale of trips per week.
    public var tripsScale = 0.4
    /// Spend per trip, dollars.
    public var basketDollars = LogNormalSpec(median: 45, sigma: 0.5)
}

public struct ChoiceParameters: Sendable, Equatable {
    /// Option constants (ASC), indexed by `Option.rawValue`. Calibrated to
    /// Experiments/targets/us-2024.toml by `retailsim reproduce
    /// calibration-us-2024` (Results/calibration-us-2024); MODEL.md's
    /// uncalibrated -1.0, 0.3, -1.5, 0, -1.2 are Experiments/scenarios/uncalibrated.toml.
    public var constants: [Double] = [-2.8688, -1.4738, -4.0102, 0.0, -1.6886]
    /// gamma: weight of habit in utility.
    public var habitWeight = 1.5
    /// delta: weight of this week's share in the habit update.
    public var habitDecay = 0.1
    public var distanceDecay = DistanceDecay.linear
    /// lambda of the power form.
    public var powerExponent = 2.0
    public var shippingFeeDollars = 6.99
    public var freeShippingThresholdDollars = 35.0
    /// Distance to the nearest other store per segment, km.
    public var otherStoreKm = PerSegment(urban: 3.0, suburban: 6.0, rural: 20.0)
    /// Delivery wait of other online shops, hours.
    public var otherOnlineHours = 72.0
    /// Distances below this count as this, km: a shopper next door still travels.
    public var minimumTravelKm = 0.5
}

public struct AmazonParameters: Sendable, Equatable {
    public var priceIndex = 1.0
    public var grossMargin = 0.25
    public var fulfillmentCenters = 110
    public var nextDayRadiusKm = 300.0
    public var sameDaySites = 60
    public var sameDayRadiusKm = 40.0
    /// Delivery waits, hours.
    public var hoursSameDay = 8.0
    public var hoursNextDay = 24.0
    public var hoursStandard = 48.0
    public var hoursNonMember = 120.0
    /// Ceiling of the personalisation level pi.
    public var personalizationMax = 1.0
    /// Orders at which a shopper's personalisation reaches 1 - 1/e of pi.
    public var personalizationOrdersScale = 20.0
    /// Cumulative orders per shopper at which pi reaches 1 - 1/e of its ceiling.
    public var flywheelScale = 50.0
    /// false: no Prime-like programme at all (no members, nobody joins).
    public var primeEnabled = true
    public var primeMonthlyFee = 14.99
    /// Calibrated with the constants (Results/calibration-us-2024).
    public var primeInitialShare = PerSegment(urban: 0.4133, suburban: 0.4637, rural: 0.3473)
    public var strategyEnabled = true
    public var dynamicPricing = true
    /// Largest relative price change a quarter.
    public var maxPriceStep = 0.02
    public var priceFloor = 0.92
    public var priceCeiling = 1.08
    /// Share of online spend that dynamic pricing aims to hold.
    public var targetOnlineShare = 0.40
    public var ruralSitesPerQuarter = 25
    /// Fixed cost of each fulfilment centre or same-day site, dollars a quarter at full scale.
    public var facilityCostDollarsPerQuarter = 120e6
}

public struct WalmartParameters: Sendable, Equatable {
    public var priceIndex = 0.97
    public var grossMargin = 0.24
    public var peoplePerStore = 73_000.0
    public var hubRadiusKm = 16.0
    public var initialHubShare = 0.3
    /// Delivery waits, hours.
    public var hoursHub = 3.0
    public var hoursHubAugmented = 2.0
    public var hoursStandard = 48.0
    public var inStockBefore = 0.92
    public var inStockAfter = 0.97
    /// zeta: utility per unit of log in-stock rate.
    public var serviceWeight = 2.0
    /// false: no Walmart+-like programme at all (no members, nobody joins).
    public var plusEnabled = true
    public var plusMonthlyFee = 12.95
    /// Calibrated with the constants (Results/calibration-us-2024).
    public var plusInitialShare = PerSegment(urban: 0.1379, suburban: 0.1898, rural: 0.1641)
    public var strategyEnabled = true
    public var hubsPerQuarter = 40
    public var augmentation = true
    public var augmentationMidpointWeek = 52.0
    /// Scale of the logistic roll-out, weeks (about 4.4 scales from 10 % to 90 %).
    public var augmentationScaleWeeks = 8.0
    /// Fixed cost of each store, dollars a quarter at full scale.
    public var storeCostDollarsPerQuarter = 4.5e6
    /// Extra fixed cost of running a store as a hub, dollars a quarter at full scale.
    public var hubCostDollarsPerQuarter = 0.5e6
}

public struct MembershipParameters: Sendable, Equatable {
    public var enabled = true
    /// p: innovation hazard, a month.
    public var innovation = 0.003
    /// q: imitation hazard per unit of local member share, a month.
    public var imitation = 0.04
    /// theta: weight of surplus value over the fee. Calibrated
    /// (Results/calibration-us-2024): large, so shoppers join soon after
    /// membership pays for itself; MODEL.md's uncalibrated value is 0.08.
    public var valueWeight = 20.4339
    /// c: baseline churn hazard, a month.
    public var churn = 0.005
    /// phi: weight of the fee's excess over value. Calibrated
    /// (Results/calibration-us-2024); MODEL.md's uncalibrated value is 0.08.
    public var churnValueWeight = 0.0345
    public var localScope = LocalScope.city
}
