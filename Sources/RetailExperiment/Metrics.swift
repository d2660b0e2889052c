import RetailModel

/// The summary figures of one replicate (MODEL.md section 11), over the weeks
/// after warm-up: shares of spend and trips, and membership rates.
public struct ReplicateMetrics: Sendable, Equatable {
    /// Values in the order of `ReplicateMetrics.names`.
    public let values: [Double]

    /// The names of every metric, in a fixed order: the columns of sweep tables.
    public static let names: [String] =
        Option.allCases.map { "spendShare.\($0.code)" } + Option.allCases.map { "tripShare.\($0.code)" }
        + ["onlineShare", "amazonShareOfOnline", "walmartShareOfOnline", "walmartShareOfAll", "primeShare", "plusShare"]

    public subscript(name: String) -> Double? {
        ReplicateMetrics.names.firstIndex(of: name).map { values[$0] }
    }

    /// Computes the metrics from a replicate's weekly records.
    public init(weeks: [WeekRecord], warmupWeeks: Int, shoppers: Int) {
        let kept = weeks.filter { $0.week > warmupWeeks }
        var spend = [Double](repeating: 0, count: Option.count)
        var trips = [Double](repeating: 0, count: Option.count)
        var prime = 0.0, plus = 0.0
        for w in kept {
            for o in Option.allCases {
                spend[o.rawValue] += w.revenue(o)
                trips[o.rawValue] += Double(w.trips(o))
            }
            prime += Double(w.members(.prime))
            plus += Double(w.members(.plus))
        }
        func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }
        let allSpend = spend.reduce(0, +), allTrips = trips.reduce(0, +)
        let online = spend[Option.amazon.rawValue] + spend[Option.walmartOnline.rawValue] + spend[Option.otherOnline.rawValue]
        let personWeeks = Double(shoppers * kept.count)
        values = spend.map { ratio($0, allSpend) } + trips.map { ratio($0, allTrips) } + [
            ratio(online, allSpend),
            ratio(spend[Option.amazon.rawValue], online),
            ratio(spend[Option.walmartOnline.rawValue], online),
            ratio(spend[Option.walmartStore.rawValue] + spend[Option.walmartOnline.rawValue], allSpend),
            ratio(prime, personWeeks),
            ratio(plus, personWeeks),
        ]
    }
}
