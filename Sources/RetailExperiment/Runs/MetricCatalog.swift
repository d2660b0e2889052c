import RetailModel

/// One figure a run reports for each replicate: its name (a column of sweep
/// tables and a key of summary.json), what kind of number it is, what it means
/// and how it is computed from the replicate's totals. As mesa's
/// `model_reporters` and Agents.jl's `mdata`: the name and the computation are
/// one entry, so adding a metric is adding one entry.
public struct Metric: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A share in [0, 1], printed in per cent.
        case share
        /// The change of a share over the summarised weeks, in [-1, 1], printed in points.
        case shareChange
        /// A ratio of two non-negative quantities.
        case ratio
        /// Hours.
        case hours
        /// A price index (the market's price = 1).
        case index
        /// Dollars a household a week (may be negative).
        case dollars

        /// Where a value of this kind must lie.
        public var range: ClosedRange<Double> {
            switch self {
            case .share: 0...1
            case .shareChange: -1...1
            case .ratio, .hours, .index: 0...Double.greatestFiniteMagnitude
            case .dollars: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
            }
        }

        public var unit: String {
            switch self {
            case .share: "share (0-1)"
            case .shareChange: "share points (-1 to 1)"
            case .ratio: "ratio"
            case .hours: "hours"
            case .index: "price index"
            case .dollars: "dollars a household a week"
            }
        }
    }

    public let name: String
    public let kind: Kind
    /// What the figure means, in a phrase.
    public let meaning: String
    /// How it is computed, in words and symbols of docs/MODEL.md.
    public let computation: String
    /// The option a per-option metric belongs to (`spendShare.A`), else nil.
    public let option: Option?
    /// Whether the metric means something for a single week (a sweep's
    /// `--record weekly` series); changes over the run and month-to-month
    /// customer figures do not.
    public let weekly: Bool
    let compute: @Sendable (ReplicateTotals) -> Double

    /// The value in one replicate.
    public func value(_ totals: ReplicateTotals) -> Double { compute(totals) }

    /// Whether the metric is a share (or a change of one), shown in per cent or points.
    public var isShare: Bool { kind == .share || kind == .shareChange }
}

/// Every metric, in the fixed order of sweep columns and summary.json.
public enum MetricCatalog {
    public static let all: [Metric] = build()
    public static let names: [String] = all.map(\.name)
    private static let indexByName: [String: Int] = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

    public static func index(of name: String) -> Int? { indexByName[name] }

    /// The metric named `name`, or nil.
    public static func metric(_ name: String) -> Metric? { index(of: name).map { all[$0] } }

    /// The metric named `name`, or an error naming `source` and every metric.
    public static func metric(named name: String, source: String, path: String? = nil) throws(InputError) -> Metric {
        guard let m = metric(name) else { throw InputError.unknownMetric(name, source: source, path: path) }
        return m
    }

