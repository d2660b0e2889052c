import RetailModel

/// A run's figures week by week, for a sweep's `--record weekly`: every
/// metric of the catalogue that means something for one week, and both
/// retailers' price indices, in long form (`point,replicate,week,metric,value,date`;
/// `date` the week's first day, last so that readers by position keep working).
public enum WeeklySeries {
    public static let header = "point,replicate,week,metric,value,date"

    /// The metrics of the series, in catalogue order, then the prices.
    public static var names: [String] { MetricCatalog.all.filter(\.weekly).map(\.name) + ["priceIndex.amazon", "priceIndex.walmart"] }

    /// One replicate's lines (no header), each ending in a newline.
    public static func lines(point: Int, replicate: Int, weeks: [WeekRecord], shoppers: Int, calendar: WeekCalendar) -> String {
        let metrics = MetricCatalog.all.filter(\.weekly)
        var out = ""
        for w in weeks {
            let totals = ReplicateTotals(weeks: [w], warmupWeeks: 0, shoppers: shoppers)
            let lead = "\(point),\(replicate),\(w.week),", date = "," + calendar.date(ofWeek: w.week) + "\n"
            for m in metrics { out += lead + m.name + "," + JSONText.number(m.value(totals)) + date }
            out += lead + "priceIndex.amazon," + JSONText.number(w.amazon.priceIndex) + date
            out += lead + "priceIndex.walmart," + JSONText.number(w.walmart.priceIndex) + date
        }
        return out
    }
}
