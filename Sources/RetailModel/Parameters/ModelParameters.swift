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

/// Every parameter of the model, with its default. The nesting mirrors the
/// dotted paths of scenario files and `--set` (`amazon.prime.monthlyFee` is
/// `parameters.amazon.prime.monthlyFee`), so one search finds a parameter
/// wherever it is defined, checked, used and written. Bounds and the generated
/// reference are in the experiment layer's `ParameterCatalog` (docs/PARAMETERS.md).
public struct ModelParameters: Sendable, Equatable {
    public var population = PopulationParameters()
    public var geography = GeographyParameters()
    public var shoppers = ShopperParameters()
    public var choice = ChoiceParameters()
    public var amazon = AmazonParameters()
    public var walmart = WalmartParameters()
    public var membership = MembershipParameters()

    public init() {}

    /// The Prime-like (`amazon.prime`) or Walmart+-like (`walmart.plus`) programme.
    public subscript(programme: Programme) -> ProgrammeParameters {
        get { programme == .prime ? amazon.prime : walmart.plus }
        set { if programme == .prime { amazon.prime = newValue } else { walmart.plus = newValue } }
    }
}

/// `population.*`: how many agents and whom they stand for.
public struct PopulationParameters: Sendable, Equatable {
    /// Simulated shoppers.
    public var shoppers = 100_000
    /// People the simulated shoppers stand for (US 2024: 335 million).
    public var people = 335e6
    /// Share of people living in cities, 0-1 (US Census 2020: 0.80).
    public var urbanShare = 0.80
}

/// `geography.*`: the synthetic country.
public struct GeographyParameters: Sendable, Equatable {
    /// Width of the map, km.
    public var widthKm = 4500.0
    /// Height of the map, km.
    public var heightKm = 2500.0
    /// Cities (Zipf sizes, centres uniform on the map).
    public var cities = 300
    /// Rank-size exponent: population of rank k is proportional to k^-exponent (Gabaix 1999: about 1).
    public var zipfExponent = 1.0
    /// Spread of a city of 1 million people, km; scales with sqrt(population).
    public var citySpreadKm = 12.0
    /// Small towns that rural shoppers live around.
    public var towns = 3000
    /// Spread of rural shoppers around their town, km.
    public var townSpreadKm = 25.0
    /// Share of rural shoppers spread uniformly over the map, 0-1.
    public var remoteShare = 0.15
}

