/// The run's calendar (docs/MODEL.md section 2): week 1 starts on the start
/// date (`run.start`), every week is seven days, and a week belongs to the
/// month, quarter and year of its first day. The monthly step (memberships,
/// the month's customers) comes after the last week of each calendar month,
/// the strategy step after the last of each calendar quarter, a yearly rule
/// after the last of each year: 12, 4 and 1 a year, as the record counts them.
/// The burn-in's weeks are dated before the start (week 0 and earlier).
/// `Kind.weeks` keeps RetailSim's rhythm before 0.21.0, to reproduce its results.
public struct WeekCalendar: Sendable, Equatable {
    /// The first day of week 1, days since 1970-01-01.
    public var start: Int
    public var kind: Kind

    /// How months and quarters fall (`run.calendar`).
    public enum Kind: String, Sendable, CaseIterable {
        /// The calendar's months and quarters (12 and 4 a year).
        case gregorian
        /// A month every 4 weeks, a quarter every 13, a year every 52, counted
        /// from week 1 (and back through the burn-in), and monthly money over
        /// 4 weeks, quarterly over 13: RetailSim before 0.21.0.
        case weeks
    }

    /// 2024-01-01, a Monday: the built-in baseline is the 2024 market.
    public static let baselineStart = WeekCalendar.day(year: 2024, month: 1, day: 1)

    public init(start: Int = WeekCalendar.baselineStart, kind: Kind = .gregorian) { (self.start, self.kind) = (start, kind) }

    /// Weeks a monthly fee or value is spread over, and a quarterly cost.
    public var weeksPerMonth: Double { kind == .weeks ? 4 : Weeks.perMonth }
    public var weeksPerQuarter: Double { kind == .weeks ? 13 : Weeks.perQuarter }

    /// The first day of week `week` (1 = the run's first; 0 and below the burn-in's).
    public func firstDay(ofWeek week: Int) -> Int { start + 7 * (week - 1) }

    /// The week that holds `day` (days since 1970-01-01); below 1 before the start.
    public func week(containing day: Int) -> Int {
        let offset = day - start
        return (offset >= 0 ? offset / 7 : (offset - 6) / 7) + 1
    }

    /// The first day of week `week` as YYYY-MM-DD.
    public func date(ofWeek week: Int) -> String { WeekCalendar.text(day: firstDay(ofWeek: week)) }

    /// Whether week `week` is the last of its calendar month: the next starts in another.
    public func endsMonth(_ week: Int) -> Bool { kind == .weeks ? every(4, week) : monthIndex(week) != monthIndex(week + 1) }
    /// Whether week `week` is the last of its calendar quarter.
    public func endsQuarter(_ week: Int) -> Bool { kind == .weeks ? every(13, week) : monthIndex(week) / 3 != monthIndex(week + 1) / 3 }
    /// Whether week `week` is the last of its calendar year.
    public func endsYear(_ week: Int) -> Bool { kind == .weeks ? every(52, week) : monthIndex(week) / 12 != monthIndex(week + 1) / 12 }

    private func every(_ n: Int, _ week: Int) -> Bool { ((week % n) + n) % n == 0 }

    /// Months since January of year 0 of the week's first day.
    private func monthIndex(_ week: Int) -> Int {
        let c = WeekCalendar.civil(day: firstDay(ofWeek: week))
        return c.year * 12 + c.month - 1
    }

    // Howard Hinnant's days_from_civil and civil_from_days (proleptic Gregorian).

    /// Days since 1970-01-01 of a date; month 1-12, day 1-31.
    public static func day(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day since 1970-01-01.
    public static func civil(day: Int) -> (year: Int, month: Int, day: Int) {
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// YYYY-MM-DD.
    public static func text(day: Int) -> String {
        let c = civil(day: day)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(c.year)-\(two(c.month))-\(two(c.day))"
    }

    /// The day of a YYYY-MM-DD text between 1900-01-01 and 2199-12-31, or nil.
    public static func day(text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1900...2199).contains(y), (1...12).contains(m), d >= 1 else { return nil }
        let n = day(year: y, month: m, day: d)
        guard civil(day: n) == (y, m, d) else { return nil }  // 2023-02-29 is not a date
        return n
    }
}
