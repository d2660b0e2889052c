import Foundation
import RetailModel

/// A period a history figure is dated to: a calendar year (`2015`), quarter
/// (`2015Q3`) or month (`2015-12`), or a Walmart fiscal year (`FY2019`,
/// February 2018 to January 2019) or fiscal quarter (`FY2018Q3`, August to
/// October 2017). A week belongs to the period that holds its first day.
public struct HistoryPeriod: Sendable, Equatable, CustomStringConvertible {
    public let description: String
    /// The first day and the day after the last, days since 1970-01-01.
    public let first: Int, end: Int

    /// Reads one of the forms above; nil for anything else.
    public init?(_ text: String) {
        func int(_ s: Substring) -> Int? { s.allSatisfy(\.isNumber) && !s.isEmpty ? Int(s) : nil }
        func day(_ y: Int, _ m: Int) -> Int { WeekCalendar.day(year: y + (m - 1) / 12, month: (m - 1) % 12 + 1, day: 1) }
        let t = Substring(text)
        var range: (Int, Int)?
        if t.hasPrefix("FY"), let y = int(t.dropFirst(2).prefix(4)) {
            let rest = t.dropFirst(6)
            if rest.isEmpty {
                range = (day(y - 1, 2), day(y, 2))
            } else if rest.count == 2, rest.first == "Q", let q = int(rest.dropFirst()), (1...4).contains(q) {
                let m = 2 + 3 * (q - 1)
                range = (day(y - 1, m), day(y - 1, m + 3))
            }
        } else if t.count == 4, let y = int(t) {
            range = (day(y, 1), day(y + 1, 1))
        } else if t.count == 6, t.dropFirst(4).first == "Q", let y = int(t.prefix(4)), let q = int(t.suffix(1)), (1...4).contains(q) {
            range = (day(y, 3 * q - 2), day(y, 3 * q + 1))
        } else if t.count == 7, t.dropFirst(4).first == "-", let y = int(t.prefix(4)), let m = int(t.suffix(2)), (1...12).contains(m) {
            range = (day(y, m), day(y, m + 1))
        }
        guard let range, (1900...2199).contains(Int(t.drop { !$0.isNumber }.prefix(4)) ?? 0) else { return nil }
        (description, first, end) = (text, range.0, range.1)
    }

    private init(description: String, first: Int, end: Int) { (self.description, self.first, self.end) = (description, first, end) }

    /// The same days a year earlier (a growth's base).
    public var yearBefore: HistoryPeriod {
        let f = WeekCalendar.civil(day: first), e = WeekCalendar.civil(day: end)
        return HistoryPeriod(description: description + " a year before", first: WeekCalendar.day(year: f.year - 1, month: f.month, day: f.day),
                             end: WeekCalendar.day(year: e.year - 1, month: e.month, day: e.day))
    }

    /// The calendar year that holds the period's middle day.
    public var calendarYear: Int { WeekCalendar.civil(day: (first + end - 1) / 2).year }

    /// The weeks of a run whose first day lies in the period (empty when none).
    public func weeks(in calendar: WeekCalendar, of run: Int) -> ClosedRange<Int>? {
        let a = max(1, calendar.week(containing: first - 1) + 1), b = min(run, calendar.week(containing: end - 1))
        return a <= b ? a...b : nil
    }

    /// The period's middle as a decimal year (a chart's x).
    public var middleYear: Double { HistoryPeriod.decimalYear(day: (first + end) / 2) }

    /// A day as a decimal year (2015.0 is 1 January 2015).
    static func decimalYear(day: Int) -> Double {
        let y = WeekCalendar.civil(day: day).year
        let a = WeekCalendar.day(year: y, month: 1, day: 1), b = WeekCalendar.day(year: y + 1, month: 1, day: 1)
        return Double(y) + Double(day - a) / Double(b - a)
    }
}

/// One dated published figure of the history (Experiments/targets/us-history.toml).
public struct HistoryTarget: Sendable {
    public enum Use: String, Sendable { case calibration, validation, diagnostic }

    /// What the model measures for a figure (docs/MODEL.md section 13).
    public enum Series: String, Sendable, CaseIterable {
        case onlineShare, primeHouseholdShare, primeShareOfAmazonCustomers, primePeopleMillions, plusHouseholdsMillions, walmartOnlineGrowth
        /// Prime-like member households over the period against the same days a year before, less 1.
        case primeHouseholdGrowth

        var isShare: Bool { self != .primePeopleMillions && self != .plusHouseholdsMillions }
        /// A growth over a year: one value a period, none a week.
        var isGrowth: Bool { self == .walmartOnlineGrowth || self == .primeHouseholdGrowth }
        var title: String {
            switch self {
            case .onlineShare: "Online share of US retail spend"
            case .primeHouseholdShare: "Prime-like member households"
            case .primeShareOfAmazonCustomers: "Prime-like members among Amazon-like customers"
            case .primePeopleMillions: "People in Prime-like member households, millions"
            case .plusHouseholdsMillions: "Walmart+-like member households, millions"
            case .walmartOnlineGrowth: "Walmart-like online spend, growth a year (nominal)"
            case .primeHouseholdGrowth: "Prime-like member households, growth a year"
            }
        }
    }