    private static func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }

    /// Per member customer-week over per non-member customer-week: among
    /// Amazon-like customers (an order in the last 13 weeks), as CIRP compares
    /// members with non-members who buy from Amazon.
    private static func memberRatio(_ memberTotal: Double, _ allTotal: Double, _ t: ReplicateTotals) -> Double {
        ratio(ratio(memberTotal, t.primeCustomerWeeks), ratio(allTotal - memberTotal, t.amazonCustomerWeeks - t.primeCustomerWeeks))
    }

    private static func build() -> [Metric] {
        var list: [Metric] = []
        func add(_ name: String, _ kind: Metric.Kind, _ meaning: String, _ computation: String, option: Option? = nil,
                 weekly: Bool = true, _ compute: @escaping @Sendable (ReplicateTotals) -> Double) {
            list.append(Metric(name: name, kind: kind, meaning: meaning, computation: computation, option: option,
                               weekly: weekly && kind != .shareChange, compute: compute))
        }
        let (u, r) = (Segment.urban.rawValue, Segment.rural.rawValue)

        for o in Option.allCases {
            add("spendShare.\(o.code)", .share, "share of all spend going to \(o.code) (\(o.title))",
                "spend at \(o.code) / all spend", option: o) { ratio($0.spend(o), $0.allSpend) }
        }
        for o in Option.allCases {
            add("tripShare.\(o.code)", .share, "share of all trips going to \(o.code) (\(o.title))",
                "trips to \(o.code) / all trips", option: o) { ratio($0.trips(o), $0.allTrips) }
        }
        let online = Option.sum(Option.online)
        add("onlineShare", .share, "online share of all spend", "\(online) / all spend") { ratio($0.onlineSpend, $0.allSpend) }
        for r in RetailerID.allCases {
            let sold = Option.sold(by: r, channel: .online)
            add("\(r.name)ShareOfOnline", .share, "the \(r.title) retailer's share of online spend", "\(Option.sum(sold)) / \(online)") {
                ratio($0.spend(sold), $0.onlineSpend)
            }
        }
        let walmart = Option.sold(by: .walmart)
        add("walmartShareOfAll", .share, "the Walmart-like retailer's share of all spend", "\(Option.sum(walmart)) / all spend") {
            ratio($0.spend(walmart), $0.allSpend)
        }
        // The grocery category (choice.grocery.*): each 0 while it is off.
        let all = Option.allCases, delivered = Option.online.filter { $0 != .walmartPickup }
        add("groceryShare", .share, "grocery's share of all spend", "grocery spend / all spend") { ratio($0.grocerySpend(all), $0.allSpend) }
        add("groceryShareOfWalmart", .share, "grocery's share of the Walmart-like retailer's spend",
            "grocery \(Option.sum(walmart)) / \(Option.sum(walmart))") { ratio($0.grocerySpend(walmart), $0.spend(walmart)) }
        add("walmartShareOfGrocery", .share, "the Walmart-like retailer's share of grocery spend",
            "grocery \(Option.sum(walmart)) / grocery spend") { ratio($0.grocerySpend(walmart), $0.grocerySpend(all)) }
        add("onlineShareOfGrocery", .share, "online share of grocery spend", "grocery \(online) / grocery spend") {
            ratio($0.grocerySpend(Option.online), $0.grocerySpend(all))
        }
        add("pickupShareOfOnlineGrocery", .share, "pickup's share of online grocery spend", "grocery WP / grocery \(online)") {
            ratio($0.grocerySpend([.walmartPickup]), $0.grocerySpend(Option.online))
        }
        add("shippedShareOfOnlineGrocery", .share, "share of online grocery spend shipped to the home (orders waiting a day or more)",
            "grocery spend of \(online) orders waiting 24 hours or more / grocery \(online)") {
            ratio($0.shippedGrocerySpend, $0.grocerySpend(Option.online))
        }
        add("walmartShareOfGroceryDelivery", .share, "the Walmart-like retailer's share of delivered grocery spend",
            "grocery WO / grocery \(Option.sum(delivered))") { ratio($0.grocerySpend([.walmartOnline]), $0.grocerySpend(delivered)) }
        add("storeDeliveryShare", .share, "Walmart-like online spend delivered from a store (the menu's store way, not shipped), share of all spend",
            "WO spend of orders delivered from a store / all spend") { ratio($0.storeDeliveredSpend, $0.allSpend) }
        add("primeShare", .share, "Prime-like members, share of households", "member-weeks / household-weeks") { ratio($0.primeWeeks, $0.householdWeeks) }
        add("plusShare", .share, "Walmart+-like members, share of households", "member-weeks / household-weeks") { ratio($0.plusWeeks, $0.householdWeeks) }
        add("urbanAmazonShare", .share, "the Amazon-like share of urban households' spend", "urban A / urban spend") {
            ratio($0.segmentAmazonSpend[u], $0.segmentSpend[u])
        }
        add("ruralAmazonShare", .share, "the Amazon-like share of rural households' spend", "rural A / rural spend") {
            ratio($0.segmentAmazonSpend[r], $0.segmentSpend[r])
        }
        add("urbanPrimeShare", .share, "Prime-like members, share of urban households", "urban member-weeks / urban household-weeks") {
            ratio($0.segmentPrimeWeeks[u], $0.segmentHouseholdWeeks[u])
        }
        add("ruralPrimeShare", .share, "Prime-like members, share of rural households", "rural member-weeks / rural household-weeks") {
            ratio($0.segmentPrimeWeeks[r], $0.segmentHouseholdWeeks[r])
        }
        add("amazonWaitHours", .hours, "mean delivery wait of an Amazon-like order", "sum of order waits / A orders") {
            ratio($0.waitHours[Option.amazon.rawValue], $0.trips(.amazon))
        }
        add("walmartOnlineWaitHours", .hours, "mean delivery wait of a Walmart-like online order", "sum of order waits / WO orders") {
            ratio($0.waitHours[Option.walmartOnline.rawValue], $0.trips(.walmartOnline))
        }
        add("amazonRepeatShare", .share, "share of a month's Amazon-like customers who also ordered the month before",
            "customers of both months / customers of the month (calendar months)", weekly: false) { ratio($0.retainedCustomers, $0.currentCustomers) }
        add("amazonCustomerChurn", .share, "share of a month's Amazon-like customers who do not order the next month",
            "1 - customers of both months / customers of the earlier month", weekly: false) {
            $0.previousCustomers > 0 ? 1 - $0.retainedCustomers / $0.previousCustomers : 0
        }
        add("primeSpendRatio", .ratio, "Amazon-like spend of a Prime-like member customer over that of a non-member customer, a week",
            "(member A spend / member customer-weeks) / (non-member A spend / non-member customer-weeks); customers ordered from A in the last 13 weeks", weekly: false) {
            memberRatio($0.primeSpend, $0.spend(.amazon), $0)
        }
        add("primeOrderRatio", .ratio, "Amazon-like orders of a Prime-like member customer over those of a non-member customer, a week",
            "(member A orders / member customer-weeks) / (non-member A orders / non-member customer-weeks); customers as above", weekly: false) {
            memberRatio($0.primeOrders, $0.trips(.amazon), $0)
        }
        add("primeShareOfAmazonCustomers", .share, "Prime-like members' share of Amazon-like customers",
            "member customer-weeks / customer-weeks (an A order in the last 13 weeks)", weekly: false) { ratio($0.primeCustomerWeeks, $0.amazonCustomerWeeks) }
        add("primeShareOfAmazonOrders", .share, "Prime-like members' share of Amazon-like orders", "member A orders / A orders") {
            ratio($0.primeOrders, $0.trips(.amazon))
        }
        add("plusShareOfWalmartOnlineCustomers", .share, "Walmart+-like members' share of Walmart-like online customers",
            "member customer-weeks / customer-weeks (a WO or WP order in the last 13 weeks)", weekly: false) { ratio($0.plusCustomerWeeks, $0.walmartOnlineCustomerWeeks) }
        add("plusShareOfWalmartOnlineOrders", .share, "Walmart+-like members' share of Walmart-like online orders", "member WO + WP orders / (WO + WP) orders") {
            ratio($0.plusOrders, $0.trips(.walmartOnline) + $0.trips(.walmartPickup))
        }
        add("plusShareOfWalmartOnlineGroceryBuyers", .share, "Walmart+-like members' share of households buying groceries online from the Walmart-like retailer in a month",
            "member buyer-months / buyer-months (a grocery WO or WP order in the calendar month)", weekly: false) {
            ratio($0.plusOnlineGroceryBuyers, $0.walmartOnlineGroceryBuyers)
        }
        add("plusMembersWithPrime", .share, "share of Walmart+-like members who are also Prime-like members",
            "member-weeks of both / Walmart+-like member-weeks") { ratio($0.bothWeeks, $0.plusWeeks) }
        add("primeMembersWithPlus", .share, "share of Prime-like members who are also Walmart+-like members",
            "member-weeks of both / Prime-like member-weeks") { ratio($0.bothWeeks, $0.primeWeeks) }
        add("urbanOnlineShare", .share, "online share of urban households' spend", "urban \(online) / urban spend") {
            ratio($0.segmentOnlineSpend[u], $0.segmentSpend[u])
        }
        add("ruralOnlineShare", .share, "online share of rural households' spend", "rural \(online) / rural spend") {
            ratio($0.segmentOnlineSpend[r], $0.segmentSpend[r])
        }
        for (k, who) in [(0, "amazon"), (1, "walmart")] {
            let name = k == 0 ? "the Amazon-like retailer" : "the Walmart-like retailer"
            add("\(who)PriceIndex", .index, "\(name)'s price index, mean over the weeks", "mean of p_r by week") { ratio($0.price[k], $0.weeks) }
            add("\(who)ResponsePrice", .index, "the price that would maximise \(name)'s profit on the demand of the last strategy step (Lerner diagnostic)",
                "mean of c + (Q + F/4 dN/dp) / S by week (docs/MODEL.md section 7)") { ratio($0.responsePrice[k], $0.weeks) }
            add("\(who)Margin", .share, "\(name)'s realised gross margin", "mean of (p - c) / p by week, c = (1 - grossMargin) x initial price") {
                ratio($0.margin[k], $0.weeks)
            }
            add("\(who)ResponseMargin", .share, "the gross margin at \(name)'s profit-maximising response", "mean of 1 - c / p_BR by week") {
                ratio($0.responseMargin[k], $0.weeks)
            }
            add("\(who)Profit", .dollars, "\(name)'s profit, per household", "(margin x revenue + fees - fixed costs) / household-weeks") {
                ratio($0.profit[k], $0.householdWeeks)
            }
        }
        add("welfare", .dollars, "households' consumer surplus (log-sum in dollars, plus members' benefits beyond delivery, less their fees), per household",
            "mean over strategy steps of sum_i T_i / beta_i ln sum_j exp V_ij + (B_i - fee) / 4 for members, / households; differences between arms are what mean something",
            weekly: false) { ratio($0.welfare, $0.welfareSteps) / max(1, ratio($0.householdWeeks, $0.weeks)) }
        add("storeReach16Km", .share, "households within 16 km (10 miles) of a Walmart-like store, last week", "households in reach / households") {
            $0.reach?.share(.store) ?? 0
        }
        add("hubReach", .share, "households inside a Walmart-like hub's delivery radius, last week", "households in reach / households") {
            $0.reach?.share(.hub) ?? 0
        }
        add("sameDayReach", .share, "households inside an Amazon-like same-day radius, last week", "households in reach / households") {
            $0.reach?.share(.sameDay) ?? 0
        }
        add("ruralSameDayReach", .share, "rural households inside an Amazon-like same-day radius, last week",
            "rural households in reach / rural households") { $0.reach?.share(.sameDay, .rural) ?? 0 }
        add("ruralUrbanPrimeRatio", .ratio, "rural over urban Prime-like member share", "ruralPrimeShare / urbanPrimeShare") {
            ratio(ratio($0.segmentPrimeWeeks[r], $0.segmentHouseholdWeeks[r]), ratio($0.segmentPrimeWeeks[u], $0.segmentHouseholdWeeks[u]))
        }
        add("ruralUrbanOnlineRatio", .ratio, "rural over urban online share of spend", "ruralOnlineShare / urbanOnlineShare") {
            ratio(ratio($0.segmentOnlineSpend[r], $0.segmentSpend[r]), ratio($0.segmentOnlineSpend[u], $0.segmentSpend[u]))
        }
        // Income classes exist in the real country only (0 in the synthetic one).
        @Sendable func incomeOnline(_ t: ReplicateTotals, _ name: String) -> Double {
            guard let g = t.regions, let k = g.group(name) else { return 0 }
            return g.onlineShare(k)
        }
        add("onlineShareIncomeAbove50k", .share, "online share of spend of households earning over $50,000 a year, at the end (expected)",
            "(A + WO + OO) / spend over those households' choice probabilities, last week", weekly: false) { incomeOnline($0, "income>50k") }
        add("onlineShareIncomeBelow50k", .share, "online share of spend of households earning $50,000 a year or less, at the end (expected)",
            "(A + WO + OO) / spend over those households' choice probabilities, last week", weekly: false) { incomeOnline($0, "income<=50k") }
        add("onlineIncomeRatio", .ratio, "online share of households over $50,000 a year over that of those at or below",
            "onlineShareIncomeAbove50k / onlineShareIncomeBelow50k", weekly: false) {
            ratio(incomeOnline($0, "income>50k"), incomeOnline($0, "income<=50k"))
        }
        // The delivery path's published points (real country only; 0 in the synthetic one).
        for (label, name) in [("2023-02", "hubReachFeb2023"), ("2025-03", "hubReachMar2025")] {
            add(name, .share, "households inside a Walmart-like express radius with the delivery stores of \(label) (the published path)",
                "households inside the radius of any of the first N stores in delivery order / households", weekly: false) {
                $0.regions?.hubReachPath.first { $0.label == label }?.share ?? 0
            }
        }
        add("hubServiceReach", .share, "households a Walmart-like delivering store serves within the delivery window at the end (reach as service)",
            "households inside an express radius whose store's wait, slots' included, is within walmart.network.deliveryWindowHours / households",
            weekly: false) { $0.regions?.hubService ?? 0 }
        add("primeShareChange", .shareChange, "change of the Prime-like member share over the summarised weeks",
            "(members in the last week - members in the first) / households") { $0.primeShareChange }
        add("plusShareChange", .shareChange, "change of the Walmart+-like member share over the summarised weeks",
            "(members in the last week - members in the first) / households") { $0.plusShareChange }
        return list
    }
}
