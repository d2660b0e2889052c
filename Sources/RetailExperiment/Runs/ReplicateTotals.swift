import RetailModel

/// The sums over one replicate's summarised weeks (those after warm-up) that
/// every metric of `MetricCatalog` is computed from.
public struct ReplicateTotals: Sendable {
    /// Spend (dollars at simulated scale) and trips by option.
    public var spend = [Double](repeating: 0, count: Option.count)
    public var trips = [Double](repeating: 0, count: Option.count)
    /// Grocery spend by option (part of `spend`; zero without the category).
    public var grocerySpend = [Double](repeating: 0, count: Option.count)
    /// Of the online grocery spend, that of orders waiting a day or more.
    public var shippedGrocerySpend = 0.0
    /// Walmart-like online spend delivered from a store.
    public var storeDeliveredSpend = 0.0
    /// Sum of delivery hours over orders, by option.
    public var waitHours = [Double](repeating: 0, count: Option.count)
    /// Spend of each segment, and its spend at the Amazon-like retailer.
    public var segmentSpend = [Double](repeating: 0, count: Segment.count)
    public var segmentAmazonSpend = [Double](repeating: 0, count: Segment.count)
    /// Prime-like member-weeks by segment.
    public var segmentPrimeWeeks = [Double](repeating: 0, count: Segment.count)
    /// Household-weeks by segment (segments never change).
    public var segmentHouseholdWeeks = [Double](repeating: 0, count: Segment.count)
    /// Member-weeks of each programme.
    public var primeWeeks = 0.0, plusWeeks = 0.0
    /// Spend and orders at the Amazon-like retailer by Prime-like members.
    public var primeSpend = 0.0, primeOrders = 0.0
    /// Amazon-like customers: of the previous month, of the month, and of both (summed over months).
    public var previousCustomers = 0.0, currentCustomers = 0.0, retainedCustomers = 0.0
    /// Household-weeks summarised.
    public var householdWeeks = 0.0
    /// Each network's reach in the last week.
    public var reach: Reach?
    /// Shares by state, density and income at the replicate's end (its last record's).
    public var regions: RegionOutcome?
    /// Member share of each programme in the last summarised week minus the first.
    public var primeShareChange = 0.0, plusShareChange = 0.0
    /// Online spend of each segment.
    public var segmentOnlineSpend = [Double](repeating: 0, count: Segment.count)
    /// Walmart-like online orders by Walmart+-like members.
    public var plusOrders = 0.0
    /// Customer-weeks (an order in the last 13 weeks): Amazon-like, of them
    /// Prime-like members; Walmart-like online, of them Walmart+-like members.
    /// Counted at each month's end and scaled to the weeks summarised.
    public var amazonCustomerWeeks = 0.0, primeCustomerWeeks = 0.0
    public var walmartOnlineCustomerWeeks = 0.0, plusCustomerWeeks = 0.0
    /// Households that bought groceries online from the Walmart-like
    /// retailer in a month, and of them Walmart+-like members, summed over months.
    public var walmartOnlineGroceryBuyers = 0.0, plusOnlineGroceryBuyers = 0.0
    /// Member-weeks of both programmes.
    public var bothWeeks = 0.0
    /// Sums over weeks of each retailer's (Amazon-like, Walmart-like) price
    /// index, Lerner response price, realised margin, margin at the response
    /// price, and profit (dollars, simulated scale).
    public var price = [0.0, 0.0], responsePrice = [0.0, 0.0], margin = [0.0, 0.0], responseMargin = [0.0, 0.0]
    public var profit = [0.0, 0.0]
    /// Welfare summed over the strategy steps in the summarised weeks (dollars a
    /// week, simulated scale), and how many there were.
    public var welfare = 0.0, welfareSteps = 0.0
    /// Weeks summarised.
    public var weeks = 0.0

