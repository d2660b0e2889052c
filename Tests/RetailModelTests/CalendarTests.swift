import Foundation
import RetailExperiment
import RetailModel
import XCTest

/// Calendar time (docs/MODEL.md section 2): weeks from `run.start`, the
/// monthly and quarterly steps on the calendar's month and quarter ends.
final class CalendarTests: XCTestCase {
    func testDaysAndDatesRoundTripOverTheAllowedYears() {
        XCTAssertEqual(WeekCalendar.day(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(WeekCalendar.day(year: 2000, month: 3, day: 1), 11_017)
        XCTAssertEqual(WeekCalendar.baselineStart, 19_723)
        // Every day from 1900-01-01 to 2199-12-31 reads back as itself, one after another.
        var previous = WeekCalendar.civil(day: WeekCalendar.day(year: 1899, month: 12, day: 31))
        for n in WeekCalendar.day(year: 1900, month: 1, day: 1)...WeekCalendar.day(year: 2199, month: 12, day: 31) {
            let c = WeekCalendar.civil(day: n)
            XCTAssertEqual(WeekCalendar.day(year: c.year, month: c.month, day: c.day), n)
            let next = c.day == previous.day + 1 && c.month == previous.month
                || c.day == 1 && (c.month == previous.month % 12 + 1)
            if !next { XCTFail("\(previous) then \(c)"); break }
            previous = c
        }
        XCTAssertEqual(WeekCalendar.day(text: "2024-02-29"), WeekCalendar.day(year: 2024, month: 2, day: 29))
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "1899-12-31", "2200-01-01", "2024-01-01T00:00", "", "२०२४-०१-०१"] {
            XCTAssertNil(WeekCalendar.day(text: bad), bad)
        }
    }

    /// 2024 from Monday 1 January: January has five weeks; the quarters end
    /// after weeks 13, 26, 40 (30 September starts a September week) and 53.
    func testMonthsAndQuartersFollowTheCalendar() {
        let c = WeekCalendar()
        XCTAssertEqual(c.date(ofWeek: 1), "2024-01-01")
        XCTAssertEqual(c.date(ofWeek: 0), "2023-12-25", "the burn-in's last week")
        XCTAssertEqual((1...53).filter(c.endsQuarter), [13, 26, 40, 53])
        XCTAssertEqual((1...53).filter(c.endsYear), [53])
        XCTAssertEqual((1...53).filter(c.endsMonth), [5, 9, 13, 18, 22, 26, 31, 35, 40, 44, 48, 53])
        XCTAssertEqual(c.week(containing: WeekCalendar.day(year: 2024, month: 3, day: 15)), 11)
        XCTAssertEqual(c.week(containing: WeekCalendar.day(year: 2023, month: 12, day: 31)), 0)
        XCTAssertEqual(c.week(containing: WeekCalendar.day(year: 2023, month: 12, day: 24)), -1)
        // Over 20 years a month ends 12 times a year and a quarter 4 times, whatever the weekday of the start.
        let from2015 = WeekCalendar(start: WeekCalendar.day(year: 2015, month: 1, day: 7))
        let weeks = 1...from2015.week(containing: WeekCalendar.day(year: 2034, month: 12, day: 31))
        XCTAssertEqual(weeks.filter(from2015.endsMonth).count, 240)
        XCTAssertEqual(weeks.filter(from2015.endsQuarter).count, 80)
    }

    /// The market takes its steps on the calendar: the strategy step (the
    /// week's welfare) after each quarter's last week, the month's customers
    /// after each month's, from whatever date the run starts.
    func testTheMarketStepsOnCalendarMonthsAndQuarters() throws {
        for start in ["2024-01-01", "2015-07-15"] {
            let s = try scenario(["population.shoppers=2000", "start.burnInWeeks=6", "run.start=\(start)"])
            let market = try s.market(replicate: 1, threads: 2)
            let records = (1...30).map { _ in market.advanceWeek() }
            let c = s.calendar
            XCTAssertEqual(records.filter { $0.welfare != nil }.map(\.week), (1...30).filter(c.endsQuarter), start)
            XCTAssertEqual(records.filter { $0.customers != nil }.map(\.week), (1...30).filter(c.endsMonth), start)
        }
    }
}
