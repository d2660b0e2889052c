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

    public init(previous: Int, current: Int, retained: Int) {
        self.previous = previous
        self.current = current
        self.retained = retained
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
            }
            return month
        }
        return perChunk.reduce(CustomerMonth(previous: 0, current: 0, retained: 0)) {
            CustomerMonth(previous: $0.previous + $1.previous, current: $0.current + $1.current, retained: $0.retained + $1.retained)
        }
    }
}