    public var allSpend: Double { spend.reduce(0, +) }
    public var allTrips: Double { trips.reduce(0, +) }
    public var onlineSpend: Double { spend(Option.online) }
    public func spend(_ o: Option) -> Double { spend[o.rawValue] }
    /// Spend on `options`, added in option order.
    public func spend(_ options: [Option]) -> Double { options.reduce(0) { $0 + spend[$1.rawValue] } }
    public func trips(_ o: Option) -> Double { trips[o.rawValue] }
    /// Grocery spend on `options`, added in option order.
    public func grocerySpend(_ options: [Option]) -> Double { options.reduce(0) { $0 + grocerySpend[$1.rawValue] } }

    /// Adds up `weeks` after the first `warmupWeeks`.
    public init(weeks: [WeekRecord], warmupWeeks: Int, shoppers: Int) {
        let kept = weeks.filter { $0.week > warmupWeeks }
        var monthEnds = 0.0
        for w in kept {
            for o in Option.allCases {
                spend[o.rawValue] += w.revenue(o)
                trips[o.rawValue] += Double(w.trips(o))
                waitHours[o.rawValue] += w.waitHours[o.rawValue]
                grocerySpend[o.rawValue] += w.groceryRevenue(o)
            }
            for g in Segment.allCases {
                segmentSpend[g.rawValue] += Option.allCases.reduce(0) { $0 + w.revenue(g, $1) }
                segmentAmazonSpend[g.rawValue] += w.revenue(g, .amazon)
                segmentPrimeWeeks[g.rawValue] += Double(w.members(g, .prime))
            }
            for g in Segment.allCases {
                segmentOnlineSpend[g.rawValue] += Option.online.reduce(0) { $0 + w.revenue(g, $1) }
            }
            plusOrders += Double(w.plusOrders)
            shippedGrocerySpend += w.shippedGroceryRevenue
            storeDeliveredSpend += w.storeDeliveredRevenue
            bothWeeks += Double(w.bothMembers)
            for (k, line) in [w.amazon, w.walmart].enumerated() {
                price[k] += line.priceIndex
                responsePrice[k] += line.responsePrice
                margin[k] += line.margin
                // c = p (1 - margin), so the margin at the response price is 1 - c / p_BR.
                responseMargin[k] += line.responsePrice > 0 ? 1 - line.priceIndex * (1 - line.margin) / line.responsePrice : 0
                profit[k] += line.profit
            }
            if let welfare = w.welfare {
                self.welfare += welfare
                welfareSteps += 1
            }
            primeWeeks += Double(w.members(.prime))
            plusWeeks += Double(w.members(.plus))
            primeSpend += w.primeSpend
            primeOrders += Double(w.primeOrders)
            if let c = w.customers {
                monthEnds += 1
                amazonCustomerWeeks += Double(c.amazonCustomers)
                primeCustomerWeeks += Double(c.primeCustomers)
                walmartOnlineCustomerWeeks += Double(c.walmartOnlineCustomers)
                plusCustomerWeeks += Double(c.plusCustomers)
                walmartOnlineGroceryBuyers += Double(c.walmartOnlineGroceryBuyers)
                plusOnlineGroceryBuyers += Double(c.plusOnlineGroceryBuyers)
                previousCustomers += Double(c.previous)
                currentCustomers += Double(c.current)
                retainedCustomers += Double(c.retained)
            }
        }
        householdWeeks = Double(shoppers * kept.count)
        self.weeks = Double(kept.count)
        if monthEnds > 0 {
            let perMonthEnd = self.weeks / monthEnds
            amazonCustomerWeeks *= perMonthEnd
            primeCustomerWeeks *= perMonthEnd
            walmartOnlineCustomerWeeks *= perMonthEnd
            plusCustomerWeeks *= perMonthEnd
        }
        // Segment sizes from the last week's reach counts.
        reach = weeks.last?.reach
        regions = weeks.last?.regions
        if let counts = reach?.shoppers {
            segmentHouseholdWeeks = counts.map { Double($0) * Double(kept.count) }
        }
        if let first = kept.first, let last = kept.last, shoppers > 0 {
            primeShareChange = Double(last.members(.prime) - first.members(.prime)) / Double(shoppers)
            plusShareChange = Double(last.members(.plus) - first.members(.plus)) / Double(shoppers)
        }
    }
}
