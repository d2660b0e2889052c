/// A paid membership programme: `amazon.prime` (Prime-like) or `walmart.plus`
/// (Walmart+-like). One type, so that prime-or-plus logic is written once.
public struct ProgrammeParameters: Sendable, Equatable {
    /// false: no such programme at all (no members, nobody joins).
    public var enabled = true
    /// Membership fee, dollars a month.
    public var monthlyFee: Double
    /// Member share at the start of the burn-in per segment, 0-1.
    public var initialShare: PerSegment<Double>
    /// What membership is worth to a household beyond delivery (video, music,
    /// fuel discounts), dollars a month: LogNormal across households.
    public var benefitDollars: LogNormalSpec
}

/// `amazon.*`: the technology-first retailer.
public struct AmazonParameters: Sendable, Equatable {
    /// Price index p_A at the start (market = 1): the matched price,
    /// walmart.priceIndex x (1 + amazon.strategy.priceGap), so that the
    /// default rule starts where it rests.
    public var priceIndex = 0.9419
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
    /// `amazon.prime.*`: the Prime-like programme. `amazon.prime.monthlyFee`
    /// $14.99 a month (Amazon's page, 2024); `amazon.prime.initialShare` the
    /// calibration target, where the burn-in starts; `benefitDollars.median`
    /// calibrated with the constants (Results/calibration-us-2024), its sigma
    /// set to 1 (not pinned by the targets).
    public var prime = ProgrammeParameters(monthlyFee: 14.99, initialShare: PerSegment(urban: 0.54, suburban: 0.54, rural: 0.54),
                                                benefitDollars: LogNormalSpec(median: 6.5495, sigma: 1))
    /// `amazon.strategy.*`: the quarterly strategy card.
    public var strategy = AmazonStrategyParameters()
    /// Fixed cost of each fulfilment centre or same-day site, dollars a quarter at full scale (illustrative).
    public var facilityCostDollarsPerQuarter = 120e6
    /// `amazon.network.*`: the network in the real country (the counts above are the synthetic one's).
    public var network = AmazonNetwork()
}

/// `amazon.network.*`: the Amazon-like network in the real country, from
/// published counts (docs/GEOGRAPHY.md section 4).
public struct AmazonNetwork: Sendable, Equatable {
    /// Large fulfilment centres: about 305 (BigRentz via DC Velocity,
    /// 2021-22): California 35, Texas 28, New Jersey 17, none in AK, HI, ME,
    /// NH and VT, the rest by population, at least one a state.
    public var fulfillmentCenters = 305
    /// Metros with same-day sites at week 1 (January 2024): over 90 in July
    /// 2023 and over 120 in July 2024 (Amazon), halfway.
    public var sameDayMetros = 105
    /// Share of a metro's households its same-day sites cover, 0-1 (sites are
    /// added by greedy coverage until this is reached; a choice).
    public var sameDayMetroCoverage = 0.9
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
    /// A household's own orders at which its personalisation reaches 1 - 1/e of pi.
    public var ordersScale = 20.0
    /// Cumulative orders per household at which pi reaches 1 - 1/e of its ceiling (the data flywheel).
    public var flywheelScale = 50.0
}

