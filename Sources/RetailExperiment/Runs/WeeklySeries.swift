import RetailModel

/// A run's figures week by week, for a sweep's `--record weekly`: every
/// metric of the catalogue that means something for one week, and both
/// retailers' price indices, in long form (`point,replicate,week,date,metric,value`;
/// `date` the week's first day).
public enum WeeklySeries {
    public static let header = "point,replicate,week,date,metric,value"

    /// The metrics of the series, in catalogue order, then the prices.
    public static var names: [String] { MetricCatalog.all.filter(\.weekly).map(\.name) + ["priceIndex.amazon", "priceIndex.walmart"] }

    /// One replicate's lines (no header), each ending in a newline.
    public static func lines(point: Int, replicate: Int, weeks: [WeekRecord], shoppers: Int, calendar: WeekCalendar) -> String {
        let metrics = MetricCatalog.all.filter(\.weekly)
        var out = ""
        for w in weeks {
            let totals = ReplicateTotals(weeks: [w], warmupWeeks: 0, shoppers: shoppers)
            let lead = "\(point),\(replicate),\(w.week),\(calendar.date(ofWeek: w.week)),"
            for m in metrics { out += lead + m.name + "," + JSONText.number(m.value(totals)) + "\n" }
            out += lead + "priceIndex.amazon," + JSONText.number(w.amazon.priceIndex) + "\n"
            out += lead + "priceIndex.walmart," + JSONText.number(w.walmart.priceIndex) + "\n"
        }
        return out
    }
}
