import Foundation
import RetailModel

/// What a history run says about a dated figure (docs/MODEL.md section 13):
/// each series measured over the weeks of the figure's period, replicate by
/// replicate, from the records a run keeps.
struct HistoryMeasure {
    let calendar: WeekCalendar
    /// Simulated households, and the households and people they stand for.
    let shoppers: Double, households: Double, people: Double
    /// US retail sales' nominal growth by calendar year (Experiments/history/market-growth.csv).
    let marketGrowth: [Int: Double]

    init(scenario s: Scenario, marketGrowth: [Int: Double]) {
        calendar = s.calendar
        shoppers = Double(s.model.population.shoppers)
        (households, people) = (s.model.population.households, s.model.population.people)
        self.marketGrowth = marketGrowth
    }

    /// The figure's value in one replicate's records, nil when the run does
    /// not cover its period (or, for a growth, the year before it). Shares
    /// are the metric catalogue's over the period's weeks (the one
    /// definition of each); counts are those shares of the households or
    /// people the simulated ones stand for.
    func value(_ t: HistoryTarget, in records: [WeekRecord]) -> Double? {
        guard let weeks = t.period.weeks(in: calendar, of: records.count) else { return nil }
        if t.series.isGrowth {
            guard let before = t.period.yearBefore.weeks(in: calendar, of: records.count) else { return nil }
            // Members are counted; Walmart's online spend is summed.
            let quantity: (WeekRecord) -> Double = t.series == .primeHouseholdGrowth
                ? { Double($0.members(.prime)) } : { $0.revenue(.walmartOnline) + $0.revenue(.walmartPickup) }
            // A week's mean, so that a period of 14 weeks and its base of 13 compare.
            func weekly(_ w: ClosedRange<Int>) -> Double {
                records[(w.lowerBound - 1)..<w.upperBound].reduce(0) { $0 + quantity($1) } / Double(w.count)
            }
            // Spend is made nominal with US retail's growth; members are not.
            let nominal = t.series == .primeHouseholdGrowth ? 0 : marketGrowth[t.period.calendarYear]
            guard let nominal else { return nil }
            let base = weekly(before)
            return base > 0 ? weekly(weeks) / base * (1 + nominal) - 1 : nil
        }
        return HistoryMeasure.share(t.series, weeks: Array(records[(weeks.lowerBound - 1)..<weeks.upperBound]), scale: scale)
    }

    var scale: (shoppers: Double, households: Double, people: Double) { (shoppers, households, people) }

    /// A series over `weeks` (one week: the chart's weekly value); nil for a
    /// growth, which has no weekly value, or where the weeks hold no customers.
    static func share(_ series: HistoryTarget.Series, weeks: [WeekRecord], scale: (shoppers: Double, households: Double, people: Double)) -> Double? {
        let totals = ReplicateTotals(weeks: weeks, warmupWeeks: 0, shoppers: Int(scale.shoppers))
        func metric(_ name: String) -> Double { MetricCatalog.metric(name)!.value(totals) }
        switch series {
        case .onlineShare: return metric("onlineShare")
        case .primeHouseholdShare: return metric("primeShare")
        case .primePeopleMillions: return metric("primeShare") * scale.people / 1e6
        case .plusHouseholdsMillions: return metric("plusShare") * scale.households / 1e6
        case .primeShareOfAmazonCustomers:
            // Counted at a month's end, as CIRP's customers are (an order in the last 13 weeks).
            guard weeks.contains(where: { $0.customers != nil }) else { return nil }
            let v = metric("primeShareOfAmazonCustomers")
            return v.isFinite ? v : nil
        case .walmartOnlineGrowth, .primeHouseholdGrowth: return nil
        }
    }

    /// Reads `year,growth_pct,source` rows (growth in per cent).
    static func readMarketGrowth(_ path: String) throws(InputError) -> [Int: Double] {
        let table = try CSVTable(path: path)
        let year = try table.column("year", in: path), pct = try table.column("growth_pct", in: path)
        var growth: [Int: Double] = [:]
        for (k, row) in table.rows.enumerated() {
            let y = try table.number(row, year, line: k, in: path)
            growth[Int(y)] = try table.number(row, pct, line: k, in: path) / 100
        }
        return growth
    }
}
