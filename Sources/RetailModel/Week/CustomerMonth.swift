import RetailStats

/// The Amazon-like retailer's customers in two consecutive calendar months: how
/// many ordered in each and how many of last month's ordered again. Repeat
/// share and customer churn (the article's loyalty claims) come from these.
public struct CustomerMonth: Sendable, Equatable, Codable {
    /// Households with at least one Amazon-like order last month.
    public var previous: Int
    /// Households with at least one Amazon-like order this month.
    public var current: Int
    /// Households who ordered in both.
    public var retained: Int
    /// Customers as CIRP counts them, at the end of the month: households with an
    /// order in the last 13 weeks, of the Amazon-like retailer (and of them
    /// Prime-like members) and of Walmart-like online (and of them Walmart+-like members).
    public var amazonCustomers = 0, primeCustomers = 0
    public var walmartOnlineCustomers = 0, plusCustomers = 0
    /// Households that bought groceries online (WO or WP) from the
    /// Walmart-like retailer in the month, and of them Walmart+-like members.
    public var walmartOnlineGroceryBuyers = 0, plusOnlineGroceryBuyers = 0

    public init(previous: Int, current: Int, retained: Int) {
        self.previous = previous
        self.current = current
        self.retained = retained
    }

    static func + (a: CustomerMonth, b: CustomerMonth) -> CustomerMonth {
        var c = CustomerMonth(previous: a.previous + b.previous, current: a.current + b.current, retained: a.retained + b.retained)
        c.amazonCustomers = a.amazonCustomers + b.amazonCustomers
        c.primeCustomers = a.primeCustomers + b.primeCustomers
        c.walmartOnlineCustomers = a.walmartOnlineCustomers + b.walmartOnlineCustomers
        c.plusCustomers = a.plusCustomers + b.plusCustomers
        c.walmartOnlineGroceryBuyers = a.walmartOnlineGroceryBuyers + b.walmartOnlineGroceryBuyers
        c.plusOnlineGroceryBuyers = a.plusOnlineGroceryBuyers + b.plusOnlineGroceryBuyers
        return c
    }

    /// Closes the month: counts the order bits the weekly choice set, then
    /// moves this month's bit into last month's place and clears the month's
    /// grocery bit. One pass a calendar month,
    /// eight households a vector (counts as masks: each set lane subtracts 1).
    static func close(shoppers s: Households, chunks: Int, threads: Int) -> CustomerMonth {
        let now = Int32(HouseholdFlags.orderedAmazonThisMonth.rawValue), before = Int32(HouseholdFlags.orderedAmazonLastMonth.rawValue)
        let perChunk = Parallel.map(chunks, threads: threads) { c in
            typealias C = HouseholdLanes
            var previous = LaneInts(), current = LaneInts(), retained = LaneInts()
            var amazon = LaneInts(), prime = LaneInts(), walmart = LaneInts(), plus = LaneInts()
            var grocery = LaneInts(), plusGrocery = LaneInts()
            let zero = LaneInts(), record = splat(Int32(Households.recordMask)), groceryMonth = splat(Int32(Households.groceryMonthBit))
            forEachVector(of: s, in: Parallel.range(ofChunk: c, shoppers: s.count)) { columns, k, live in
                let f = C.load(columns.flags, k)
                let isCurrent = has(f, .orderedAmazonThisMonth), isPrevious = has(f, .orderedAmazonLastMonth)
                previous &+= isPrevious & live
                current &+= isCurrent & live
                retained &+= isCurrent & isPrevious & live
                C.store((f & splat(~(now | before))) | (isCurrent & splat(before)), columns.flags, k)
                let isAmazon = ~equal(C.load(columns.amazonWeeks, k), zero) & live
                let weeks = C.load(columns.walmartWeeks, k)
                let isWalmart = ~equal(weeks & record, zero) & live
                let boughtGrocery = ~equal(weeks & groceryMonth, zero) & live
                C.store(weeks & record, columns.walmartWeeks, k)
                grocery &+= boughtGrocery
                plusGrocery &+= boughtGrocery & has(f, .plus)
                amazon &+= isAmazon
                prime &+= isAmazon & has(f, .prime)
                walmart &+= isWalmart
                plus &+= isWalmart & has(f, .plus)
            }
            func count(_ v: LaneInts) -> Int { -Int(v.wrappedSum()) }
            var month = CustomerMonth(previous: count(previous), current: count(current), retained: count(retained))
            month.amazonCustomers = count(amazon)
            month.primeCustomers = count(prime)
            month.walmartOnlineCustomers = count(walmart)
            month.plusCustomers = count(plus)
            month.walmartOnlineGroceryBuyers = count(grocery)
            month.plusOnlineGroceryBuyers = count(plusGrocery)
            return month
        }
        return perChunk.reduce(CustomerMonth(previous: 0, current: 0, retained: 0), +)
    }
}
