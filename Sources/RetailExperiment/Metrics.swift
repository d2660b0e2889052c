import RetailModel

/// The summary figures of one replicate (MODEL.md section 11), over the weeks
/// after warm-up: shares of spend and trips, and membership rates.
public struct ReplicateMetrics: Sendable, Equatable {
    /// Values in the order of `ReplicateMetrics.names`.
    public let values: [Double]

    /// The names of every metric, in a fixed order: the columns of sweep tables.
    /// The first 16 are MODEL.md section 11's; the rest serve validation and
    /// the article's claims (docs/MODEL.md section 11).
    public static let names: [String] =
        Option.allCases.map { "spendShare.\($0.code)" } + Option.allCases.map { "tripShare.\($0.code)" }
        + ["onlineShare", "amazonShareOfOnline", "walmartShareOfOnline", "walmartShareOfAll", "primeShare", "plusShare"]
        + ["urbanAmazonShare", "ruralAmazonShare", "urbanPrimeShare", "ruralPrimeShare",
           "amazonWaitHours", "walmartOnlineWaitHours", "amazonRepeatShare", "amazonCustomerChurn",
           "primeSpendRatio", "primeOrderRatio", "storeReach16Km", "hubReach", "sameDayReach", "ruralSameDayReach",
           "primeShareChange", "plusShareChange"]

    /// Where a metric's value must lie: shares, reaches and churn in [0, 1];
    /// changes of a share in [-1, 1]; ratios and hours non-negative.
    public static func range(of name: String) -> ClosedRange<Double> {
        name.hasSuffix("Change") ? -1...1 : name.contains("Ratio") || name.contains("Hours") ? 0...Double.greatestFiniteMagnitude : 0...1
    }

    /// Whether a metric is a share (or a change of one), shown in per cent or points.
    public static func isShare(_ name: String) -> Bool { range(of: name).upperBound <= 1 }

    public subscript(name: String) -> Double? {
        ReplicateMetrics.names.firstIndex(of: name).map { values[$0] }
    }

    /// Computes the metrics from a replicate's weekly records.
    public init(weeks: [WeekRecord], warmupWeeks: Int, shoppers: Int) {
        let kept = weeks.filter { $0.week > warmupWeeks }
        var spend = [Double](repeating: 0, count: Option.count)
        var trips = [Double](repeating: 0, count: Option.count)
        var segmentSpend = [Double](repeating: 0, count: Segment.count), segmentAmazon = segmentSpend
        var segmentPrime = [Double](repeating: 0, count: Segment.count)
        var prime = 0.0, plus = 0.0, primeSpend = 0.0, primeOrders = 0.0
        var waits = [Double](repeating: 0, count: Option.count)
        var previous = 0.0, current = 0.0, retained = 0.0
        for w in kept {
            for o in Option.allCases {
                spend[o.rawValue] += w.revenue(o)
                trips[o.rawValue] += Double(w.trips(o))
                waits[o.rawValue] += w.waitHours[o.rawValue]
            }
            for g in Segment.allCases {
                segmentSpend[g.rawValue] += Option.allCases.reduce(0) { $0 + w.revenue(g, $1) }
                segmentAmazon[g.rawValue] += w.revenue(g, .amazon)
                segmentPrime[g.rawValue] += Double(w.members(g, .prime))
            }
            prime += Double(w.members(.prime))
            plus += Double(w.members(.plus))
            primeSpend += w.primeSpend
            primeOrders += Double(w.primeOrders)
            if let c = w.customers {
                previous += Double(c.previous)
                current += Double(c.current)
                retained += Double(c.retained)
            }
        }
        func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }
        let allSpend = spend.reduce(0, +), allTrips = trips.reduce(0, +)
        let online = spend[Option.amazon.rawValue] + spend[Option.walmartOnline.rawValue] + spend[Option.otherOnline.rawValue]
        let personWeeks = Double(shoppers * kept.count)
        // Segment sizes from the last week's reach counts (segments never change).
        let reach = weeks.last?.reach
        let segmentShoppers = reach?.shoppers.map(Double.init) ?? [Double](repeating: 0, count: Segment.count)
        let weeksKept = Double(kept.count)
        let (u, r) = (Segment.urban.rawValue, Segment.rural.rawValue)
        // Spend (orders) per member-week over spend per non-member-week.
        func memberRatio(_ memberTotal: Double, _ allTotal: Double) -> Double {
            ratio(ratio(memberTotal, prime), ratio(allTotal - memberTotal, personWeeks - prime))
        }
        // Member share in the last week minus in the first summarised week.
        func change(_ g: Programme) -> Double {
            guard let first = kept.first, let last = kept.last, shoppers > 0 else { return 0 }
            return Double(last.members(g) - first.members(g)) / Double(shoppers)
        }
        values = spend.map { ratio($0, allSpend) } + trips.map { ratio($0, allTrips) } + [
            ratio(online, allSpend),
            ratio(spend[Option.amazon.rawValue], online),
            ratio(spend[Option.walmartOnline.rawValue], online),
            ratio(spend[Option.walmartStore.rawValue] + spend[Option.walmartOnline.rawValue], allSpend),
            ratio(prime, personWeeks),
            ratio(plus, personWeeks),
            ratio(segmentAmazon[u], segmentSpend[u]),
            ratio(segmentAmazon[r], segmentSpend[r]),
            ratio(segmentPrime[u], segmentShoppers[u] * weeksKept),
            ratio(segmentPrime[r], segmentShoppers[r] * weeksKept),
            ratio(waits[Option.amazon.rawValue], trips[Option.amazon.rawValue]),
            ratio(waits[Option.walmartOnline.rawValue], trips[Option.walmartOnline.rawValue]),
            ratio(retained, current),
            previous > 0 ? 1 - retained / previous : 0,
            memberRatio(primeSpend, spend[Option.amazon.rawValue]),
            memberRatio(primeOrders, trips[Option.amazon.rawValue]),
            reach?.share(.store) ?? 0,
            reach?.share(.hub) ?? 0,
            reach?.share(.sameDay) ?? 0,
            reach?.share(.sameDay, .rural) ?? 0,
            change(.prime),
            change(.plus),
        ]
    }
}
