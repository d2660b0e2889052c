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
    /// not cover its period (or, for a growth, the year before it).
    func value(_ t: HistoryTarget, in records: [WeekRecord]) -> Double? {
        guard let weeks = t.period.weeks(in: calendar, of: records.count) else { return nil }
        let span = records[(weeks.lowerBound - 1)..<weeks.upperBound]
        func mean(_ f: (WeekRecord) -> Double) -> Double { span.reduce(0) { $0 + f($1) } / Double(span.count) }
        switch t.series {
        case .onlineShare:
            let online = span.reduce(0) { sum, r in sum + Option.online.reduce(0) { $0 + r.revenue($1) } }
            let all = span.reduce(0) { sum, r in sum + Option.allCases.reduce(0) { $0 + r.revenue($1) } }
            return all > 0 ? online / all : nil
        case .primeHouseholdShare: return mean { Double($0.members(.prime)) } / shoppers
        case .primePeopleMillions: return mean { Double($0.members(.prime)) } / shoppers * people / 1e6
        case .plusHouseholdsMillions: return mean { Double($0.members(.plus)) } / shoppers * households / 1e6
        case .primeShareOfAmazonCustomers:
            // Counted at a month's end, as CIRP's customers are (an order in the last 13 weeks).
            guard let c = span.last(where: { $0.customers != nil })?.customers, c.amazonCustomers > 0 else { return nil }
            return Double(c.primeCustomers) / Double(c.amazonCustomers)
        case .walmartOnlineGrowth:
            guard let before = t.period.yearBefore.weeks(in: calendar, of: records.count),
                  let growth = marketGrowth[t.period.calendarYear] else { return nil }
            // Spend a week, so that a period of 14 weeks and its base of 13 compare.
            func weekly(_ w: ClosedRange<Int>) -> Double {
                records[(w.lowerBound - 1)..<w.upperBound].reduce(0) { $0 + $1.revenue(.walmartOnline) + $1.revenue(.walmartPickup) } / Double(w.count)
            }
            let base = weekly(before)
            return base > 0 ? weekly(weeks) / base * (1 + growth) - 1 : nil
        }
    }

    /// The series a chart draws week by week (a growth has no weekly value: its figures are drawn alone).
    static func weekly(_ series: HistoryTarget.Series, _ r: WeekRecord, scale: (shoppers: Double, households: Double, people: Double)) -> Double? {
        switch series {
        case .onlineShare:
            let all = Option.allCases.reduce(0) { $0 + r.revenue($1) }
            return all > 0 ? Option.online.reduce(0) { $0 + r.revenue($1) } / all : nil
        case .primeHouseholdShare: return Double(r.members(.prime)) / scale.shoppers
        case .primePeopleMillions: return Double(r.members(.prime)) / scale.shoppers * scale.people / 1e6
        case .plusHouseholdsMillions: return Double(r.members(.plus)) / scale.shoppers * scale.households / 1e6
        case .primeShareOfAmazonCustomers:
            guard let c = r.customers, c.amazonCustomers > 0 else { return nil }
            return Double(c.primeCustomers) / Double(c.amazonCustomers)
        case .walmartOnlineGrowth: return nil
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