/// `shoppers.*`: the distributions each shopper's tastes are drawn from once.
public struct ShopperParameters: Sendable, Equatable {
    /// Multiplies every sigma; 0 makes all shoppers of a segment alike.
    public var heterogeneity = 1.0
    /// bPrice: utility per dollar (LogNormal).
    public var priceSensitivity = LogNormalSpec(median: 0.05, sigma: 0.4)
    /// bTime: utility per hour of waiting (LogNormal).
    public var timeSensitivity = LogNormalSpec(median: 0.02, sigma: 0.6)
    /// bTravel: utility per km travelled (LogNormal).
    public var travelSensitivity = LogNormalSpec(median: 0.08, sigma: 0.5)
    /// Digital affinity, utility: Normal with a mean per segment and one sd.
    public var onlineAffinity = SegmentedNormal(urban: 0.0, suburban: -0.3, rural: -0.8, sigma: 1.0)
    /// Trips per week (Gamma).
    public var tripsPerWeek = GammaSpec(shape: 4.0, scale: 0.4)
    /// Spend per trip, dollars (LogNormal).
    public var basketDollars = LogNormalSpec(median: 45, sigma: 0.5)
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

/// `choice.*`: the multinomial logit every trip is sent by.
public struct ChoiceParameters: Sendable, Equatable {
    /// Option constants (ASC), utility, indexed by `Option.rawValue`. Calibrated to
    /// Experiments/targets/us-2024.toml by `retailsim reproduce
    /// calibration-us-2024` (Results/calibration-us-2024); MODEL.md's
    /// uncalibrated -1.0, 0.3, -1.5, 0, -1.2 are Experiments/scenarios/uncalibrated.toml.
    public var constants: [Double] = [-2.8688, -1.4738, -4.0102, 0.0, -1.6886]
    /// gamma: weight of habit (loyalty) in utility.
    public var habitWeight = 1.5
    /// delta: weight of this week's share in the habit update, 0-1.
    public var habitDecay = 0.1
    /// How travel disutility grows with distance: linear or power (Huff).
    public var distanceDecay = DistanceDecay.linear
    /// lambda of the power (Huff) form.
    public var powerExponent = 2.0
    /// Shipping fee a non-member pays below the threshold, dollars an order.
    public var shippingFeeDollars = 6.99
    /// Baskets at or above this ship free, dollars.
    public var freeShippingThresholdDollars = 35.0
    /// Distance to the nearest other store per segment, km.
    public var otherStoreKm = PerSegment(urban: 3.0, suburban: 6.0, rural: 20.0)
    /// Delivery wait of other online shops, hours.
    public var otherOnlineHours = 72.0
    /// Distances below this count as this, km: a shopper next door still travels.
    public var minimumTravelKm = 0.5
}

/// A paid membership programme: `amazon.prime` (Prime-like) or `walmart.plus`
/// (Walmart+-like). One type, so that prime-or-plus logic is written once.
public struct ProgrammeParameters: Sendable, Equatable {
    /// false: no such programme at all (no members, nobody joins).
    public var enabled = true
    /// Membership fee, dollars a month.
    public var monthlyFee: Double
    /// Member share at week 0 per segment, 0-1.
    public var initialShare: PerSegment<Double>
}

/// `amazon.*`: the technology-first retailer.
public struct AmazonParameters: Sendable, Equatable {
    /// Initial price index p_A (market = 1).
    public var priceIndex = 1.0
    /// Gross margin on revenue, 0-1.
    public var grossMargin = 0.25
    /// Fulfilment centres, at the largest cities.
    public var fulfillmentCenters = 110
    /// Next-day radius of a fulfilment centre, km.
    public var nextDayRadiusKm = 300.0
    /// Initial same-day sites, at the largest cities.
    public var sameDaySites = 60
    /// Same-day radius of a site, km.
    public var sameDayRadiusKm = 40.0
    /// `amazon.hours.*`: delivery waits.
    public var hours = AmazonHours()
    /// `amazon.personalization.*`: AI personalisation.
    public var personalization = Personalization()
    /// `amazon.prime.*`: the Prime-like programme (fee: Amazon's page, 2024;
    /// initial shares calibrated with the constants, Results/calibration-us-2024).
    public var prime = ProgrammeParameters(monthlyFee: 14.99, initialShare: PerSegment(urban: 0.4133, suburban: 0.4637, rural: 0.3473))
    /// `amazon.strategy.*`: the quarterly strategy card.
    public var strategy = AmazonStrategyParameters()
    /// Fixed cost of each fulfilment centre or same-day site, dollars a quarter at full scale (illustrative).
    public var facilityCostDollarsPerQuarter = 120e6
}

/// `amazon.hours.*`: an Amazon-like order's delivery wait, hours.
public struct AmazonHours: Sendable, Equatable {
    /// A Prime member inside a same-day radius.
    public var sameDay = 8.0
    /// A Prime member inside a next-day radius.
    public var nextDay = 24.0
    /// A Prime member elsewhere.
    public var standard = 48.0
    /// A non-member anywhere.
    public var nonMember = 120.0
}

/// `amazon.personalization.*`: AI personalisation, utility.
public struct Personalization: Sendable, Equatable {
    /// Ceiling of the personalisation level pi, utility.
    public var max = 1.0
    /// A shopper's own orders at which its personalisation reaches 1 - 1/e of pi.
    public var ordersScale = 20.0
    /// Cumulative orders per shopper at which pi reaches 1 - 1/e of its ceiling (the data flywheel).
    public var flywheelScale = 50.0
}

/// `amazon.strategy.*`: technology first, every 13 weeks.
public struct AmazonStrategyParameters: Sendable, Equatable {
    /// false freezes every quarterly Amazon-like move.
    public var enabled = true
    /// AI dynamic pricing toward the target online share.
    public var dynamicPricing = true
    /// Largest relative price change a quarter, 0-1.
    public var maxPriceStep = 0.02
    /// Lowest price index.
    public var priceFloor = 0.92
    /// Highest price index.
    public var priceCeiling = 1.08
    /// Share of online spend that dynamic pricing aims to hold, 0-1.
    public var targetOnlineShare = 0.40
    /// Same-day sites added a quarter by greedy rural coverage.
    public var ruralSitesPerQuarter = 25
}

/// `walmart.*`: the integration-first retailer.
public struct WalmartParameters: Sendable, Equatable {
    /// Price index p_W (everyday low prices; market = 1).
    public var priceIndex = 0.97
    /// Gross margin on revenue, 0-1.
    public var grossMargin = 0.24
    /// People per store (sets the number of stores), people.
    public var peoplePerStore = 73_000.0
    /// Delivery radius of a hub, km.
    public var hubRadiusKm = 16.0
    /// Share of stores that start as hubs, 0-1.
    public var initialHubShare = 0.3
    /// `walmart.hours.*`: delivery waits.
    public var hours = WalmartHours()
    /// `walmart.inStock.*`: in-stock rates.
    public var inStock = InStock()
    /// zeta: utility per unit of log in-stock rate.
    public var serviceWeight = 2.0
    /// `walmart.plus.*`: the Walmart+-like programme (fee: Walmart's page, 2024;
    /// initial shares calibrated with the constants, Results/calibration-us-2024).
    public var plus = ProgrammeParameters(monthlyFee: 12.95, initialShare: PerSegment(urban: 0.1379, suburban: 0.1898, rural: 0.1641))
    /// `walmart.strategy.*`: the quarterly strategy card.
    public var strategy = WalmartStrategyParameters()
    /// Fixed cost of each store, dollars a quarter at full scale (illustrative).
    public var storeCostDollarsPerQuarter = 4.5e6
    /// Extra fixed cost of running a store as a hub, dollars a quarter at full scale (illustrative).
    public var hubCostDollarsPerQuarter = 0.5e6
}

/// `walmart.hours.*`: a Walmart-like online order's delivery wait, hours.
public struct WalmartHours: Sendable, Equatable {
    /// Inside a hub radius, before augmentation.
    public var hub = 3.0
    /// Inside a hub radius, once augmented.
    public var hubAugmented = 2.0
    /// Outside every hub radius.
    public var standard = 48.0
}

/// `walmart.inStock.*`: the share of a store's items on the shelf, 0-1.
public struct InStock: Sendable, Equatable {
    /// Before augmentation.
    public var before = 0.92
    /// Once augmented.
    public var after = 0.97
}

/// `walmart.strategy.*`: integration first, every 13 weeks.
public struct WalmartStrategyParameters: Sendable, Equatable {
    /// false freezes every quarterly Walmart-like move.
    public var enabled = true
    /// Stores converted to hubs a quarter by greedy coverage.
    public var hubsPerQuarter = 40
    /// AI tools for associates (in-stock, hub speed).
    public var augmentation = true
    /// Midpoint of the logistic roll-out, weeks.
    public var augmentationMidpointWeek = 52.0
    /// Scale of the logistic roll-out, weeks (about 4.4 scales from 10 % to 90 %).
    public var augmentationScaleWeeks = 8.0
}

/// `membership.*`: joining and leaving the programmes, every 4 weeks.
public struct MembershipParameters: Sendable, Equatable {
    /// false freezes both programmes.
    public var enabled = true
    /// p: innovation hazard, a month.
    public var innovation = 0.003
    /// q: imitation hazard per unit of local member share, a month.
    public var imitation = 0.04
    /// theta: weight of surplus value over the fee, a month. Calibrated
    /// (Results/calibration-us-2024): large, so shoppers join soon after
    /// membership pays for itself; MODEL.md's uncalibrated value is 0.08.
    public var valueWeight = 20.4339
    /// c: baseline churn hazard, a month.
    public var churn = 0.005
    /// phi: weight of the fee's excess over value, a month. Calibrated
    /// (Results/calibration-us-2024); MODEL.md's uncalibrated value is 0.08.
    public var churnValueWeight = 0.0345
    /// Whose members drive word of mouth.
    public var localScope = LocalScope.city
}
