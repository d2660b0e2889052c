import RetailModel

/// Every parameter a scenario can set, in the order `scenario show` lists them,
/// under the stable paths of docs/MODEL.md section 10 (plus a few additions, marked
/// in docs/MODEL.md).
public enum ParameterCatalog {
    public static let all: [Parameter] = build()

    /// The parameter at `path`, or nil.
    public static func parameter(_ path: String) -> Parameter? { byPath[path] }

    /// The country a parameter acts in, when only one: its meaning says so,
    /// "(synthetic ...)" or "(real country ...)" (docs/PARAMETERS.md), and the
    /// other country ignores it (the one statement of which is which).
    public static func onlyCountry(_ p: Parameter) -> GeographyKind? {
        let m = p.meaning
        if m.contains("real country") && !m.contains("synthetic") { return .us }
        if m.contains("synthetic") && !m.contains("real") { return .synthetic }
        return nil
    }

    /// What a scenario sets away from the built-in baseline that does nothing
    /// in its own country (`walmart.hubRadiusKm` in the real one, say): one
    /// sentence each, for `run` and `scenario check` to warn of.
    public static func inertSettings(_ s: Scenario) -> [String] {
        let kind = s.model.geography.kind
        return all.compactMap { p in
            guard let only = onlyCountry(p), only != kind, p.value(in: s) != p.value(in: .baseline) else { return nil }
            return "\(p.path) = \(p.value(in: s)) does nothing in the \"\(kind.rawValue)\" country (it acts in \"\(only.rawValue)\" only)"
        }
    }

    private static let byPath: [String: Parameter] = Dictionary(uniqueKeysWithValues: all.map { ($0.path, $0) })

