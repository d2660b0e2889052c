/// One retailer's figures for one week.
public struct RetailerWeek: Sendable, Equatable, Codable {
    public var priceIndex: Double
    /// Amazon-like: fulfilment centres plus same-day sites; Walmart-like: stores.
    public var facilities: Int
    /// Amazon-like: same-day sites; Walmart-like: delivery hubs.
    public var hubs: Int
    /// Amazon-like only.
    public var personalization: Double?
    /// Walmart-like only.
    public var inStock: Double?
    /// Merchandise revenue, dollars, simulated scale.
    public var revenue: Double
    /// Gross margin on revenue plus membership fees less fixed facility costs,
    /// dollars, simulated scale.
    public var profit: Double
    /// The price that would maximise profit on the demand of the last strategy
    /// step (the Lerner diagnostic), and the margin it implies.
    public var responsePrice: Double
    /// Realised gross margin (p - c) / p at this week's price, c the marginal cost.
    public var margin: Double
}

/// What one week produced: the aggregates of docs/MODEL.md section 8.
public struct WeekRecord: Sendable, Equatable, Codable {
    /// About what one record takes in memory, with its arrays (measured: 2.2 KB).
    public static let approximateBytes = 2400

    public var week: Int
    /// Trips by segment and option: `trips[segment * Option.count + option]`.
    public var trips: [Int]
    /// Spend, dollars, simulated scale, by segment and option.
    public var revenue: [Double]
    /// Members during the week by segment and programme: `members[segment * 2 + programme]`.
    public var members: [Int]
    /// Hours waited by the week's orders of each option, summed (0 for stores).
    public var waitHours: [Double]
    public var amazon: RetailerWeek
    public var walmart: RetailerWeek
    /// Amazon-like orders placed by Prime-like members this week.
    public var primeOrders: Int
    /// Their spend, dollars, simulated scale.
    public var primeSpend: Double
    /// Walmart-like online orders (delivered or picked up) placed by Walmart+-like members this week.
    public var plusOrders: Int
    /// Their spend on those orders, dollars, simulated scale.
    public var plusSpend: Double
    /// Households who are members of both programmes during the week.
    public var bothMembers: Int
    /// Grocery trips and spend (dollars, simulated scale) by segment and
    /// option, laid out as `trips`: part of `trips` and `revenue`; zero
    /// without the category.
    public var groceryTrips: [Int]
    public var groceryRevenue: [Double]
    /// Of the online grocery spend, that of orders waiting a day or more
    /// (shipped to the home, Brick Meets Click's third method), dollars, simulated scale.
    public var shippedGroceryRevenue: Double
    /// Walmart-like online spend delivered from a store (not shipped), dollars, simulated scale.
    public var storeDeliveredRevenue: Double
    /// Consumer welfare at the strategy step that closed this week (every
    /// 13th week), dollars a week at simulated scale; nil in other weeks.
    public var welfare: Double?
    /// At the end of each calendar month (its last week): the Amazon-like
    /// customers of this month and the last; nil in other weeks.
    public var customers: CustomerMonth?
    /// Who was within reach of each network during the week.
    public var reach: Reach
    /// Shares and memberships by state, density and income class: on a
    /// replicate's last record only (the experiment layer adds it).
    public var regions: RegionOutcome? = nil

    public func trips(_ segment: Segment, _ option: Option) -> Int { trips[segment.rawValue * Option.count + option.rawValue] }
    public func revenue(_ segment: Segment, _ option: Option) -> Double { revenue[segment.rawValue * Option.count + option.rawValue] }
    public func members(_ segment: Segment, _ programme: Programme) -> Int { members[segment.rawValue * Programme.count + programme.rawValue] }

    /// Mean wait of the week's orders of an online option, hours; nil for a
    /// store option or with no orders.
    public func meanWaitHours(_ option: Option) -> Double? {
        guard option.isOnline else { return nil }
        let orders = trips(option)
        return orders > 0 ? waitHours[option.rawValue] / Double(orders) : nil
    }

    /// Mean wait of all the week's online orders, hours (0 with none).
    package var meanOnlineWaitHours: Double {
        let online = Option.online
        let orders = online.reduce(0) { $0 + trips($1) }
        return orders > 0 ? online.reduce(0) { $0 + waitHours[$1.rawValue] } / Double(orders) : 0
    }

    /// Spend on an option over all segments.
    public func revenue(_ option: Option) -> Double { Segment.allCases.reduce(0) { $0 + revenue($1, option) } }
    public func trips(_ option: Option) -> Int { Segment.allCases.reduce(0) { $0 + trips($1, option) } }
    public func members(_ programme: Programme) -> Int { Segment.allCases.reduce(0) { $0 + members($1, programme) } }
    public func groceryTrips(_ segment: Segment, _ option: Option) -> Int { groceryTrips[segment.rawValue * Option.count + option.rawValue] }
    public func groceryRevenue(_ segment: Segment, _ option: Option) -> Double {
        groceryRevenue[segment.rawValue * Option.count + option.rawValue]
    }
    /// Grocery trips and spend on an option over all segments.
    public func groceryTrips(_ option: Option) -> Int { Segment.allCases.reduce(0) { $0 + groceryTrips($1, option) } }
    public func groceryRevenue(_ option: Option) -> Double { Segment.allCases.reduce(0) { $0 + groceryRevenue($1, option) } }
}
