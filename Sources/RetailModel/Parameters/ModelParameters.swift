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
