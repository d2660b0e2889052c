import Foundation
import RetailExperiment
import RetailModel
import XCTest

/// Store delivery's and pickup's slots (docs/MODEL.md section 4): which store
/// serves a household, and what short slots do to waits, orders and reach.
final class SlotTests: XCTestCase {
    /// Store-delivered orders a week over the delivering stores, and their slots, at the scale households stand for.
    private func use(_ m: Market) -> (orders: Double, slots: Double, stores: Int) {
        let s = m.storeSlots.compactMap { $0 }
        return (s.reduce(0) { $0 + $1.orders }, s.reduce(0) { $0 + $1.slotsPerWeek }, s.count)
    }

    /// Mean store-delivered orders a week per delivering store where slots never bind.
    private func unboundOrdersPerStore(_ base: [String]) throws -> Double {
        let (m, _) = try simulate(try scenario(base + ["walmart.storeDelivery.slotsPerStoreWeek=1e9"]), weeks: 26)
        let u = use(m)
        return u.orders / Double(u.stores)
    }

    /// Every household inside an express radius is served by the nearest
    /// delivering store whose radius holds it, after two quarters of
    /// conversions added hubs incrementally; the others by none.
    func testServingStoreIsTheNearestDeliveringStoreAfterConversions() throws {
        let s = try scenario(["population.shoppers=20000", "walmart.strategy.hubsPerQuarter=200"])
        let (market, _) = try simulate(s, weeks: 26)
        let f = market.facilities, sh = market.shoppers
        let hubs = f.stores.indices.filter { f.isHub[$0] && f.isOpen[$0] }
        XCTAssertEqual(hubs.count, Int((0.3 * Double(f.stores.count)).rounded()) + 2 * 200)
        var served = 0
        for i in stride(from: 0, to: sh.count, by: 5) {
            let p = sh.position(i)
            let covering = hubs.filter { f.stores[$0].distance(to: p) <= f.hubRadiusKm[$0] * (1 + 1e-6) }
            if covering.isEmpty {
                XCTAssertEqual(sh.hubStore[i], Households.noHub, "household \(i) is outside every radius")
                continue
            }
            served += 1
            let nearest = covering.min { f.stores[$0].distance(to: p) < f.stores[$1].distance(to: p) }!
            XCTAssertEqual(f.stores[Int(sh.hubStore[i])].distance(to: p), f.stores[nearest].distance(to: p), accuracy: 1e-3,
                           "household \(i)'s store is not its nearest delivering one")
        }
        XCTAssertGreaterThan(served, 1000)
    }

    /// Runs 26 weeks, then 13 more summing each week's store use: orders
    /// and slots over every delivering store, and over the stores whose wait
    /// moves (above 0, below the longest), with the records of the 13.
    private func quarterOfUse(_ settings: [String]) throws -> (market: Market, records: [WeekRecord], orders: Double, filled: Double, slots: Double) {
        let (market, _) = try simulate(try scenario(settings), weeks: 26)
        var records: [WeekRecord] = [], orders = 0.0, filled = 0.0, slots = 0.0
        for _ in 0..<13 {
            records.append(market.advanceWeek())
            let s = market.storeSlots.compactMap { $0 }
            orders += s.reduce(0) { $0 + $1.orders }
            let waiting = s.filter { $0.extraWaitHours > 0 && $0.extraWaitHours < 160 }
            filled += waiting.reduce(0) { $0 + $1.orders }
            slots += waiting.reduce(0) { $0 + $1.slotsPerWeek }
        }
        return (market, records, orders, filled, slots)
    }

    /// Slots at half of what the stores' households order unbound: store
    /// delivery slows where they bind, the stores whose wait moves fill about
    /// their slots over a quarter (the wait clears them), Walmart-like online
    /// orders go elsewhere (shipped, or another option), and fewer households
    /// are served within the window.
    func testShortSlotsSlowStoreDeliveryAndSendOrdersElsewhere() throws {
        let base = ["population.shoppers=20000", "walmart.storeDelivery.zoneHouseholds=400"]
        let perStore = try unboundOrdersPerStore(base)
        XCTAssertGreaterThan(perStore, 0)
        let free = try quarterOfUse(base + ["walmart.storeDelivery.slotsPerStoreWeek=1e9"])
        let short = try quarterOfUse(base + ["walmart.storeDelivery.slotsPerStoreWeek=\(perStore / 2)"])
        XCTAssertTrue(free.market.storeSlots.compactMap { $0 }.allSatisfy { $0.extraWaitHours == 0 }, "unbound slots make no wait")
        XCTAssertGreaterThan(short.market.storeSlots.compactMap { $0 }.filter { $0.extraWaitHours > 0 }.count, 10, "short slots slow some stores")
        XCTAssertGreaterThan(short.slots, 0)
        XCTAssertEqual(short.filled / short.slots, 1, accuracy: 0.25, "stores whose wait moves fill about their slots")
        XCTAssertLessThan(short.orders, 0.75 * free.orders)
        // Orders from stores wait longer or ship: Walmart-like online's mean wait rises, its share falls.
        let wait = { (r: [WeekRecord]) in
            r.reduce(0.0) { $0 + $1.waitHours[Option.walmartOnline.rawValue] } / Double(r.reduce(0) { $0 + $1.trips(.walmartOnline) })
        }
        XCTAssertGreaterThan(wait(short.records), wait(free.records) + 1)
        XCTAssertLessThan(spendShare(short.records, .walmartOnline), spendShare(free.records, .walmartOnline))
        XCTAssertLessThan(short.market.hubServiceShare, free.market.hubServiceShare - 0.1)
    }

