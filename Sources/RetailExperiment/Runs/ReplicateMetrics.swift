import RetailModel

/// The summary figures of one replicate over the weeks after warm-up, one
/// value per entry of `MetricCatalog.all`, in its order.
public struct ReplicateMetrics: Sendable, Equatable {
    /// Values in the order of `MetricCatalog.all`.
    public let values: [Double]

    public subscript(name: String) -> Double? {
        MetricCatalog.index(of: name).map { values[$0] }
    }

    /// Computes the metrics from a replicate's weekly records.
    public init(weeks: [WeekRecord], warmupWeeks: Int, shoppers: Int) {
        let totals = ReplicateTotals(weeks: weeks, warmupWeeks: warmupWeeks, shoppers: shoppers)
        values = MetricCatalog.all.map { $0.value(totals) }
    }
}
