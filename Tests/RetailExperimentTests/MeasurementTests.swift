import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// How figures are measured: CIRP's member ratios among Amazon customers,
/// customers as households with an order in the last 13 weeks.
final class MeasurementTests: XCTestCase {
    /// A hand-made population over 4 weeks: 3 Prime members who all buy
    /// ($300 together), 7 non-members of whom 2 buy ($100 together) and 5
    /// never do. Per customer, a member spends $100 and a non-member $50: the
    /// ratio is 2. Over all non-members it would be 7.
    func testMemberRatiosCountOnlyAmazonCustomers() throws {
        var t = ReplicateTotals(weeks: [], warmupWeeks: 0, shoppers: 10)
        t.householdWeeks = 40
        t.weeks = 4
        t.primeWeeks = 12
        t.spend[Option.amazon.rawValue] = 400
        t.trips[Option.amazon.rawValue] = 10
        t.primeSpend = 300
        t.primeOrders = 6
        t.amazonCustomerWeeks = 20
        t.primeCustomerWeeks = 12
        let m = { (name: String) in MetricCatalog.metric(name)!.value(t) }
        XCTAssertEqual(m("primeSpendRatio"), (300.0 / 12) / (100.0 / 8), accuracy: 1e-12)
        XCTAssertEqual(m("primeSpendRatio"), 2, accuracy: 1e-12)
        XCTAssertEqual(m("primeOrderRatio"), (6.0 / 12) / (4.0 / 8), accuracy: 1e-12)
        XCTAssertEqual(m("primeShareOfAmazonCustomers"), 0.6, accuracy: 1e-12)
        XCTAssertEqual(m("primeShareOfAmazonOrders"), 0.6, accuracy: 1e-12)
        t.walmartOnlineGroceryBuyers = 40
        t.plusOnlineGroceryBuyers = 10
        XCTAssertEqual(m("plusShareOfWalmartOnlineGroceryBuyers"), 0.25, accuracy: 1e-12)
    }

    /// The month's customer counts are the households whose 13-week record has a
    /// bit set, counted from the households' own columns; the month's
    /// Walmart-like online grocery buyers are those whose grocery bit is set.
    func testCustomersAreShoppersWithAnOrderInThirteenWeeks() throws {
        let s = try scenario(settings: ["population.shoppers=20000", "membership.enabled=false", "start.burnInWeeks=0"])
        let market = try Market(parameters: s.model, seed: 3, replicate: 1, threads: 2)
        var records: [WeekRecord] = []
        // A calendar month's last week from week 10 on (13: March 2024's): the weeks before it, then it.
        let end = try XCTUnwrap((10...20).first(where: market.calendar.endsMonth))
        for _ in 1..<end { records.append(market.advanceWeek()) }
        let sh = market.shoppers
        // The month's grocery buyers so far; its last week adds at most its own grocery orders.
        let before = (0..<sh.count).filter { sh.walmartOnlineWeeks[$0] & Households.groceryMonthBit != 0 }.count
        records.append(market.advanceWeek())
        var amazon = 0, prime = 0, walmart = 0, plus = 0
        for i in 0..<sh.count {
            let a = sh.amazonWeeks[i] != 0, w = sh.walmartOnlineWeeks[i] != 0
            amazon += a ? 1 : 0
            prime += a && sh.has(.prime, i) ? 1 : 0
            walmart += w ? 1 : 0
            plus += w && sh.has(.plus, i) ? 1 : 0
            XCTAssertEqual(sh.amazonWeeks[i] & ~Households.recordMask, 0, "13 weeks kept, no more")
            XCTAssertEqual(sh.walmartOnlineWeeks[i] & ~Households.recordMask, 0, "the month's grocery bit is cleared at its end")
        }
        let month = try XCTUnwrap(records.last?.customers)
        XCTAssertEqual(month.amazonCustomers, amazon)
        XCTAssertEqual(month.primeCustomers, prime)
        XCTAssertEqual(month.walmartOnlineCustomers, walmart)
        XCTAssertEqual(month.plusCustomers, plus)
        let groceryOrders = records.last!.groceryTrips(.walmartOnline) + records.last!.groceryTrips(.walmartPickup)
        XCTAssertGreaterThan(before, 0)
        XCTAssertGreaterThanOrEqual(month.walmartOnlineGroceryBuyers, before)
        XCTAssertLessThanOrEqual(month.walmartOnlineGroceryBuyers, before + groceryOrders)
        XCTAssertLessThanOrEqual(month.walmartOnlineGroceryBuyers, month.walmartOnlineCustomers, "a month's buyers ordered in the last 13 weeks")
        XCTAssertLessThanOrEqual(month.plusOnlineGroceryBuyers, month.walmartOnlineGroceryBuyers)
        XCTAssertGreaterThan(amazon, 0)
        XCTAssertLessThan(amazon, sh.count)
        // Customers of 13 weeks outnumber those of the last 4-week month.
        XCTAssertGreaterThan(amazon, month.current)
    }
}