    public var name: String
    public var series: Series
    public var period: HistoryPeriod
    public var value: Double
    public var tolerance: Double
    public var use: Use
    public var source: String
    public var certainty: String
    public var note: String
    /// `within` unless the file says a floor (`atLeast`) or a ceiling (`atMost`).
    public var comparison = Target.Comparison.within

    public func agrees(_ model: Double) -> Bool { comparison.agrees(model, value: value, tolerance: tolerance) }
}

extension HistoryTarget.Use {
    /// How a check names the use (its reference's prefix, which the report
    /// counts by): a calibration figure is "fitted" once a fit has read it.
    func label(fitted: Bool) -> String {
        switch self {
        case .calibration: fitted ? "fitted" : "calibration, not fitted yet"
        case .validation: "held out"
        case .diagnostic: "reported only"
        }
    }
}

/// The history's figures and their uses, read from a file committed before any fit.
public struct HistoryTargetSet: Sendable {
    public var name: String
    public var targets: [HistoryTarget]

    static let fields = ["series", "period", "value", "tolerance", "use", "source", "certainty", "note", "comparison"]

    /// Reads `name = "..."` and one `[targets.NAME]` table a figure; unknown or missing fields and bad values are refused by line.
    public static func read(_ path: String) throws(InputError) -> HistoryTargetSet {
        var set = HistoryTargetSet(name: (path as NSString).lastPathComponent, targets: [])
        let read = try TargetSet.tables(try TOMLReader.assignments(try InputError.readText(path), name: path), fields: fields)
        if let name = read.name { set.name = name }
        let tables = read.tables
        guard !tables.isEmpty else { throw InputError(source: path, problem: "no [targets.NAME] tables") }
        for (name, f) in tables {
            func field(_ key: String) throws(InputError) -> Assignment {
                guard let a = f[key] else { throw InputError(source: path, path: "targets.\(name).\(key)", problem: "missing") }
                return a
            }
            func text(_ key: String) throws(InputError) -> String {
                let a = try field(key)
                guard case .text(let t) = a.value else { throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "expected text") }
                return t
            }
            func number(_ key: String) throws(InputError) -> Double {
                let a = try field(key)
                guard case .number(let d) = a.value, d.isFinite, d >= 0 || key == "value" else {
                    throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "expected a finite number" + (key == "value" ? "" : " >= 0"))
                }
                return d
            }
            let seriesText = try text("series"), periodText = try text("period"), useText = try text("use")
            guard let series = HistoryTarget.Series(rawValue: seriesText) else {
                throw InputError(source: try field("series").source, path: "targets.\(name).series", value: seriesText,
                                 problem: "allowed: " + HistoryTarget.Series.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard let period = HistoryPeriod(periodText) else {
                throw InputError(source: try field("period").source, path: "targets.\(name).period", value: periodText,
                                 problem: "allowed: a year (2015), quarter (2015Q3), month (2015-12), fiscal year (FY2019) or fiscal quarter (FY2018Q3)")
            }
            guard let use = HistoryTarget.Use(rawValue: useText) else {
                throw InputError(source: try field("use").source, path: "targets.\(name).use", value: useText,
                                 problem: "allowed: \"calibration\", \"validation\" or \"diagnostic\"")
            }
            var comparison = Target.Comparison.within
            if f["comparison"] != nil {
                let c = try text("comparison")
                guard let read = Target.Comparison(rawValue: c) else {
                    throw InputError(source: try field("comparison").source, path: "targets.\(name).comparison", value: c,
                                     problem: "allowed: \"within\", \"atMost\" or \"atLeast\"")
                }
                comparison = read
            }
            if use == .calibration && comparison != .within {
                throw InputError(source: try field("comparison").source, path: "targets.\(name).comparison", value: comparison.rawValue,
                                 problem: "a calibration figure is fitted within its tolerance; a floor or a ceiling is for a held-out or diagnostic figure")
            }
            let tolerance = try number("tolerance")
            if use != .diagnostic && comparison == .within && tolerance <= 0 {
                throw InputError(source: try field("tolerance").source, path: "targets.\(name).tolerance", value: "\(tolerance)",
                                 problem: "a calibration or held-out figure needs a tolerance > 0 (a floor or a ceiling may have 0)")
            }
            set.targets.append(HistoryTarget(name: name, series: series, period: period, value: try number("value"), tolerance: tolerance,
                                             use: use, source: try text("source"), certainty: try text("certainty"), note: try text("note"),
                                             comparison: comparison))
        }
        return set
    }
}