/// `amazon.strategy.*`: technology first, every 13 weeks.
public struct AmazonStrategyParameters: Sendable, Equatable {
    /// false freezes every quarterly Amazon-like move.
    public var enabled = true
    /// How the price index moves each quarter (docs/MODEL.md section 7).
    public var pricing = PricingRule.match
    /// g: the price gap `match` holds, p_A = p_W (1 + g): Walmart.com 3 % above
    /// Amazon on matched items (Profitero 2017), so g = 1/1.03 - 1; Market Track
    /// (2017) found 0.3 %.
    public var priceGap = -0.029
    /// lambda: share of the distance to the matched price closed a quarter, 0-1.
    public var matchSpeed = 0.5
    /// Largest relative price change a quarter under `bestResponse`, `learn`
    /// and `shareTarget`, 0-1.
    public var maxPriceStep = 0.02
    /// Lowest price index any rule may set.
    public var priceFloor = 0.8
    /// Highest price index any rule may set.
    public var priceCeiling = 1.6
    /// `learn`: share of chunks of households in a quarter's price test, 0-1.
    public var testShare = 0.2
    /// `learn`: the test's relative price change, up in even weeks and down in odd ones.
    public var testStep = 0.02
    /// `learn`: weight of a new estimate of the elasticity, 0-1.
    public var learningWeight = 0.5
    /// `shareTarget` (a counterfactual, the rule of versions before 0.6.0):
    /// share of online spend the price is moved to hold, 0-1.
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
    /// People per store (sets the number of stores), people. Synthetic
    /// country only: the real one has `network.stores`.
    public var peoplePerStore = 73_000.0
    /// Delivery radius of a hub, km. Synthetic country only: in the real one
    /// each store's radius comes from `network.deliveryWindowHours` and the
    /// density class's speed (`run` and `scenario check` warn if it is set there).
    public var hubRadiusKm = 16.0
    /// Share of stores that start as hubs, 0-1.
    public var initialHubShare = 0.3
    /// An intervention of the response experiments (Shriver and Bollinger's
    /// closer store): every household's distance to its nearest store is
    /// multiplied by this. 1: the stores as sited.
    public var storeDistanceMultiplier = 1.0
    /// `walmart.hours.*`: delivery waits.
    public var hours = WalmartHours()
    /// `walmart.pickup.*`: online orders collected at a store.
    public var pickup = WalmartPickup()
    /// `walmart.storeDelivery.*`: the fees of an order delivered from a store.
    public var storeDelivery = WalmartStoreDelivery()
    /// `walmart.inStock.*`: in-stock rates.
    public var inStock = InStock()
    /// zeta: utility per unit of log in-stock rate.
    public var serviceWeight = 2.0
    /// `walmart.plus.*`: the Walmart+-like programme. `walmart.plus.monthlyFee`
    /// $12.95 a month (Walmart's page, 2024); `walmart.plus.initialShare` the
    /// calibration target, where the burn-in starts; `benefitDollars.median`
    /// calibrated (Results/calibration-us-2024), its sigma set to 1.
    public var plus = ProgrammeParameters(monthlyFee: 12.95, initialShare: PerSegment(urban: 0.185, suburban: 0.185, rural: 0.185),
                                           benefitDollars: LogNormalSpec(median: 2.2541, sigma: 1))
    /// `walmart.strategy.*`: the quarterly strategy card.
    public var strategy = WalmartStrategyParameters()
    /// Fixed cost of each store, dollars a quarter at full scale (illustrative).
    public var storeCostDollarsPerQuarter = 4.5e6
    /// Extra fixed cost of running a store as a hub, dollars a quarter at full scale (illustrative).
    public var hubCostDollarsPerQuarter = 0.5e6
    /// `walmart.network.*`: the network in the real country (peoplePerStore,
    /// hubRadiusKm and initialHubShare are the synthetic one's).
    public var network = WalmartNetwork()
}

