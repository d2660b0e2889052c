/// The Amazon-like retailer's customers in two consecutive 4-week months: how
/// many ordered in each and how many of last month's ordered again. Repeat
/// share and customer churn (the article's loyalty claims) come from these.
public struct CustomerMonth: Sendable, Equatable {
    /// Shoppers with at least one Amazon-like order last month.
    public var previous: Int
    /// Shoppers with at least one Amazon-like order this month.
    public var current: Int
    /// Shoppers who ordered in both.
    public var retained: Int
    /// Customers as CIRP counts them, at the end of the month: shoppers with an
    /// order in the last 13 weeks, of the Amazon-like retailer (and of them
    /// Prime-like members) and of Walmart-like online (and of them Walmart+-like members).
    public var amazonCustomers = 0, primeCustomers = 0
    public var walmartOnlineCustomers = 0, plusCustomers = 0

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
        return c
    }

    /// Closes the month: counts the order bits the weekly choice set, then
    /// moves this month's bit into last month's place. One pass every 4 weeks.
    static func close(shoppers s: Shoppers, chunks: Int, threads: Int) -> CustomerMonth {
        let now = ShopperFlags.orderedAmazonThisMonth.rawValue, before = ShopperFlags.orderedAmazonLastMonth.rawValue
        let perChunk = Parallel.map(chunks, threads: threads) { c in
            var month = CustomerMonth(previous: 0, current: 0, retained: 0)
            for i in Parallel.range(ofChunk: c, shoppers: s.count) {
                let f = s.flags[i]
                let current = f & now != 0 ? 1 : 0, previous = f & before != 0 ? 1 : 0
                month.previous += previous
                month.current += current
                month.retained += current & previous
                s.flags[i] = (f & ~(now | before)) | (current != 0 ? before : 0)
                let amazon = s.amazonWeeks[i] != 0 ? 1 : 0, walmart = s.walmartOnlineWeeks[i] != 0 ? 1 : 0
                let prime = f & ShopperFlags.prime.rawValue != 0 ? 1 : 0, plus = f & ShopperFlags.plus.rawValue != 0 ? 1 : 0
                month.amazonCustomers += amazon
                month.primeCustomers += amazon & prime
                month.walmartOnlineCustomers += walmart
                month.plusCustomers += walmart & plus
            }
            return month
        }
        return perChunk.reduce(CustomerMonth(previous: 0, current: 0, retained: 0), +)
    }
}
