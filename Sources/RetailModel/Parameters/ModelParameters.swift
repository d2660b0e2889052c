/// Every parameter of the model, with its default. The nesting mirrors the
/// dotted paths of scenario files and `--set` (`amazon.prime.monthlyFee` is
/// `parameters.amazon.prime.monthlyFee`), so one search finds a parameter
/// wherever it is defined, checked, used and written. Bounds and the generated
/// reference are in the experiment layer's `ParameterCatalog` (docs/PARAMETERS.md).
public struct ModelParameters: Sendable, Equatable {
    public var population = PopulationParameters()
    public var geography = GeographyParameters()
    public var shoppers = HouseholdParameters()
    public var choice = ChoiceParameters()
    public var amazon = AmazonParameters()
    public var walmart = WalmartParameters()
    public var membership = MembershipParameters()
    public var start = StartParameters()
    public var trend = TrendParameters()

    public init() {}

    /// The Prime-like (`amazon.prime`) or Walmart+-like (`walmart.plus`) programme.
    public subscript(programme: Programme) -> ProgrammeParameters {
        get { programme == .prime ? amazon.prime : walmart.plus }
        set { if programme == .prime { amazon.prime = newValue } else { walmart.plus = newValue } }
    }

    /// How many real units one agent stands for: US households in the real
    /// country, where an agent is a household; people in the synthetic one,
    /// where it is a shopper. The ledger's fixed costs, the outputs' totals
    /// and the summary table all scale by it (the one definition).
    public var agentScale: Double {
        (geography.kind == .us ? population.households : population.people) / Double(population.shoppers)
    }
}

/// `population.*`: how many agents and whom they stand for.
public struct PopulationParameters: Sendable, Equatable {
    /// Simulated shoppers.
    public var shoppers = 100_000
    /// People the simulated households stand for (US 2024: 335 million).
    public var people = 335e6
    /// Share of people living in cities, 0-1 (US Census 2020: 0.80); synthetic country only.
    public var urbanShare = 0.80
    /// Households the simulated households stand for in the real country
    /// (`geography.kind` "us"): about 131 million (ACS 2023).
    public var households = 131e6
}

/// `geography.*`: the country. "us" (the default) is the real one from a
/// regions file (docs/GEOGRAPHY.md); "synthetic" the Zipf country of versions
/// before 0.7.0, kept for closed-form experiments and tests (the rest of these).
public struct GeographyParameters: Sendable, Equatable {
    /// Which country.
    public var kind = GeographyKind.us
    /// Regions file for "us"; empty: the built-in one (ACS 2018-2022 ZCTAs).
    public var regionsFile = ""
    /// Households per square mile of land at and above which a region is urban,
    /// and below which it is rural (suburban between): Kolko (2015), who set
    /// these ZIP-code cut-offs to match how Americans describe their own
    /// neighbourhood in the American Housing Survey, the same self-description
    /// the Cowen and Pew place figures use.
    public var urbanHouseholdsPerSqMi = 2213.0
    public var ruralHouseholdsPerSqMi = 102.0
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
    /// Small towns that rural households live around.
    public var towns = 3000
    /// Spread of rural households around their town, km.
    public var townSpreadKm = 25.0
    /// Share of rural households spread uniformly over the map, 0-1.
    public var remoteShare = 0.15
}