/// `walmart.network.*`: the Walmart-like network in the real country, from
/// published counts and sited by rules (docs/GEOGRAPHY.md section 4).
public struct WalmartNetwork: Sendable, Equatable {
    /// US stores: 4,611 (October 2024, ScrapeHero; 4,717 in January 2023, 10-K).
    public var stores = 4611
    /// Stores offering delivery at week 1 (January 2024): the published path
    /// 3,900 (February 2023), 4,200 (Q3 FY24, October 2023), 4,500 (Q3 FY25,
    /// October 2024), interpolated.
    public var deliveryStores = 4262
    /// Stores taking online orders for pickup (`walmart.pickup`), in the
    /// delivery path's order (largest trade area first); at or above
    /// `stores`, every store: 4,600 pickup locations in fiscal 2023.
    public var pickupStores = 4611
    /// A store's trade area for siting, minutes of driving at the density
    /// class's speed (choice.travelSpeedKmh): a common retail convention for a
    /// supercenter's primary trade area, not fitted.
    public var tradeAreaMinutes = 15.0
    /// The delivery promise whose reach is measured, hours (Walmart's
    /// "3 hours or less").
    public var deliveryWindowHours = 3.0
    /// Hours of the window spent picking and staging before the van leaves
    /// (a choice, not fitted): the express radius is the drive of the rest at
    /// the store's density-class speed.
    public var pickingHours = 1.0
    /// How stores are shared among states: by population, or by the
    /// published counts of `storesFile` (Walmart's 10-K, January 2023; the
    /// default since 0.18.0).
    public var siting = StoreSiting.published
    /// The stores-by-state file read when `siting` is published; "": the
    /// built-in 10-K table (docs/GEOGRAPHY.md section 4).
    public var storesFile = ""
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

/// `walmart.pickup.*`: order online, collect at a Walmart-like store (option
/// WP): free to everyone, the store's price, the drive to the nearest store
/// without the time in it.
public struct WalmartPickup: Sendable, Equatable {
    /// Whether stores take orders for pickup: with it off, WP has no weight
    /// and the model is the one without pickup.
    public var offered = true
    /// Hours from order to collection: same day, in a 2- to 4-hour window
    /// (Walmart Grocery's help page), its end.
    public var hours = 4.0
    /// Pickup orders a week each walk-in store can fill (its slots), orders of
    /// the households the simulated ones stand for; 0: unlimited (every version
    /// before 0.20.0). Beyond them orders wait, as store delivery's do
    /// (docs/MODEL.md section 4; the pace and the zones are store delivery's).
    public var slotsPerStoreWeek = 0.0
}

/// `walmart.storeDelivery.*`: Walmart's published terms for an online order
/// delivered from a store (a household inside a delivering store's radius):
/// a non-member pays a delivery fee on every order, and the shipping fee
/// (`choice.shippingFeeDollars`) as well below the free-shipping threshold; a
/// Walmart+-like member pays nothing at or above the threshold and a small-
/// basket fee below it. Orders shipped from further away keep the shipping
/// terms: free for members, free at the threshold for everyone. Both fees 0:
/// store delivery on the shipping terms, the model before 0.12.0.
public struct WalmartStoreDelivery: Sendable, Equatable {
    /// A non-member's fee on every order delivered from a store, dollars:
    /// Walmart charges 7.95 to 9.95 dollars by slot; the middle.
    public var feeDollars = 8.95
    /// A member's fee on an order below the threshold, dollars: Walmart's
    /// 6.99 dollars under 35.
    public var memberSmallBasketFeeDollars = 6.99
    /// Orders a week each delivering store can fill (its slots), orders of the
    /// households the simulated ones stand for; 0: unlimited (every version
    /// before 0.19.0). Beyond them orders wait (docs/MODEL.md section 4).
    public var slotsPerStoreWeek = 0.0
    /// A dark store's slots, in stores' (a choice: a store given over to
    /// orders picks for them alone; no published count).
    public var darkStoreSlotMultiple = 2.0
    /// Hours the shadow wait of a store's orders moves in a week when its
    /// orders exceed its slots by 100 % (and back when they fall short):
    /// how fast waits clear demand against slots, not a behaviour.
    public var slotWaitStepHours = 6.0
    /// Fewest simulated households whose stores share their slots (stores are
    /// pooled with their neighbours up to it): a guard against the noise of
    /// few households a store, not a behaviour.
    public var zoneHouseholds = 200
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
    /// `edlp`: everyday low prices, a committed price; `leader`: once a year the
    /// price that maximises profit given the Amazon-like rule's reaction.
    public var pricing = WalmartPricing.edlp
    /// Largest relative price change a year under `leader`, 0-1.
    public var maxPriceStep = 0.05
    /// Lowest price index `leader` may set.
    public var priceFloor = 0.8
    /// Highest price index `leader` may set.
    public var priceCeiling = 1.6
    /// Stores converted to hubs a quarter: by greedy coverage in the synthetic
    /// country, in order of trade area in the real one. 75 is the published
    /// pace (4,200 to 4,500 delivery stores from Q3 FY24 to Q3 FY25).
    public var hubsPerQuarter = 75
    /// AI tools for associates (in-stock, hub speed).
    public var augmentation = true
    /// Midpoint of the logistic roll-out, weeks.
    public var augmentationMidpointWeek = 52.0
    /// Scale of the logistic roll-out, weeks (about 4.4 scales from 10 % to 90 %).
    public var augmentationScaleWeeks = 8.0
}