    /// More slots fill more orders from stores and serve more households within the window.
    func testMoreSlotsServeMore() throws {
        let base = ["population.shoppers=20000", "walmart.storeDelivery.zoneHouseholds=400"]
        let perStore = try unboundOrdersPerStore(base)
        let (few, _) = try simulate(try scenario(base + ["walmart.storeDelivery.slotsPerStoreWeek=\(perStore / 4)"]), weeks: 39)
        let (more, _) = try simulate(try scenario(base + ["walmart.storeDelivery.slotsPerStoreWeek=\(perStore)"]), weeks: 39)
        XCTAssertGreaterThan(use(more).orders, 1.5 * use(few).orders)
        XCTAssertGreaterThan(more.hubServiceShare, few.hubServiceShare)
    }

    /// Where slots bind, the weekly loop's results and the stores' waits are
    /// the same for any thread count (integer tallies, summed in any order).
    func testBindingSlotsKeepResultsTheSameForAnyThreadCount() throws {
        for kind in ["synthetic", "us"] {
            let s = try scenario(["geography.kind=\(kind)", "population.shoppers=30000", "start.burnInWeeks=4",
                                  "walmart.storeDelivery.slotsPerStoreWeek=100"])
            let (one, a) = try simulate(s, weeks: 14, threads: 1)
            let (two, b) = try simulate(s, weeks: 14, threads: 2)
            XCTAssertEqual(a, b, kind)
            XCTAssertEqual(one.storeSlots, two.storeSlots, kind)
            XCTAssertGreaterThan(one.storeSlots.compactMap { $0 }.filter { $0.extraWaitHours > 0 }.count, 0, "\(kind): the slots bind")
        }
    }

    /// Every household picks up at its nearest walk-in store (ties to the lower id).
    func testPickupStoreIsTheNearestWalkInStore() throws {
        let (market, _) = try simulate(try scenario(["population.shoppers=20000"]), weeks: 1)
        let f = market.facilities, sh = market.shoppers
        let shops = f.stores.indices.filter { f.walkIn[$0] && f.isOpen[$0] }
        for i in stride(from: 0, to: sh.count, by: 7) {
            let p = sh.position(i)
            let nearest = shops.min { f.stores[$0].distance(to: p) < f.stores[$1].distance(to: p) }!
            XCTAssertNotEqual(sh.pickupStore[i], Households.noHub)
            XCTAssertEqual(f.stores[Int(sh.pickupStore[i])].distance(to: p), f.stores[nearest].distance(to: p), accuracy: 1e-3,
                           "household \(i) picks up at a store that is not its nearest")
        }
    }

    /// Pickup slots at a third of what stores' households pick up unbound:
    /// pickup waits longer at the stores where they bind, its share falls and
    /// the Walmart-like store and delivery gain (pickup's next choices), the
    /// same for any thread count.
    func testShortPickupSlotsSlowPickupAndSendOrdersElsewhere() throws {
        let base = ["population.shoppers=20000", "walmart.storeDelivery.zoneHouseholds=400"]
        let (unbound, _) = try simulate(try scenario(base + ["walmart.pickup.slotsPerStoreWeek=1e9"]), weeks: 26)
        let perStore = unbound.pickupSlots.compactMap { $0 }.reduce(0) { $0 + $1.orders } / Double(unbound.pickupSlots.compactMap { $0 }.count)
        XCTAssertGreaterThan(perStore, 0)
        XCTAssertTrue(unbound.pickupSlots.compactMap { $0 }.allSatisfy { $0.extraWaitHours == 0 }, "unbound slots make no wait")
        let weeks = 39
        let (_, free) = try simulate(try scenario(base + ["walmart.pickup.slotsPerStoreWeek=1e9"]), weeks: weeks)
        let short = try scenario(base + ["walmart.pickup.slotsPerStoreWeek=\(perStore / 3)"])
        let (market, records) = try simulate(short, weeks: weeks, threads: 2)
        let (_, again) = try simulate(short, weeks: weeks, threads: 1)
        XCTAssertEqual(records, again, "the same for any thread count")
        XCTAssertGreaterThan(market.pickupSlots.compactMap { $0 }.filter { $0.extraWaitHours > 0 }.count, 100, "short slots slow many stores")
        let last = Array(records.suffix(13)), before = Array(free.suffix(13))
        let wait = { (r: [WeekRecord]) in
            r.reduce(0.0) { $0 + $1.waitHours[Option.walmartPickup.rawValue] } / Double(r.reduce(0) { $0 + $1.trips(.walmartPickup) })
        }
        XCTAssertGreaterThan(wait(last), wait(before) + 4)
        XCTAssertLessThan(spendShare(last, .walmartPickup), 0.9 * spendShare(before, .walmartPickup))
        XCTAssertGreaterThan(spendShare(last, .walmartStore) + spendShare(last, .walmartOnline),
                             spendShare(before, .walmartStore) + spendShare(before, .walmartOnline))
    }
}