    /// The valid path nearest to `path` by edit distance, to suggest for a typo.
    /// Candidates sharing the most leading dotted parts come first
    /// (`amazon.prime.fee` suggests `amazon.prime.monthlyFee`).
    public static func nearest(to path: String) -> String? {
        // No catalogue path is near a very long one, and edit distance costs length x catalogue.
        guard path.count <= 200 else { return nil }
        let lowered = path.lowercased()
        let parts = lowered.split(separator: ".")
        func sharedParts(_ candidate: String) -> Int {
            zip(candidate.lowercased().split(separator: "."), parts).prefix { $0 == $1 }.count
        }
        let most = all.map { sharedParts($0.path) }.max() ?? 0
        let candidates = all.map(\.path).filter { sharedParts($0) == most }
        // A last part that contains what was typed (`fee` in `monthlyFee`) beats a merely short edit.
        let typedLast = parts.last.map(String.init) ?? ""
        let containing = candidates.filter { typedLast.count >= 3 && $0.lowercased().split(separator: ".").last?.contains(typedLast) == true }
        return (containing.isEmpty ? candidates : containing)
            .min { editDistance($0.lowercased(), lowered) < editDistance($1.lowercased(), lowered) }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    private static func build() -> [Parameter] {
        var list: [Parameter] = []
        func real(_ path: String, _ k: WritableKeyPath<Scenario, Double>, _ b: Bounds, _ unit: String, _ meaning: String) {
            list.append(Parameter(path: path, domain: .real(b), unit: unit, meaning: meaning, access: .real(k)))
        }
        func int(_ path: String, _ k: WritableKeyPath<Scenario, Int>, _ b: Bounds, _ unit: String, _ meaning: String) {
            list.append(Parameter(path: path, domain: .integer(b), unit: unit, meaning: meaning, access: .integer(k)))
        }
        func flag(_ path: String, _ k: WritableKeyPath<Scenario, Bool>, _ meaning: String) {
            list.append(Parameter(path: path, domain: .boolean, unit: "", meaning: meaning, access: .boolean(k)))
        }
        func segments(_ path: String, _ k: WritableKeyPath<Scenario, PerSegment<Double>>, _ b: Bounds, _ unit: String, _ meaning: String) {
            real(path + ".urban", k.appending(path: \.urban), b, unit, meaning + ", urban households")
            real(path + ".suburban", k.appending(path: \.suburban), b, unit, meaning + ", suburban households")
            real(path + ".rural", k.appending(path: \.rural), b, unit, meaning + ", rural households")
        }
        func choice<E: RawRepresentable & CaseIterable>(_ path: String, _ k: WritableKeyPath<Scenario, E>, _ meaning: String)
            where E.RawValue == String {
            list.append(Parameter(path: path, domain: .choice(E.allCases.map(\.rawValue)), unit: "", meaning: meaning,
                                  access: .choice(get: { $0[keyPath: k].rawValue }, set: { $0[keyPath: k] = E(rawValue: $1)! })))
        }
        func text(_ path: String, _ k: WritableKeyPath<Scenario, String>, _ meaning: String) {
            list.append(Parameter(path: path, domain: .text, unit: "", meaning: meaning, access: .text(k)))
        }
        func date(_ path: String, _ k: WritableKeyPath<Scenario, Int>, _ meaning: String) {
            list.append(Parameter(path: path, domain: .date, unit: "date", meaning: meaning, access: .date(k)))
        }
        func logNormal(_ path: String, _ k: WritableKeyPath<Scenario, LogNormalSpec>, _ unit: String, _ meaning: String, medianLimit: Double = 10) {
            real(path + ".median", k.appending(path: \.median), .positiveUpTo(medianLimit), unit, meaning + ": median (LogNormal)")
            real(path + ".sigma", k.appending(path: \.sigma), .between(0, 3), "", meaning + ": sigma of its log")
        }

        // run
        int("run.weeks", \.run.weeks, .between(1, 100_000), "weeks", "horizon")
        int("run.warmupWeeks", \.run.warmupWeeks, .between(0, 100_000), "weeks", "weeks at the start left out of summaries (fewer than run.weeks)")
        int("run.replicates", \.run.replicates, .between(1, 100_000), "", "independent replicates (new country, households and draws each)")
        int("run.seed", \.run.seed, .between(0, 9_007_199_254_740_992), "", "seed of every random stream")
        date("run.start", \.run.start, "first day of week 1; months and quarters (memberships, strategy steps) follow the calendar from it")
        text("run.posterior", \.run.posterior, "a posterior of `retailsim calibrate --posterior` (its folder): each replicate runs at the parameters of a point drawn by weight, the same for every arm and point; \"\": the scenario's own values")
        choice("run.calendar", \.run.calendar, "\"gregorian\" (calendar months and quarters) or \"weeks\" (a month every 4 weeks, a quarter every 13: RetailSim before 0.21.0)")

        // population
        int("population.shoppers", \.model.population.shoppers, .between(1, 2_000_000_000), "households", "simulated households")
        real("population.people", \.model.population.people, .between(1, 1e11), "people", "people the simulated households stand for")
        real("population.urbanShare", \.model.population.urbanShare, .unit, "", "share of people living in cities (synthetic country)")
        real("population.households", \.model.population.households, .between(1, 1e11), "households",
             "households the simulated households stand for (real country; ACS 2023: 131 million)")

        // geography
        choice("geography.kind", \.model.geography.kind,
               "\"us\" (households at their ZCTAs, networks from published counts) or \"synthetic\" (Zipf cities and towns)")
        text("geography.regionsFile", \.model.geography.regionsFile, "regions file for \"us\" (docs/GEOGRAPHY.md); \"\": the built-in ACS 2018-2022 ZCTAs")
        real("geography.urbanHouseholdsPerSqMi", \.model.geography.urbanHouseholdsPerSqMi, .positiveUpTo(1e7), "households a sq mi",
             "urban at and above this density (Kolko 2015)")
        real("geography.ruralHouseholdsPerSqMi", \.model.geography.ruralHouseholdsPerSqMi, .positiveUpTo(1e7), "households a sq mi",
             "rural below this density (Kolko 2015)")
        real("geography.widthKm", \.model.geography.widthKm, .positiveUpTo(40_000), "km", "width of the map (synthetic)")
        real("geography.heightKm", \.model.geography.heightKm, .positiveUpTo(40_000), "km", "height of the map (synthetic)")
        int("geography.cities", \.model.geography.cities, .between(1, 60_000), "", "cities (Zipf sizes, centres uniform on the map; synthetic)")
        real("geography.zipfExponent", \.model.geography.zipfExponent, .between(0, 10), "", "rank-size exponent of cities and towns (synthetic)")
        real("geography.citySpreadKm", \.model.geography.citySpreadKm, .positiveUpTo(1000), "km", "spread of a city of 1 million; grows with sqrt(population) (synthetic)")
        int("geography.towns", \.model.geography.towns, .between(0, 1_000_000), "", "small towns that rural households live around (synthetic)")
        real("geography.townSpreadKm", \.model.geography.townSpreadKm, .between(0, 1000), "km", "spread of rural households around their town (synthetic)")
        real("geography.remoteShare", \.model.geography.remoteShare, .unit, "", "share of rural households spread uniformly over the map (synthetic)")

        // households
        real("shoppers.heterogeneity", \.model.shoppers.heterogeneity, .between(0, 3), "", "multiplies every sigma; 0 makes a segment's households alike")
        logNormal("shoppers.priceSensitivity", \.model.shoppers.priceSensitivity, "utility per dollar", "price sensitivity bPrice")
        logNormal("shoppers.timeSensitivity", \.model.shoppers.timeSensitivity, "utility per ln(1 + wait/24 h)",
                  "time sensitivity bTime (per hour when choice.waitForm is \"linear\")")
        logNormal("shoppers.travelSensitivity", \.model.shoppers.travelSensitivity, "utility per km",
                  "travel sensitivity bTravel (only when choice.distanceDecay is \"linear\")")
        logNormal("shoppers.valueOfTime", \.model.shoppers.valueOfTime, "dollars an hour",
                  "value of travel time (choice.distanceDecay \"generalisedCost\")", medianLimit: 10_000)
        real("shoppers.onlineAffinity.urban", \.model.shoppers.onlineAffinity.urban, .between(-50, 50), "utility", "mean digital affinity, urban households")
        real("shoppers.onlineAffinity.suburban", \.model.shoppers.onlineAffinity.suburban, .between(-50, 50), "utility", "mean digital affinity, suburban households")
        real("shoppers.onlineAffinity.rural", \.model.shoppers.onlineAffinity.rural, .between(-50, 50), "utility", "mean digital affinity, rural households")
        real("shoppers.onlineAffinity.sigma", \.model.shoppers.onlineAffinity.sigma, .between(0, 10), "utility", "sd of digital affinity")
        real("shoppers.tripsPerWeek.shape", \.model.shoppers.tripsPerWeek.shape, .positiveUpTo(100), "", "Gamma shape of trips per week")
        real("shoppers.tripsPerWeek.scale", \.model.shoppers.tripsPerWeek.scale, .positiveUpTo(20), "trips per week", "Gamma scale of trips per week")
        logNormal("shoppers.basketDollars", \.model.shoppers.basketDollars, "dollars", "spend per trip", medianLimit: 100_000)
        real("shoppers.referenceIncome", \.model.shoppers.referenceIncome, .positiveUpTo(1e8), "dollars a year",
             "income tastes are measured against (real country; ACS 2018-2022 US median)")
        real("shoppers.priceIncomeElasticity", \.model.shoppers.priceIncomeElasticity, .between(0, 5), "",
             "eta: bPrice scales as (income / referenceIncome)^-eta (real country)")
        real("shoppers.onlineIncomeWeight", \.model.shoppers.onlineIncomeWeight, .between(-20, 20), "utility",
             "alpha_y: digital affinity per unit of ln(income / referenceIncome) (real country)")
        real("shoppers.walmartOnlineTasteSigma", \.model.shoppers.walmartOnlineTasteSigma, .between(0, 10), "utility",
             "sigma_W: sd of a household's own taste for Walmart-like online and pickup (0: none)")

        // choice
        for option in Option.allCases {
            real("choice.constants.\(option.code)", \.model.choice.constants[option.rawValue], .between(-50, 50), "utility",
                 "option constant of \(option.code) (\(option.title))" + (option == .otherStore ? "; the reference, 0 by convention" : ""))
        }
        real("choice.habitWeight", \.model.choice.habitWeight, .between(-50, 50), "utility", "gamma: weight of habit (loyalty)")
        real("choice.habitDecay", \.model.choice.habitDecay, .unit, "", "delta: weight of this week's trips in the habit")
        real("choice.walmartNest", \.model.choice.walmartNest, .between(0.01, 1), "",
             "lambda of the nest of WS and WO (1: no nest; smaller: the two channels substitute more)")
        real("choice.onlineNest", \.model.choice.onlineNest, .between(0.01, 1), "",
             "lambda of the nest of A and OO (1: no nest; smaller: online sellers substitute more)")
        choice("choice.distanceDecay", \.model.choice.distanceDecay,
               "\"generalisedCost\" (-bPrice * 2 km * (vehicle cost + value of time / speed)), \"linear\" (-bTravel * 2 km) or \"power\" (-lambda * log 2 km, Huff)")
        choice("choice.waitForm", \.model.choice.waitForm, "\"log\" (-bTime * ln(1 + wait/24 h)) or \"linear\" (-bTime * hours)")
        real("choice.vehicleCostDollarsPerKm", \.model.choice.vehicleCostDollarsPerKm, .between(0, 100), "dollars a km", "variable cost of driving (IRS 2024: 21 cents a mile)")
        segments("choice.travelSpeedKmh", \.model.choice.travelSpeedKmh, .positiveUpTo(1000), "km/h", "driving speed (generalised cost)")
        real("choice.powerExponent", \.model.choice.powerExponent, .between(0, 10), "", "lambda of the power (Huff) form")
        real("choice.shippingFeeDollars", \.model.choice.shippingFeeDollars, .between(0, 1000), "dollars", "shipping fee for non-members below the threshold")
        real("choice.feeWeight", \.model.choice.feeWeight, .between(1, 100), "",
             "weight of a dollar of delivery or shipping fee against a dollar of price (1: a fee is a price)")
        real("choice.storePriceWeight", \.model.choice.storePriceWeight, .between(0, 10), "",
             "w: weight of a store's price difference from the market's (1.00) against the same difference online (1: every price read alike)")
        real("choice.freeShippingThresholdDollars", \.model.choice.freeShippingThresholdDollars, .between(0, 1e6), "dollars", "baskets at or above ship free")
        segments("choice.otherStoreKm", \.model.choice.otherStoreKm, .positiveUpTo(1000), "km", "distance to the nearest other store")
        real("choice.grocery.tripShare", \.model.choice.grocery.tripShare, .unit, "",
             "share of trips that are grocery and household essentials (0: one category, general merchandise)")
        real("choice.grocery.onlineShift", \.model.choice.grocery.onlineShift, .between(-50, 50), "utility",
             "added to a grocery trip's online options (A, WO, OO, WP)")
        real("choice.grocery.walmartShift", \.model.choice.grocery.walmartShift, .between(-50, 50), "utility",
             "added to a grocery trip's Walmart-like options (WS, WO, WP)")
        real("choice.grocery.lateDayWeight", \.model.choice.grocery.lateDayWeight, .between(0, 50), "utility",
             "lost by a fresh grocery order for each day its wait passes the first")
        real("choice.grocery.otherOnlineHours", \.model.choice.grocery.otherOnlineHours, .between(0, 8760), "hours",
             "wait of other online sellers' fresh grocery orders (delivered or handed over by grocers and platforms)")
        real("choice.grocery.freshShare", \.model.choice.grocery.freshShare, .between(0, 1), "share",
             "share of grocery trips that are fresh (perishables that cannot wait); the rest are shelf-stable and ship")
        real("choice.otherOnlineHours", \.model.choice.otherOnlineHours, .between(0, 8760), "hours", "delivery wait of other online shops")
        real("choice.minimumTravelKm", \.model.choice.minimumTravelKm, .positiveUpTo(100), "km", "shorter distances count as this (log km stays finite)")

        // amazon
        real("amazon.priceIndex", \.model.amazon.priceIndex, .positiveUpTo(10), "", "initial price index p_A (market = 1)")
        real("amazon.grossMargin", \.model.amazon.grossMargin, .unit, "", "gross margin on revenue")
        int("amazon.fulfillmentCenters", \.model.amazon.fulfillmentCenters, .between(0, 60_000), "", "fulfilment centres, at the largest cities (synthetic)")
        real("amazon.nextDayRadiusKm", \.model.amazon.nextDayRadiusKm, .between(0, 40_000), "km", "next-day radius of a fulfilment centre")
        int("amazon.sameDaySites", \.model.amazon.sameDaySites, .between(0, 60_000), "", "initial same-day sites, at the largest cities (synthetic)")
        real("amazon.sameDayRadiusKm", \.model.amazon.sameDayRadiusKm, .between(0, 40_000), "km", "same-day radius")
        real("amazon.hours.sameDay", \.model.amazon.hours.sameDay, .between(0, 8760), "hours", "wait of a Prime member inside a same-day radius")
        real("amazon.hours.nextDay", \.model.amazon.hours.nextDay, .between(0, 8760), "hours", "wait of a Prime member inside a next-day radius")
        real("amazon.hours.standard", \.model.amazon.hours.standard, .between(0, 8760), "hours", "wait of a Prime member elsewhere")
        real("amazon.hours.nonMember", \.model.amazon.hours.nonMember, .between(0, 8760), "hours", "wait of a non-member")
        real("amazon.personalization.max", \.model.amazon.personalization.max, .between(0, 50), "utility", "ceiling of AI personalisation pi")
        real("amazon.personalization.ordersScale", \.model.amazon.personalization.ordersScale, .positiveUpTo(1e9), "orders", "a household's orders for 63 % of pi")
        real("amazon.personalization.flywheelScale", \.model.amazon.personalization.flywheelScale, .positiveUpTo(1e9), "orders per household", "cumulative orders for 63 % of the ceiling")
        flag("amazon.prime.enabled", \.model.amazon.prime.enabled, "false: no Prime-like programme (no members, nobody joins)")
        real("amazon.prime.monthlyFee", \.model.amazon.prime.monthlyFee, .positiveUpTo(1000), "dollars a month", "Prime-like fee")
        segments("amazon.prime.initialShare", \.model.amazon.prime.initialShare, .unit, "", "Prime-like member share at the start of the burn-in")
        logNormal("amazon.prime.benefitDollars", \.model.amazon.prime.benefitDollars, "dollars a month",
                  "Prime-like benefit beyond delivery (video, music)", medianLimit: 1000)
        flag("amazon.strategy.enabled", \.model.amazon.strategy.enabled, "false freezes every quarterly Amazon-like move")
        choice("amazon.strategy.pricing", \.model.amazon.strategy.pricing,
               "the price rule: \"match\", \"bestResponse\", \"learn\", \"shareTarget\" (a counterfactual) or \"fixed\"")
        real("amazon.strategy.priceGap", \.model.amazon.strategy.priceGap, .between(-0.9, 9), "", "g: match holds p_A = p_W (1 + g)")
        real("amazon.strategy.matchSpeed", \.model.amazon.strategy.matchSpeed, .unit, "", "lambda: share of the gap to the matched price closed a quarter")
        real("amazon.strategy.maxPriceStep", \.model.amazon.strategy.maxPriceStep, .unit, "", "largest relative price change a quarter (bestResponse, learn, shareTarget)")
        real("amazon.strategy.priceFloor", \.model.amazon.strategy.priceFloor, .positiveUpTo(10), "", "lowest price index a rule may set")
        real("amazon.strategy.priceCeiling", \.model.amazon.strategy.priceCeiling, .positiveUpTo(10), "", "highest price index a rule may set")
        real("amazon.strategy.testShare", \.model.amazon.strategy.testShare, .unit, "", "learn: share of chunks of households in a quarter's price test")
        real("amazon.strategy.testStep", \.model.amazon.strategy.testStep, .positiveUpTo(0.5), "",
             "learn: relative price change of the test, up in even weeks, down in odd ones")
        real("amazon.strategy.learningWeight", \.model.amazon.strategy.learningWeight, .positiveUpTo(1), "",
             "learn: weight of a quarter's new elasticity estimate")
        real("amazon.strategy.targetOnlineShare", \.model.amazon.strategy.targetOnlineShare, .positiveUpTo(1), "",
             "shareTarget: share of online spend the price is moved to hold")
        int("amazon.strategy.ruralSitesPerQuarter", \.model.amazon.strategy.ruralSitesPerQuarter, .between(0, 100_000), "", "same-day sites added a quarter (greedy coverage)")
        int("amazon.network.fulfillmentCenters", \.model.amazon.network.fulfillmentCenters, .between(0, 10_000), "",
            "fulfilment centres (real country; published state counts, the rest by population)")
        int("amazon.network.sameDayMetros", \.model.amazon.network.sameDayMetros, .between(0, 1_000), "", "metros with same-day sites at week 1 (real country)")
        real("amazon.network.sameDayMetroCoverage", \.model.amazon.network.sameDayMetroCoverage, .unit, "",
             "share of a same-day metro's households its sites cover (real country)")
        real("amazon.facilityCostDollarsPerQuarter", \.model.amazon.facilityCostDollarsPerQuarter, .between(0, 1e12), "dollars a quarter",
             "fixed cost of a fulfilment centre or same-day site, full scale (illustrative)")

        // walmart
        real("walmart.priceIndex", \.model.walmart.priceIndex, .positiveUpTo(10), "", "price index p_W (everyday low prices)")
        real("walmart.grossMargin", \.model.walmart.grossMargin, .unit, "", "gross margin on revenue")
        real("walmart.peoplePerStore", \.model.walmart.peoplePerStore, .positiveUpTo(1e10), "people", "people per store (sets the number of stores; synthetic)")
        real("walmart.hubRadiusKm", \.model.walmart.hubRadiusKm, .between(0, 40_000), "km", "delivery radius of a hub (synthetic)")
        real("walmart.initialHubShare", \.model.walmart.initialHubShare, .unit, "", "share of stores that start as hubs (synthetic)")
        real("walmart.storeDistanceMultiplier", \.model.walmart.storeDistanceMultiplier, .positiveUpTo(10), "",
             "an intervention: every household's distance to its nearest store times this (1: as sited)")
        int("walmart.network.stores", \.model.walmart.network.stores, .between(1, 100_000), "", "stores (real country; sited by capacitated greedy coverage state by state)")
        choice("walmart.network.siting", \.model.walmart.network.siting,
               "\"population\" (stores shared by state population) or \"published\" (by the stores file's state counts; real country)")
        text("walmart.network.storesFile", \.model.walmart.network.storesFile,
             "stores-by-state file for siting \"published\" (real country; docs/GEOGRAPHY.md); \"\": the built-in 10-K table, January 2023")
        int("walmart.network.deliveryStores", \.model.walmart.network.deliveryStores, .between(0, 100_000), "",
            "stores offering delivery at week 1 (real country; largest trade areas first)")
        int("walmart.network.pickupStores", \.model.walmart.network.pickupStores, .between(0, 100_000), "",
            "stores taking pickup orders (real country; in delivery order; at or above walmart.network.stores: every store)")
        real("walmart.network.tradeAreaMinutes", \.model.walmart.network.tradeAreaMinutes, .positiveUpTo(600), "minutes",
             "a store's trade area for siting, minutes of driving (real country)")
        real("walmart.network.deliveryWindowHours", \.model.walmart.network.deliveryWindowHours, .positiveUpTo(168), "hours",
             "the delivery promise whose reach is measured (real country)")
        real("walmart.network.pickingHours", \.model.walmart.network.pickingHours, .between(0, 168), "hours",
             "hours of the window spent picking; the express radius drives the rest (real country)")
        real("walmart.hours.hub", \.model.walmart.hours.hub, .between(0, 8760), "hours", "wait inside a hub radius before augmentation")
        real("walmart.hours.hubAugmented", \.model.walmart.hours.hubAugmented, .between(0, 8760), "hours", "wait inside a hub radius once augmented")
        real("walmart.hours.standard", \.model.walmart.hours.standard, .between(0, 8760), "hours", "wait outside every hub radius")
        flag("walmart.pickup.offered", \.model.walmart.pickup.offered,
             "whether stores take online orders for pickup (option WP: free, the store's price and drive)")
        real("walmart.pickup.hours", \.model.walmart.pickup.hours, .between(0, 8760), "hours", "wait from a pickup order to its collection")
        real("walmart.pickup.slotsPerStoreWeek", \.model.walmart.pickup.slotsPerStoreWeek, .between(0, 1e9), "orders a week",
             "pickup orders each walk-in store can fill a week (of the households simulated ones stand for); 0: unlimited")
        real("walmart.storeDelivery.feeDollars", \.model.walmart.storeDelivery.feeDollars, .between(0, 1000), "dollars",
             "a non-member's fee on every online order delivered from a store (inside a delivering store's radius)")
        real("walmart.storeDelivery.memberSmallBasketFeeDollars", \.model.walmart.storeDelivery.memberSmallBasketFeeDollars, .between(0, 1000), "dollars",
             "a Walmart+-like member's fee on an order delivered from a store below choice.freeShippingThresholdDollars")
        real("walmart.storeDelivery.slotsPerStoreWeek", \.model.walmart.storeDelivery.slotsPerStoreWeek, .between(0, 1e9), "orders a week",
             "orders each delivering store can fill a week (of the households simulated ones stand for); 0: unlimited")
        real("walmart.storeDelivery.darkStoreSlotMultiple", \.model.walmart.storeDelivery.darkStoreSlotMultiple, .between(0, 1000), "",
             "a dark store's slots in a delivering store's")
        real("walmart.storeDelivery.slotWaitStepHours", \.model.walmart.storeDelivery.slotWaitStepHours, .positiveUpTo(168), "hours",
             "how far a store's shadow wait moves in a week when its orders exceed its slots by 100 %")
        int("walmart.storeDelivery.zoneHouseholds", \.model.walmart.storeDelivery.zoneHouseholds, .between(1, 100_000_000), "households",
            "fewest simulated households whose stores share their slots (neighbouring stores pooled up to it)")
        real("walmart.inStock.before", \.model.walmart.inStock.before, .positiveUpTo(1), "", "in-stock rate before augmentation")
        real("walmart.inStock.after", \.model.walmart.inStock.after, .positiveUpTo(1), "", "in-stock rate once augmented")
        real("walmart.serviceWeight", \.model.walmart.serviceWeight, .between(-50, 50), "utility", "zeta: utility per unit of log in-stock rate")
        flag("walmart.plus.enabled", \.model.walmart.plus.enabled, "false: no Walmart+-like programme (no members, nobody joins)")
        real("walmart.plus.monthlyFee", \.model.walmart.plus.monthlyFee, .positiveUpTo(1000), "dollars a month", "Walmart+-like fee")
        segments("walmart.plus.initialShare", \.model.walmart.plus.initialShare, .unit, "", "Walmart+-like member share at the start of the burn-in")
        logNormal("walmart.plus.benefitDollars", \.model.walmart.plus.benefitDollars, "dollars a month",
                  "Walmart+-like benefit beyond delivery (fuel discounts, video)", medianLimit: 1000)
        flag("walmart.strategy.enabled", \.model.walmart.strategy.enabled, "false freezes every quarterly Walmart-like move")
        choice("walmart.strategy.pricing", \.model.walmart.strategy.pricing,
               "\"edlp\" (everyday low prices: walmart.priceIndex, committed) or \"leader\" (yearly profit-seeking price, Amazon-like rule reacting)")
        real("walmart.strategy.maxPriceStep", \.model.walmart.strategy.maxPriceStep, .unit, "", "leader: largest relative price change a year")
        real("walmart.strategy.priceFloor", \.model.walmart.strategy.priceFloor, .positiveUpTo(10), "", "leader: lowest price index")
        real("walmart.strategy.priceCeiling", \.model.walmart.strategy.priceCeiling, .positiveUpTo(10), "", "leader: highest price index")
        int("walmart.strategy.hubsPerQuarter", \.model.walmart.strategy.hubsPerQuarter, .between(0, 1_000_000), "", "stores converted to hubs a quarter (synthetic: greedy coverage; real: next in trade-area order)")
        flag("walmart.strategy.augmentation", \.model.walmart.strategy.augmentation, "AI tools for associates (in-stock, hub speed)")
        real("walmart.strategy.augmentationMidpointWeek", \.model.walmart.strategy.augmentationMidpointWeek, .between(-100_000, 100_000), "weeks", "midpoint of the logistic roll-out")
        real("walmart.strategy.augmentationScaleWeeks", \.model.walmart.strategy.augmentationScaleWeeks, .positiveUpTo(100_000), "weeks", "scale of the logistic roll-out")
        real("walmart.storeCostDollarsPerQuarter", \.model.walmart.storeCostDollarsPerQuarter, .between(0, 1e12), "dollars a quarter", "fixed cost of a store, full scale (illustrative)")
        real("walmart.hubCostDollarsPerQuarter", \.model.walmart.hubCostDollarsPerQuarter, .between(0, 1e12), "dollars a quarter", "extra fixed cost of a hub, full scale (illustrative)")

        // membership
        flag("membership.enabled", \.model.membership.enabled, "false freezes both programmes")
        real("membership.innovation", \.model.membership.innovation, .between(0, 100), "a month", "p: innovation (advertising) hazard")
        real("membership.imitation", \.model.membership.imitation, .between(0, 100), "a month", "q: imitation (word of mouth) per unit of local share")
        real("membership.valueWeight", \.model.membership.valueWeight, .between(0, 10_000), "a month", "theta: weight of value above the fee")
        real("membership.churn", \.model.membership.churn, .between(0, 100), "a month", "c: churn hazard after the first year of membership")
        real("membership.firstYearChurn", \.model.membership.firstYearChurn, .between(0, 100), "a month", "churn hazard in the first 12 months of membership")
        real("membership.churnValueWeight", \.model.membership.churnValueWeight, .between(0, 10_000), "a month", "phi: weight of the fee above value")
        choice("membership.localScope", \.model.membership.localScope, "whose members drive word of mouth: \"city\" (its households'), \"others\" (its other households') or \"population\"")

        // start
        int("start.habitIterations", \.model.start.habitIterations, .between(0, 10_000), "passes", "passes of h <- P(V + gamma h) before the burn-in (0: habits start at 0)")
        int("start.burnInWeeks", \.model.start.burnInWeeks, .between(0, 100_000), "weeks", "weeks before week 1 with strategies and prices frozen")

        // trend
        date("trend.anchor", \.model.trend.anchor, "the drivers are zero from this date on (the calibrated present); Amazon's flywheel counts orders from it")
        real("trend.onlineUtilityPerYear", \.model.trend.onlineUtilityPerYear, .between(-10, 10), "utility a year",
             "online options (A, WO, OO, WP) lose this for each year before trend.anchor")
        real("trend.walmartOnlineUtilityPerYear", \.model.trend.walmartOnlineUtilityPerYear, .between(-10, 10), "utility a year",
             "Walmart-like online options (WO, WP) lose this besides for each year before trend.anchor")
        real("trend.primeBenefitGrowthPerYear", \.model.trend.primeBenefitGrowthPerYear, .between(-2, 2), "a year",
             "Prime-like benefit beyond delivery times exp(-rate x years before trend.anchor)")
        return list
    }
}