/// `shoppers.*`: the distributions each household's tastes are drawn from once.
public struct HouseholdParameters: Sendable, Equatable {
    /// Multiplies every sigma; 0 makes all households of a segment alike.
    public var heterogeneity = 1.0
    /// bPrice: utility per dollar (LogNormal). Median calibrated (0.9.0) to
    /// the price, distance and delivery responses of
    /// Experiments/targets/us-responses.toml (Hoch et al.'s store response,
    /// Einav et al.'s online one), no longer to margins.
    public var priceSensitivity = LogNormalSpec(median: 0.01595, sigma: 0.4)
    /// bTime: utility per unit of ln(1 + wait / 24 h) (LogNormal; per hour
    /// of waiting when `choice.waitForm` is "linear"). Median calibrated
    /// (0.9.0) to Fisher, Gallino and Xu (2019) as a response: a business day
    /// sooner raises the Amazon-like retailer's online sales 1.5 %.
    public var timeSensitivity = LogNormalSpec(median: 0.01706, sigma: 0.6)
    /// bTravel: utility per km travelled (LogNormal), used only when
    /// `choice.distanceDecay` is "linear"; the default prices travel in money.
    public var travelSensitivity = LogNormalSpec(median: 0.08, sigma: 0.5)
    /// Value of travel time, dollars an hour (LogNormal): US DOT guidance for
    /// local personal travel, half of the median household income per hour
    /// (Census 2023: $80,610 / 2,080 h / 2 = $19.38); sigma 0.9 gives a Gini of
    /// 0.48, about the Census's for household income.
    public var valueOfTime = LogNormalSpec(median: 19.38, sigma: 0.9)
    /// Digital affinity, utility: Normal with a mean per segment and one sd.
    public var onlineAffinity = SegmentedNormal(urban: 0.0, suburban: -0.3, rural: -0.8, sigma: 1.0)
    /// Household income (real country only): LogNormal around the region's
    /// median, with the sigma the region's Gini implies (G = 2 Phi(sigma / sqrt 2) - 1).
    /// This is the income tastes are measured against, dollars a year: the
    /// ACS 2018-2022 US median household income.
    public var referenceIncome = 75_149.0
    /// eta: bPrice scales as (income / referenceIncome)^-eta. 1 is the
    /// marginal utility of money of a log-income utility, alpha ln(y - p)
    /// (Berry, Levinsohn and Pakes 1995): a dollar weighs in proportion to 1 / y.
    public var priceIncomeElasticity = 1.0
    /// alpha_y: digital affinity added per unit of ln(income / referenceIncome),
    /// utility. Calibrated to online share by income (Visa, via Dolfen et al.;
    /// Results/calibration-us-2024).
    public var onlineIncomeWeight = 0.7003
    /// sigma_W: sd of a household's taste for the Walmart-like online
    /// channels (WO and pickup), utility, Normal around 0, beyond the digital
    /// affinity all online options share: an error component, so that the
    /// households who order from Walmart online a lot are the ones a Walmart+
    /// membership is worth most to (docs/MODEL.md section 5). 0: no such taste.
    public var walmartOnlineTasteSigma = 0.6583
    /// Trips per week (Gamma).
    public var tripsPerWeek = GammaSpec(shape: 4.0, scale: 0.4)
    /// Spend per trip, dollars (LogNormal).
    public var basketDollars = LogNormalSpec(median: 45, sigma: 0.5)
}

