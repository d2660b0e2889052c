import Foundation
import RetailExperiment
import RetailModel
import XCTest

/// Shares, counts and figures that must hold in any run (docs/MODEL.md section 9).
final class InvariantTests: XCTestCase {
    func testSharesSumToOneCountsNonNegativeFiguresFinite() throws {
        let s = try scenario(["population.shoppers=30000"])
        let (market, records) = try simulate(s, weeks: 30)
        for r in records {
            XCTAssertTrue(r.trips.allSatisfy { $0 >= 0 })
            XCTAssertTrue(r.members.allSatisfy { $0 >= 0 && $0 <= market.shoppers.count })
            XCTAssertTrue(r.revenue.allSatisfy { $0.isFinite && $0 >= 0 })
            for line in [r.amazon, r.walmart] {
                XCTAssertTrue(line.revenue.isFinite && line.profit.isFinite && line.priceIndex.isFinite)
            }
            XCTAssertTrue(r.meanOnlineWaitHours.isFinite && r.meanOnlineWaitHours > 0)
            // Each option's mean wait lies within its own delivery promises.
            let a = s.model.amazon, w = s.model.walmart
            XCTAssertTrue((a.hours.sameDay...a.hours.nonMember).contains(r.meanWaitHours(.amazon)!))
            XCTAssertTrue((w.hours.hubAugmented...w.hours.standard).contains(r.meanWaitHours(.walmartOnline)!))
            // Other sellers' orders wait their general merchandise's hours or, fresh groceries, their own.
            let c = s.model.choice, otherHours = [c.otherOnlineHours, c.grocery.otherOnlineHours]
            XCTAssertTrue((otherHours.min()! - 1e-9...otherHours.max()! + 1e-9).contains(r.meanWaitHours(.otherOnline)!))
            XCTAssertNil(r.meanWaitHours(.walmartStore))
        }
        let metrics = ReplicateMetrics(weeks: records, warmupWeeks: 4, shoppers: market.shoppers.count)
        for (name, value) in zip(MetricCatalog.names, metrics.values) {
            XCTAssertTrue(value.isFinite && MetricCatalog.metric(name)!.kind.range.contains(value), "\(name) = \(value)")
        }
        // Customers: a month's returning customers are among both months' customers.
        for r in records {
            guard let c = r.customers else { XCTAssertFalse(market.calendar.endsMonth(r.week)); continue }
            XCTAssertLessThanOrEqual(c.retained, min(c.previous, c.current))
            XCTAssertLessThanOrEqual(c.current, market.shoppers.count)
        }
        XCTAssertEqual(records.compactMap(\.customers).count, (1...30).filter(market.calendar.endsMonth).count, "a count after each calendar month")
        let spend = Option.allCases.map { metrics["spendShare.\($0.code)"]! }
        let trips = Option.allCases.map { metrics["tripShare.\($0.code)"]! }
        XCTAssertEqual(spend.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(trips.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(metrics["amazonShareOfOnline"]! + metrics["walmartShareOfOnline"]!
                       + metrics["spendShare.OO"]! / metrics["onlineShare"]!, 1, accuracy: 1e-12)
        // Habits are shares: each in [0, 1] and summing to 1 but for fixed-point
        // rounding. Each week rounds five habits by at most half a step, and
        // (1 - delta) of the error carries over, so the sum stays within
        // 5 x 0.5 / delta steps of 1, however long the run (the burn-in included).
        let sh = market.shoppers
        let bound = 5 * 0.5 / market.parameters.choice.habitDecay / Double(Households.unit)
        for i in stride(from: 0, to: sh.count, by: 97) {
            let h = Option.allCases.map { Double(sh.habit($0, i)) }
            XCTAssertTrue(h.allSatisfy { $0 >= 0 && $0 <= 1 })
            XCTAssertLessThanOrEqual(h.reduce(0, +), 1 + bound)
        }
    }

    /// Flags set incrementally when hubs and sites are added agree with a
    /// brute-force check of every household against every facility.
    func testCoverageFlagsMatchBruteForceAfterExpansion() throws {
        let s = try scenario(["population.shoppers=20000", "walmart.strategy.hubsPerQuarter=200",
                              "amazon.strategy.ruralSitesPerQuarter=60"])
        let (market, _) = try simulate(s, weeks: 26)
        let f = market.facilities, sh = market.shoppers
        XCTAssertEqual(f.sameDaySites.count, 60 + 2 * 60)
        XCTAssertEqual(f.hubCount, Int((0.3 * Double(f.stores.count)).rounded()) + 2 * 200)
        let hubs = zip(f.stores, f.isHub).filter(\.1).map(\.0)
        let hubR = Float(s.model.walmart.hubRadiusKm), sdR = Float(s.model.amazon.sameDayRadiusKm)
        for i in stride(from: 0, to: sh.count, by: 7) {
            let p = sh.position(i)
            func inside(_ points: [Point], _ r: Float) -> Bool {
                points.contains { let dx = $0.x - p.x, dy = $0.y - p.y; return dx * dx + dy * dy <= r * r }
            }
            XCTAssertEqual(sh.has(.hub, i), inside(hubs, hubR), "hub flag of shopper \(i)")
            XCTAssertEqual(sh.has(.sameDay, i), inside(f.sameDaySites, sdR), "same-day flag of shopper \(i)")
            XCTAssertEqual(sh.storeKm[i], f.stores.map { $0.distance(to: p) }.min()!, accuracy: 1e-3)
        }
    }

    /// Greedy coverage picks, each time, the candidate covering the most new shoppers.
    func testNewHubsCoverMoreShoppers() throws {
        let s = try scenario(["population.shoppers=20000", "walmart.strategy.hubsPerQuarter=100",
                              "amazon.strategy.enabled=false"])
        let (market, _) = try simulate(s, weeks: 13)
        let before = try simulate(s, weeks: 12).0
        let covered = { (m: Market) in (0..<m.shoppers.count).filter { m.shoppers.has(.hub, $0) }.count }
        XCTAssertGreaterThan(covered(market), covered(before))
    }

    /// Segments, communities and positions are what section 3 says.
    func testGeographyAndSegments() throws {
        let s = try scenario(["population.shoppers=50000"])
        let market = try Market(parameters: s.model, seed: 3, replicate: 1, threads: 2)
        let sh = market.shoppers
        var rural = 0
        for i in 0..<sh.count {
            let p = sh.position(i)
            XCTAssertTrue((0...4500).contains(p.x) && (0...2500).contains(p.y))
            if sh.segmentOf(i) == .rural {
                rural += 1
                XCTAssertEqual(Int(sh.community[i]), market.geography.cities.count)
            } else {
                XCTAssertLessThan(Int(sh.community[i]), market.geography.cities.count)
            }
        }
        XCTAssertEqual(Double(rural) / Double(sh.count), 0.2, accuracy: 4 * sqrt(0.16 / Double(sh.count)))
        XCTAssertEqual(market.facilities.stores.count, 4589)
        XCTAssertEqual(sh.allocatedBytes, Households.bytesPerHousehold * sh.count, "bytesPerHousehold matches the columns")
        XCTAssertEqual(market.facilities.fulfillmentCenters.count, 110)
        // Zipf: city k has 1/k of the largest city's people.
        let cities = market.geography.cities
        XCTAssertEqual(cities[9].people * 10, cities[0].people, accuracy: 1e-6 * cities[0].people)
        XCTAssertEqual(cities.reduce(0) { $0 + $1.people }, 0.8 * 335e6, accuracy: 1)
    }
}

/// Common random numbers: the same seed, one lever changed (docs/MODEL.md section 9).
final class MonotonicityTests: XCTestCase {
    func testRaisingAmazonPriceLowersItsShare() throws {
        // No warm start: the first week is then before any feedback.
        let base = ["population.shoppers=30000", "amazon.strategy.pricing=fixed", "start.burnInWeeks=0", "start.habitIterations=0"]
        let (_, low) = try simulate(try scenario(base + ["amazon.priceIndex=1.0"]), weeks: 30)
        let (_, high) = try simulate(try scenario(base + ["amazon.priceIndex=1.08"]), weeks: 30)
        // Quantity, not spend: with demand as inelastic as measured (0.9.0), a
        // higher price can raise the retailer's spend share.
        func quantity(_ records: [WeekRecord]) -> Double { records.reduce(0.0) { $0 + $1.revenue(.amazon) / $1.amazon.priceIndex } }
        XCTAssertLessThan(quantity(high), quantity(low))
        XCTAssertLessThan(tripShares(high).shares[0], tripShares(low).shares[0])
        // The first week, before any feedback, is monotone trip for trip.
        XCTAssertLessThanOrEqual(high[0].trips(.amazon), low[0].trips(.amazon))
    }

    /// Faster delivery on Walmart's own fees: since 0.18.0 a hub's radius
    /// adds store delivery to the menu and leaves free shipping at the
    /// threshold in it (docs/MODEL.md section 5), so more hubs can only raise
    /// Walmart-like online's share, whatever store delivery costs.
    func testAddingHubsRaisesWalmartOnlineShare() throws {
        let base = ["population.shoppers=30000", "start.burnInWeeks=0", "start.habitIterations=0"]
        let (_, few) = try simulate(try scenario(base + ["walmart.initialHubShare=0.1", "walmart.strategy.hubsPerQuarter=0"]), weeks: 30)
        let (_, many) = try simulate(try scenario(base + ["walmart.initialHubShare=0.6", "walmart.strategy.hubsPerQuarter=0"]), weeks: 30)
        XCTAssertGreaterThan(spendShare(many, .walmartOnline), spendShare(few, .walmartOnline))
        XCTAssertGreaterThanOrEqual(many[0].trips(.walmartOnline), few[0].trips(.walmartOnline))
        // And Walmart-like deliveries arrive sooner on average.
        XCTAssertLessThan(many[0].meanWaitHours(.walmartOnline)!, few[0].meanWaitHours(.walmartOnline)!)
    }

    /// Each Walmart-like online order waits by the way it takes: with store
    /// delivery both dearer and slower than shipping every order is shipped
    /// and waits the standard hours, though many households are in a hub's
    /// reach; with it free and within hours, orders in reach come from a store.
    func testWalmartOnlineWaitsAreTheWayTaken() throws {
        let base = ["population.shoppers=20000", "start.burnInWeeks=0", "start.habitIterations=0", "walmart.strategy.hubsPerQuarter=0"]
        let (market, dear) = try simulate(try scenario(base + ["walmart.storeDelivery.feeDollars=1000", "walmart.storeDelivery.memberSmallBasketFeeDollars=1000",
                                                               "walmart.hours.hub=60", "walmart.hours.hubAugmented=60"]), weeks: 8)
        let (_, free) = try simulate(try scenario(base + ["walmart.storeDelivery.feeDollars=0", "walmart.storeDelivery.memberSmallBasketFeeDollars=0",
                                                          "choice.shippingFeeDollars=0"]), weeks: 8)
        let inReach = (0..<market.shoppers.count).filter { market.shoppers.has(.hub, $0) }.count
        XCTAssertGreaterThan(Double(inReach) / Double(market.shoppers.count), 0.3, "many households are in a hub's reach")
        let standard = market.parameters.walmart.hours.standard
        for r in dear { XCTAssertEqual(r.meanWaitHours(.walmartOnline)!, standard, accuracy: 1e-6) }
        for r in free { XCTAssertLessThan(r.meanWaitHours(.walmartOnline)!, 0.75 * standard) }
    }

    /// Shriver and Bollinger's pattern (docs/MODEL.md section 5): a
    /// Walmart-like store 10 % closer takes part of its gain from the same
    /// retailer's online orders. In the plain logit (lambda 1) online loses
    /// only in proportion to shares, a tenth of the store's gain or less; a
    /// tight Walmart nest makes the online loss comparable to the store's gain.
    /// Expected spend from each household's own probabilities, habits off,
    /// without pickup (which shares the store's drive) or categories.
    func testATightWalmartNestMakesACloserStoreTakeFromOnline() throws {
        func spend(_ settings: [String]) throws -> [Double] {
            let s = try scenario(["population.shoppers=20000", "choice.habitWeight=0", "start.burnInWeeks=0",
                                  "walmart.pickup.offered=false", "choice.grocery.tripShare=0"] + settings)
            let m = try Market(parameters: s.model, seed: 3, replicate: 1, threads: 2)
            var q = [Double](repeating: 0, count: Option.count)
            for i in 0..<m.shoppers.count {
                let volume = Double(m.shoppers.tripRate[i]) * Double(m.shoppers.basket[i])
                for (k, p) in m.choiceContext.probabilities(of: i, in: m.shoppers).enumerated() { q[k] += volume * p }
            }
            return q
        }
        func response(_ lambda: Double) throws -> (store: Double, online: Double) {
            let near = try spend(["choice.walmartNest=\(lambda)", "walmart.storeDistanceMultiplier=0.9"])
            let far = try spend(["choice.walmartNest=\(lambda)"])
            let (ws, wo) = (Option.walmartStore.rawValue, Option.walmartOnline.rawValue)
            return (near[ws] / far[ws] - 1, near[wo] / far[wo] - 1)
        }
        let plain = try response(1), nested = try response(0.4)
        XCTAssertGreaterThan(plain.store, 0.001)
        XCTAssertGreaterThan(nested.store, 0.001)
        XCTAssertGreaterThan(plain.online / plain.store, -0.15, "plain logit: online loses in proportion to shares")
        XCTAssertLessThan(nested.online / nested.store, -0.5, "tight nest: online loses about as much as the store gains")
    }

    /// Pickup (WP) in Walmart's nest: offering it takes its trips from the
    /// same retailer's store and delivery first. In a tight nest Walmart's
    /// store and online lose several times the share other stores and other
    /// online shops lose; in the plain logit every option loses the same share.
    /// Expected trips from each household's own probabilities, habits off.
    func testPickupTakesFromWalmartsOwnOptionsFirst() throws {
        func trips(_ settings: [String]) throws -> [Double] {
            let s = try scenario(["population.shoppers=20000", "choice.habitWeight=0", "start.burnInWeeks=0", "choice.constants.WP=-1.5",
                                  "choice.grocery.tripShare=0"] + settings)
            let m = try Market(parameters: s.model, seed: 3, replicate: 1, threads: 2)
            var q = [Double](repeating: 0, count: Option.count)
            for i in 0..<m.shoppers.count {
                for (k, p) in m.choiceContext.probabilities(of: i, in: m.shoppers).enumerated() { q[k] += Double(m.shoppers.tripRate[i]) * p }
            }
            return q
        }
        func losses(_ lambda: Double) throws -> [Option: Double] {
            let on = try trips(["choice.walmartNest=\(lambda)", "walmart.pickup.offered=true"])
            let off = try trips(["choice.walmartNest=\(lambda)", "walmart.pickup.offered=false"])
            XCTAssertEqual(off[Option.walmartPickup.rawValue], 0, "no pickup unless offered")
            XCTAssertGreaterThan(on[Option.walmartPickup.rawValue], 0.001 * on.reduce(0, +), "pickup is chosen once offered")
            var loss: [Option: Double] = [:]
            for o in Option.allCases where o != .walmartPickup { loss[o] = 1 - on[o.rawValue] / off[o.rawValue] }
            return loss
        }
        let plain = try losses(1), nested = try losses(0.3)
        // Household by household the logit takes the same share from every option; summed, nearly so.
        XCTAssertEqual(plain[.walmartStore]! / plain[.otherStore]!, 1, accuracy: 0.5)
        for own in [Option.walmartStore, .walmartOnline] {
            for other in [Option.otherStore, .otherOnline, .amazon] {
                XCTAssertGreaterThan(nested[own]! / nested[other]!, 3, "tight nest: \(own.code) loses more than \(other.code)")
            }
        }
    }
}


/// The column table (`HouseholdColumn`) is the walk's: every column of every
/// household is carried through the padded tail and back, so a pass that
/// writes any column loses no write of a run's last households.
final class HouseholdColumnTests: XCTestCase {
    func testEveryColumnIsWrittenThroughTheTail() {
        for count in [1, 7, 13, 8 * 3 + 5] {
            for (column, bytes, raised) in walkRaisesEveryColumn(count: count) {
                XCTAssertEqual(raised, bytes, "\(column) of \(count) households: \(bytes - raised) byte(s) lost or written twice")
            }
        }
    }
}