/// `choice.*`: the nested logit every trip is sent by.
public struct ChoiceParameters: Sendable, Equatable {
    /// Option constants (ASC), utility, indexed by `Option.rawValue`. Calibrated to
    /// Experiments/targets/us-2024.toml by `retailsim reproduce
    /// calibration-us-2024` (Results/calibration-us-2024); MODEL.md's
    /// uncalibrated -1.0, 0.3, -1.5, 0, -1.2 are Experiments/scenarios/uncalibrated.toml.
    /// WP's (pickup) is fitted since 0.11.0.
    public var constants: [Double] = [-1.7116, -1.8473, -3.2725, 0.0, -1.4785, -3.3225]
    /// gamma: weight of habit (loyalty) in utility.
    public var habitWeight = 1.5
    /// delta: weight of this week's share in the habit update, 0-1.
    public var habitDecay = 0.1
    /// lambda of the nest of the Walmart-like store and online options, 0.01-1
    /// (calibrated, 0.9.0):
    /// how independent a retailer's two channels are (1: no nest, the plain
    /// logit; towards 0: a closer store takes its trips from the same
    /// retailer's online orders first, as Shriver and Bollinger measured).
    public var walmartNest = 0.4353
    /// lambda of the nest of the Amazon-like and other online shops, 0.01-1
    /// (calibrated, 0.9.0; 1:
    /// no nest; towards 0: an online order moves between sellers before it
    /// moves to a store, so one seller's price matters more online).
    public var onlineNest = 0.9989
    /// How travel disutility grows with distance: a money cost (the default),
    /// linear in km, or power (Huff).
    public var distanceDecay = DistanceDecay.generalisedCost
    /// How the delivery wait enters utility: ln(1 + wait / 24 h) (concave, the
    /// default) or linear in hours.
    public var waitForm = WaitForm.log
    /// Variable cost of driving, dollars a km: the IRS 2024 medical and moving
    /// rate (21 cents a mile), which counts only operating costs.
    public var vehicleCostDollarsPerKm = 0.1305
    /// Driving speed by segment, km/h (generalised cost only): typical local
    /// speeds, slower in cities.
    public var travelSpeedKmh = PerSegment(urban: 30.0, suburban: 45.0, rural: 65.0)
    /// lambda of the power (Huff) form.
    public var powerExponent = 2.0
    /// Shipping fee a non-member pays below the threshold, dollars an order.
    public var shippingFeeDollars = 6.99
    /// How much a dollar of delivery or shipping fee weighs against a dollar
    /// of price, 1 or more: shoppers answer fees more than prices (Lewis 2006,
    /// an online grocer's order incidence; partitioned-price studies). 1: a
    /// fee is a price. Set from outside evidence since 0.13.0: free shipping
    /// worth $6.99 draws more than $10 off the price (Bell, reported by
    /// Knowledge@Wharton), 10 / 6.99 = 1.43 (0.12.0 fitted it, to 10.74).
    public var feeWeight = 1.43
    /// w: how much a store's price difference from the market's (the other
    /// sellers', 1.00) weighs against the same difference online, 0-10
    /// (fitted since 0.14.0). A store basket is paid in full, but a store's
    /// everyday price is compared far less than an online one (Hoch, Dreze
    /// and Purk: about -0.3 for an everyday price in store; Einav et al.:
    /// about -2 online, where the next seller is a click away; Dickson and
    /// Sawyer 1990: fewer than half of supermarket shoppers could name the
    /// price of an item just put in the cart). Pickup is ordered online and
    /// read in full; fees, travel, memberships and the value of a
    /// household's money stay at bPrice. 1: every price read alike (0.13.0's model).
    public var storePriceWeight = 0.3993
    /// Baskets at or above this ship free, dollars.
    public var freeShippingThresholdDollars = 35.0
    /// Distance to the nearest other store per segment, km: USDA ERS medians
    /// to the nearest supermarket, 0.69 mi urban and 3.11 mi rural; suburban
    /// takes FoodAPS's national median to the nearest store, 2.14 mi.
    public var otherStoreKm = PerSegment(urban: 1.11, suburban: 3.44, rural: 5.0)
    /// Delivery wait of other online shops, hours.
    public var otherOnlineHours = 72.0
    /// Distances below this count as this, km: a household next door still travels.
    public var minimumTravelKm = 0.5
    /// `choice.grocery.*`: the grocery and household essentials category.
    public var grocery = GroceryParameters()
}

/// `choice.grocery.*`: grocery and household essentials, the category beside
/// general merchandise (docs/MODEL.md section 5). Each week a household's
/// trips are grocery with chance `tripShare`, general merchandise otherwise;
/// a grocery trip's utilities are a general one's plus the shifts below and,
/// on a fresh trip (chance `freshShare`), less the cost of a wait past the day. With `tripShare` 0 every trip is
/// general merchandise and the model is the one without categories.
public struct GroceryParameters: Sendable, Equatable {
    /// Share of trips (and, with one basket, of spend) that are grocery, 0-1:
    /// 0.074 x 0.598 / 0.212 = 0.21, Walmart's share of all retail times
    /// grocery's share of Walmart over Walmart's share of grocery.
    public var tripShare = 0.21
    /// Utility added to a grocery trip's online options (A, WO, OO, WP).
    public var onlineShift = -0.5029
    /// Utility added to a grocery trip's Walmart-like options (WS, WO, WP).
    public var walmartShift = 1.98
    /// Utility a grocery order loses for each day its wait passes the
    /// first (decided, not fitted: no calibration figure pins it): an order
    /// two days away keeps e^-1 = 37 % of its odds, five days away 2 %.
    public var lateDayWeight = 1.0
    /// Wait of other sellers' fresh grocery orders, hours: beside the two
    /// retailers, grocers and platforms (Instacart, Shipt, the grocers' own)
    /// deliver or hand over groceries within the day (0.18.0; before, general
    /// merchandise's 72 hours). A shelf-stable trip's order from them waits
    /// `choice.otherOnlineHours`.
    public var otherOnlineHours = 8.0
    /// Share of grocery trips that are fresh, 0-1: produce, meat, dairy,
    /// deli, bakery and frozen, which must come cold or the same day. The
    /// rest are shelf-stable essentials (pantry, cleaning, paper, pet) that a
    /// parcel brings as well as a van: no cost for a late day, and other
    /// sellers ship them on their general wait. 0.45 from category sales
    /// (decided, band 0.35-0.55; docs/MODEL.md section 5); 1: every grocery
    /// trip is fresh (0.15.0's model).
    public var freshShare = 0.45
}

/// `membership.*`: joining and leaving the programmes, after each calendar month.
public struct MembershipParameters: Sendable, Equatable {
    /// false freezes both programmes.
    public var enabled = true
    /// p: innovation hazard, a month.
    public var innovation = 0.003
    /// q: imitation hazard per unit of local member share, a month.
    public var imitation = 0.04
    /// theta: weight of surplus value over the fee, a month. Set, not fitted:
    /// a household for whom membership is worth 1.5 times the fee joins within a
    /// year with probability 1/2 (12 theta 0.5 = ln 2), so joining follows
    /// value without being certain.
    public var valueWeight = 0.1155
    /// c: churn hazard after the first year, a month: CIRP's later-year Prime
    /// renewal of 98 % (2021), -ln(0.98) / 12.
    public var churn = 0.00168
    /// Churn hazard in the first 12 months of membership, a month: CIRP's
    /// first-year renewal of 93 %, -ln(0.93) / 12.
    public var firstYearChurn = 0.00605
    /// phi: weight of the fee's excess over value, a month; as theta, so that
    /// a member responds to a loss of surplus as a non-member to a gain.
    public var churnValueWeight = 0.1155
    /// Whose members drive word of mouth.
    public var localScope = LocalScope.city
}

/// `start.*`: how a replicate reaches week 1 (docs/MODEL.md section 2).
public struct StartParameters: Sendable, Equatable {
    /// Passes of h <- P(V + gamma h) that put each household's habits at their
    /// own fixed point before the burn-in (0: habits start at zero).
    public var habitIterations = 30
    /// Weeks simulated before week 1 with strategies and prices frozen, so
    /// that memberships and habits are in their steady state at week 1.
    public var burnInWeeks = 52
}

/// `trend.*`: what changes over the years besides the published inputs
/// (docs/MODEL.md section 13): the history's drivers. Each is zero from
/// `anchor` on, the calibrated present, so a run from it is the calibrated
/// market; before it, each moves the market back by the years between.
public struct TrendParameters: Sendable, Equatable {
    /// The date at and after which every driver is zero (days since
    /// 1970-01-01): the date the 2024 cross-section was fitted at. Amazon's
    /// personalisation flywheel also counts orders from it (the
    /// personalisation Amazon had by then is in the fitted constants).
    public var anchor = WeekCalendar.baselineStart
    /// Utility every online option (A, WO, OO, WP) lacks for each year a
    /// week lies before `anchor`: the spread of shopping online (devices,
    /// trust, habits) as a linear trend in utility, a logistic diffusion in
    /// shares. Fitted on the history's calibration figures.
    public var onlineUtilityPerYear = 0.0
    /// Utility Walmart's online options (WO, WP) lack besides, for each year
    /// before `anchor`: Walmart's online offer catching up with the market's
    /// (assortment, app, two-day shipping) beyond its pickup and delivery
    /// networks, which are inputs. Fitted on the history's calibration figures.
    public var walmartOnlineUtilityPerYear = 0.0
    /// Yearly growth of Prime's benefit beyond delivery (video, music,
    /// other services): before `anchor` the benefit is its median times
    /// exp(-rate x years before). Fitted on the history's calibration figures.
    public var primeBenefitGrowthPerYear = 0.0
}
