import Foundation
import RetailExperiment
import RetailModel
import RetailStats
import XCTest

/// The limits of docs/MODEL.md section 9 in which the model must reduce to a closed form.
final class ClosedFormTests: XCTestCase {
    /// V_ij written out again from docs/MODEL.md section 5, in double precision and
    /// apart from the model's own code, for household `i` of `m`.
    /// `prime` and `plus` replace the household's own memberships (the membership step's "what if").
    /// `grocery`: a trip of groceries (the category's shifts and, fresh, late waits); `shelfStable`: of
    /// shelf-stable groceries (no late waits, other sellers' general wait).
    private func referenceUtilities(_ m: Market, _ i: Int, prime: Bool? = nil, plus: Bool? = nil, grocery: Bool = false,
                                    shelfStable: Bool = false) -> [Double] {
        let p = m.parameters, s = m.shoppers, st = m.state
        let c = p.choice
        let bp = Double(s.bPrice[i]), bt = Double(s.bTime[i]), bd = Double(s.bTravel[i])
        let online = Double(s.online[i]), basket = Double(s.basket[i])
        let prime = prime ?? s.has(.prime, i), plus = plus ?? s.has(.plus, i)
        let free = basket >= c.freeShippingThresholdDollars
        // Fees weigh choice.feeWeight times a dollar of price.
        let feeA = c.feeWeight * (prime || free ? 0 : c.shippingFeeDollars)
        // Walmart-like online from a store (inside a hub radius): a non-member's
        // fee on every order, a member's below the threshold; shipped: the shipping terms.
        let d = p.walmart.storeDelivery
        let fromStoreFee = c.feeWeight * (plus ? (free ? 0 : d.memberSmallBasketFeeDollars) : d.feeDollars + (free ? 0 : c.shippingFeeDollars))
        let shippedFee = c.feeWeight * (plus || free ? 0 : c.shippingFeeDollars)
        let feeOO = c.feeWeight * (free ? 0 : c.shippingFeeDollars)
        let waitA = prime ? (s.has(.sameDay, i) ? p.amazon.hours.sameDay : s.has(.nextDay, i) ? p.amazon.hours.nextDay : p.amazon.hours.standard)
            : p.amazon.hours.nonMember
        let waitWP = p.walmart.pickup.hours + m.pickupExtraWaitHours(household: i)
        let otherKm = c.otherStoreKm[s.segmentOf(i)]
        let storeKm = max(Double(s.storeKm[i]), c.minimumTravelKm)
        // bTravel is utility a km: drawn (linear) or the money cost times bPrice (generalised cost).
        func travel(_ km: Double) -> Double { c.distanceDecay == .power ? c.powerExponent * log(km) : bd * km }
        func wait(_ hours: Double) -> Double { c.waitForm == .log ? log(1 + hours / 24) : hours }
        let service = p.walmart.serviceWeight * log(st.inStock)
        let h = { (o: Option) in c.habitWeight * Double(s.habit(o, i)) }
        let personalization = st.personalization * (1 - Double(s.orderDecay(i)))
        // The household's own taste for Walmart-like online and pickup: its standard normal step times sigma_W.
        let taste = p.shoppers.walmartOnlineTasteSigma * p.shoppers.heterogeneity * (Double(s.walmartTaste[i]) - 128) / 32
        let g = c.grocery
        // A grocery trip: the shifts, and on a fresh one the day's weight for each day past the first.
        let fresh = grocery && !shelfStable
        let toOnline = grocery ? g.onlineShift : 0, toWalmart = grocery ? g.walmartShift : 0
        func late(_ hours: Double) -> Double { fresh ? g.lateDayWeight * max(0, hours - 24) / 24 : 0 }
        let waitOO = fresh ? g.otherOnlineHours : c.otherOnlineHours
        // What a Walmart-like online order costs by each way, fee, wait and late
        // days; inside a hub radius the household takes the cheaper.
        func cost(fee: Double, hours: Double) -> Double { bp * fee + bt * wait(hours) + late(hours) }
        let shipped = cost(fee: shippedFee, hours: p.walmart.hours.standard)
        // From a store: the hub wait and, where its slots are short, the store's extra hours.
        let costWO = s.has(.hub, i) ? min(shipped, cost(fee: fromStoreFee, hours: st.hubHours + m.extraWaitHours(household: i))) : shipped
        let general = [
            c.constants[0] + online + h(.amazon) + personalization - bp * (st.amazonPrice * basket + feeA) - bt * wait(waitA),
            // A store's price differs from the market's (1) by choice.storePriceWeight times its difference.
            c.constants[1] + h(.walmartStore) + service - bp * (1 + c.storePriceWeight * (st.walmartPrice - 1)) * basket - travel(2 * storeKm),
            c.constants[2] + online + h(.walmartOnline) + service - bp * st.walmartPrice * basket - costWO + taste,
            c.constants[3] + h(.otherStore) - bp * basket - travel(2 * otherKm),
            // Other sellers' fresh groceries come on their own wait (choice.grocery.otherOnlineHours).
            c.constants[4] + online + h(.otherOnline) - bp * (basket + feeOO) - bt * wait(waitOO),
            // Pickup: the store's price and drive, ordered online, free to all.
            c.constants[5] + online + h(.walmartPickup) + service - bp * st.walmartPrice * basket - travel(2 * storeKm) - bt * wait(waitWP)
                + taste,
        ]
        return [general[0] + toOnline - late(waitA), general[1] + toWalmart, general[2] + toOnline + toWalmart, general[3],
                general[4] + toOnline - late(waitOO), general[5] + toOnline + toWalmart - late(waitWP)]
    }


    /// The vector code's utilities (eight households a lane, a padded copy for a
    /// lone household) are the formula of section 5 for every kind of household:
    /// heterogeneity, memberships, radii, habits and orders as a run leaves them.
    func testLaneUtilitiesAreTheModelsFormula() throws {
        try checkLaneUtilities([])
    }

    /// The same with pickup offered and the grocery category on, for a trip
    /// of either category (shifts and late waits; Prime's non-member wait of
    /// five days passes the first day).
    func testLaneUtilitiesOfBothCategoriesAreTheModelsFormula() throws {
        try checkLaneUtilities(["walmart.pickup.offered=true", "choice.grocery.tripShare=0.3", "choice.grocery.onlineShift=-1.2",
                                "choice.grocery.walmartShift=0.7", "choice.grocery.lateDayWeight=0.8", "choice.grocery.otherOnlineHours=40"])
    }

    /// The same with fees weighing more than prices and other store-delivery
    /// fees: a non-member's fee on every order from a store, a member's below
    /// the threshold, shipped orders on the shipping terms.
    func testLaneUtilitiesWithWeightedFeesAreTheModelsFormula() throws {
        try checkLaneUtilities(["choice.feeWeight=3.5", "walmart.storeDelivery.feeDollars=12", "walmart.storeDelivery.memberSmallBasketFeeDollars=4",
                                "choice.shippingFeeDollars=5"])
    }

    /// The same with store delivery dearer than shipping for most baskets:
    /// in a hub's reach the order takes the cheaper of its two ways.
    func testLaneUtilitiesOfWalmartOnlinesMenuAreTheModelsFormula() throws {
        try checkLaneUtilities(["walmart.storeDelivery.feeDollars=40", "walmart.storeDelivery.memberSmallBasketFeeDollars=25",
                                "choice.grocery.tripShare=0.3", "choice.grocery.lateDayWeight=2"])
    }

    /// The same where store delivery's and pickup's slots bind: an order from
    /// a store, or for pickup at one, waits its store's extra hours too (fresh
    /// trips pay their late days).
    func testLaneUtilitiesWhereSlotsBindAreTheModelsFormula() throws {
        let settings = ["walmart.storeDelivery.slotsPerStoreWeek=2000", "walmart.storeDelivery.zoneHouseholds=50",
                        "walmart.pickup.slotsPerStoreWeek=1500", "choice.grocery.tripShare=0.3", "choice.grocery.lateDayWeight=1"]
        try checkLaneUtilities(settings)
        // Not vacuous: some households' stores have orders waiting, delivered and picked up.
        let (market, _) = try simulate(try scenario(["population.shoppers=3001"] + settings), weeks: 9)
        let waits = (0..<market.shoppers.count).map { market.extraWaitHours(household: $0) }
        XCTAssertGreaterThan(waits.filter { $0 > 1 }.count, 100, "few households wait for slots: the case is not exercised")
        let pickups = (0..<market.shoppers.count).map { market.pickupExtraWaitHours(household: $0) }
        XCTAssertGreaterThan(pickups.filter { $0 > 1 }.count, 100, "few households wait for pickup slots: the case is not exercised")
    }

    /// The same with each household's own taste for Walmart-like online and
    /// pickup, at an sd and a heterogeneity that make it large.
    func testLaneUtilitiesWithAWalmartOnlineTasteAreTheModelsFormula() throws {
        try checkLaneUtilities(["shoppers.walmartOnlineTasteSigma=2.5", "shoppers.heterogeneity=1.3", "walmart.pickup.offered=true"])
    }

    /// The same with a store basket's price weighing less than an online
    /// order's, at a Walmart-like price away from 1, pickup offered.
    func testLaneUtilitiesWithAStorePriceWeightAreTheModelsFormula() throws {
        try checkLaneUtilities(["choice.storePriceWeight=0.35", "walmart.priceIndex=1.1", "walmart.pickup.offered=true",
                                "choice.grocery.tripShare=0.3"])
    }

    /// The same with some grocery trips shelf-stable: no late day, and other
    /// sellers' shelf-stable orders on their general wait.
    func testLaneUtilitiesOfShelfStableGroceriesAreTheModelsFormula() throws {
        try checkLaneUtilities(["walmart.pickup.offered=true", "choice.grocery.tripShare=0.3", "choice.grocery.onlineShift=-1.2",
                                "choice.grocery.lateDayWeight=0.8", "choice.grocery.otherOnlineHours=6", "choice.grocery.freshShare=0.4"])
    }

    private func checkLaneUtilities(_ settings: [String]) throws {
        let s = try scenario(["population.shoppers=3001"] + settings)
        let (market, _) = try simulate(s, weeks: 9)
        let ctx = market.choiceContext
        let g = s.model.choice.grocery
        let trips: [(TripCategory, grocery: Bool, shelfStable: Bool)] = g.tripShare == 0 ? [(.general, false, false)]
            : [(.general, false, false), (.fresh, true, false)] + (g.freshShare < 1 ? [(.shelfStable, true, true)] : [])
        for (trip, grocery, shelfStable) in trips {
            for i in stride(from: 0, to: market.shoppers.count, by: 7) {
                let v = ctx.utilities(of: i, in: market.shoppers, trip: trip)
                let reference = referenceUtilities(market, i, grocery: grocery, shelfStable: shelfStable)
                for o in Option.allCases {
                    XCTAssertEqual(Double(v[o]), reference[o.rawValue], accuracy: 2e-4 * max(1, abs(reference[o.rawValue])),
                                   "shopper \(i), option \(o.code), grocery \(grocery), shelf-stable \(shelfStable)")
                }
            }
        }
    }

    /// The membership value of docs/MODEL.md section 6, written out again in
    /// double precision (nested logit, both nests tight): a month of trips times the log-sum's change when the
    /// programme's own option takes its other side, over the price weight,
    /// plus the benefit beyond delivery; a member's value is what leaving costs.
    func testMembershipValueIsTheModelsFormula() throws {
        try checkMembershipValue(pickup: false)
    }

    /// The same with pickup in Walmart's nest: Walmart+ changes WO alone, and
    /// pickup's weight stays in the log-sum on both sides.
    func testMembershipValueWithPickupIsTheModelsFormula() throws {
        try checkMembershipValue(pickup: true)
    }

    /// And with the grocery category on: a month's trips are each grocery with
    /// its chance, so the gain is the chance-weighted gain of the two categories.
    func testMembershipValueOfBothCategoriesIsTheModelsFormula() throws {
        try checkMembershipValue(pickup: true, categories: ["choice.grocery.tripShare=0.3", "choice.grocery.onlineShift=-1",
                                                            "choice.grocery.walmartShift=0.8", "choice.grocery.lateDayWeight=1.5"])
    }

    /// And with shelf-stable groceries beside fresh ones: three categories, each gain weighted by its chance.
    func testMembershipValueWithShelfStableGroceriesIsTheModelsFormula() throws {
        try checkMembershipValue(pickup: true, categories: ["choice.grocery.tripShare=0.3", "choice.grocery.onlineShift=-1",
                                                            "choice.grocery.lateDayWeight=1.5", "choice.grocery.freshShare=0.45",
                                                            "choice.grocery.otherOnlineHours=8"])
    }

    private func checkMembershipValue(pickup: Bool, categories: [String] = []) throws {
        let s = try scenario(["population.shoppers=3001", "choice.walmartNest=0.4", "choice.onlineNest=0.6",
                              "walmart.pickup.offered=\(pickup)", "choice.constants.WP=-1"] + categories)
        let (market, _) = try simulate(s, weeks: 9)
        let p = market.parameters, sh = market.shoppers
        func logSum(_ v: [Double]) -> Double { nestedLogit(v, p).logSum }
        var members = 0
        for i in stride(from: 0, to: sh.count, by: 11) {
            let value = market.membershipValues(of: i)
            let share = p.choice.grocery.tripShare, fresh = p.choice.grocery.freshShare
            for (g, option, isMember, got) in [(Programme.prime, Option.amazon, sh.has(.prime, i), value.prime),
                                               (.plus, .walmartOnline, sh.has(.plus, i), value.plus)] {
                func gain(grocery: Bool, shelfStable: Bool = false) -> Double {
                    let own = referenceUtilities(market, i, grocery: grocery, shelfStable: shelfStable)
                    let flipped = referenceUtilities(market, i, prime: !sh.has(.prime, i), plus: !sh.has(.plus, i), grocery: grocery,
                                                     shelfStable: shelfStable)
                    var other = own
                    other[option.rawValue] = flipped[option.rawValue]
                    return logSum(other) - logSum(own)
                }
                let gain = (1 - share) * gain(grocery: false) + (share > 0 ? share * fresh * gain(grocery: true) : 0)
                    + (share > 0 && fresh < 1 ? share * (1 - fresh) * gain(grocery: true, shelfStable: true) : 0)
                let b = p[g].benefitDollars
                let z = StandardNormal.quantile((Double(sh.benefitRank[g.rawValue * sh.count + i]) + 0.5) / 256)
                let benefit = b.median * exp(p.shoppers.heterogeneity * b.sigma * z)
                // A month's trips: 365.25 / 7 / 12 weeks of them (the calendar's average month).
                let expected = benefit + 365.25 / 7 / 12 * Double(sh.tripRate[i]) / Double(sh.bPrice[i]) * (isMember ? -gain : gain)
                XCTAssertEqual(Double(got), expected, accuracy: 1e-3 * max(1, abs(expected)), "household \(i), \(g.name)")
                if isMember { members += 1 }
            }
        }
        XCTAssertGreaterThan(members, 20, "members and non-members both checked")
    }

    /// The hazards of section 6: the chance is 1 - exp(-h) of the join hazard
    /// p + q s + theta max(0, v - F) / F for non-members and of the leave
    /// hazard c + phi max(0, F - v) / F for members (first-year churn in the
    /// first 12 months); the slope the pricing rules read is the derivative of
    /// the long-run share join / (join + leave) in the value, checked against
    /// a finite difference of that share.
    func testHazardsAreTheModelsFormulas() {
        let h = MembershipHazards(innovation: 0.002, imitation: 0.05, valueWeight: 0.3, churn: 0.02, firstYearChurn: 0.05,
                                  churnValueWeight: 0.4, fee: 14.99)
        func chance(_ hazard: Double) -> Double { 1 - exp(-hazard) }
        for v in [0.0, 5, 14.99, 20, 60] {
            let join = h.innovation + h.imitation * 0.3 + h.valueWeight * max(0, v - h.fee) / h.fee
            XCTAssertEqual(Double(programmeChance(h, member: false, value: Float(v), localShare: 0.3, tenureMonths: 0)), chance(join), accuracy: 1e-6)
            for (tenure, churn) in [(3, h.firstYearChurn), (30, h.churn)] {
                let leave = churn + h.churnValueWeight * max(0, h.fee - v) / h.fee
                XCTAssertEqual(Double(programmeChance(h, member: true, value: Float(v), localShare: 0.3, tenureMonths: tenure)), chance(leave),
                               accuracy: 1e-6, "value \(v), tenure \(tenure)")
            }
        }
        func share(_ v: Double) -> Double {
            let join = chance(h.innovation + h.imitation * 0.3 + h.valueWeight * max(0, v - h.fee) / h.fee)
            let leave = chance(h.churn + h.churnValueWeight * max(0, h.fee - v) / h.fee)
            return join / (join + leave)
        }
        for v in [2.0, 10, 25, 50] {
            let numeric = (share(v + 1e-4) - share(v - 1e-4)) / 2e-4
            XCTAssertEqual(Double(programmeShareSlope(h, value: Float(v), localShare: 0.3)), numeric, accuracy: 1e-4 * max(1, abs(numeric)), "value \(v)")
        }
        // A programme without a fee is worth nothing per dollar of it: no infinite hazard.
        var free = h
        free.fee = 0
        XCTAssertTrue(programmeChance(free, member: false, value: 10, localShare: 0.3, tenureMonths: 0).isFinite)
    }

    /// A run whose households do not fill the last vector counts the padding
    /// lanes for nothing: trips over many weeks are the households' own Poisson
    /// rates (13 households: one vector and a tail of 5 padded with 3 copies,
    /// which would add about 20 % of trips if they counted).
    func testTripsOfAShortRunAreItsShoppersOwn() throws {
        let s = try scenario(["population.shoppers=13", "membership.enabled=false"])
        let weeks = 400
        let (market, records) = try simulate(s, weeks: weeks, threads: 1)
        let expected = Double(weeks) * (0..<13).reduce(0.0) { $0 + Double(market.shoppers.tripRate[$1]) }
        let observed = tripShares(records).trips
        XCTAssertEqual(observed, expected, accuracy: 4 * expected.squareRoot(), "trips of 13 shoppers over \(weeks) weeks")
    }

    /// Heterogeneity off, no habit, programmes and strategies frozen: each
    /// option's share of trips equals the mean closed-form softmax of V
    /// (both nests' lambdas 1).
    func testLogitLimit() throws {
        try checkChoiceLimit(walmartNest: 1, onlineNest: 1)
    }

    /// The same limit with both nests tight: the shares are the nested
    /// logit's, and far enough from the plain softmax that the check can fail.
    func testNestedLogitLimit() throws {
        try checkChoiceLimit(walmartNest: 0.5, onlineNest: 0.7)
    }

    /// With pickup offered the Walmart-like nest holds three options: the
    /// shares are the nested logit's over six, in the plain logit's limit and in a tight nest.
    func testNestedLogitLimitWithPickup() throws {
        try checkChoiceLimit(walmartNest: 1, onlineNest: 1, pickup: true)
        try checkChoiceLimit(walmartNest: 0.4, onlineNest: 0.7, pickup: true)
    }

    /// With the grocery category on, each trip's shares are the mixture of
    /// the two categories' nested logits by the category's chance, and the
    /// grocery trips alone follow the grocery logit: a week's category is drawn
    /// with its chance, and each category's utilities are its own.
    func testCategoryLimit() throws {
        try checkChoiceLimit(walmartNest: 0.5, onlineNest: 0.7, pickup: true,
                             categories: ["choice.grocery.tripShare=0.35", "choice.grocery.onlineShift=-1.2",
                                          "choice.grocery.walmartShift=1.1", "choice.grocery.lateDayWeight=0.9", "choice.grocery.freshShare=1"])
    }

    /// With fresh and shelf-stable groceries apart, a grocery trip's shares
    /// are the mixture of the two grocery logits by the fresh share, and a
    /// trip's the mixture of three.
    func testFreshAndShelfStableLimit() throws {
        try checkChoiceLimit(walmartNest: 0.5, onlineNest: 0.7, pickup: true,
                             categories: ["choice.grocery.tripShare=0.35", "choice.grocery.onlineShift=-1.2",
                                          "choice.grocery.walmartShift=1.1", "choice.grocery.lateDayWeight=2.5",
                                          "choice.grocery.freshShare=0.4", "choice.grocery.otherOnlineHours=6"])
    }

    private func checkChoiceLimit(walmartNest: Double, onlineNest: Double, pickup: Bool = false, categories: [String] = []) throws {
        let s = try scenario([
            "walmart.pickup.offered=\(pickup)", "choice.constants.WP=-0.2",
            "choice.walmartNest=\(walmartNest)", "choice.onlineNest=\(onlineNest)",
            "population.shoppers=40000", "shoppers.heterogeneity=0", "choice.habitWeight=0",
            "membership.enabled=false", "amazon.strategy.enabled=false", "walmart.strategy.enabled=false",
            "choice.constants.A=0.4", "choice.constants.WO=-0.5", "choice.constants.OO=-0.8", "choice.constants.WS=0.3",
            // One category unless the test names the grocery category's values (0.11.0 has it on by default).
            "choice.grocery.tripShare=0",
            // Fees at a price's weight, so that a non-member's store-delivery fee leaves WO a share that matters.
            "choice.feeWeight=1",
        ] + categories)
        let share = s.model.choice.grocery.tripShare, fresh = s.model.choice.grocery.freshShare
        let (market, records) = try simulate(s, weeks: 12)
        // Travel as a money cost: with every household at the medians, utility a km is
        // bPrice x (vehicle cost + value of time / speed of the segment).
        let c = s.model.choice
        for i in stride(from: 0, to: market.shoppers.count, by: 97) {
            let dollarsPerKm = c.vehicleCostDollarsPerKm + s.model.shoppers.valueOfTime.median / c.travelSpeedKmh[market.shoppers.segmentOf(i)]
            XCTAssertEqual(Double(market.shoppers.bTravel[i]), s.model.shoppers.priceSensitivity.median * dollarsPerKm, accuracy: 1e-6)
        }
        var expected = [Double](repeating: 0, count: Option.count), plain = expected, grocery = expected
        for i in 0..<market.shoppers.count {
            // Every household has the same trip rate here, so trip shares are plain means.
            let v = referenceUtilities(market, i)
            let vFresh = share > 0 ? referenceUtilities(market, i, grocery: true) : v
            let vShelf = share > 0 ? referenceUtilities(market, i, grocery: true, shelfStable: true) : v
            let p = nestedLogit(v, s.model).p
            // A grocery trip: fresh with chance F, shelf-stable otherwise.
            let pGrocery = zip(nestedLogit(vFresh, s.model).p, nestedLogit(vShelf, s.model).p).map { fresh * $0 + (1 - fresh) * $1 }
            let mixed = share > 0 ? zip(p, pGrocery).map { (1 - share) * $0 + share * $1 } : p
            for k in mixed.indices {
                expected[k] += mixed[k]
                grocery[k] += pGrocery[k]
            }
            for (k, p) in nestedLogit(v, walmart: 1, online: 1, pickup: pickup).p.enumerated() { plain[k] += p }
            if i % 97 == 0 {
                let model = market.choiceContext.probabilities(of: i, in: market.shoppers)
                for (k, p) in mixed.enumerated() { XCTAssertEqual(model[k], p, accuracy: 1e-5, "household \(i), option \(k)") }
            }
        }
        if share > 0 {
            // The grocery trips alone: the grocery logit, and the category's chance of a trip.
            let n = Double(market.shoppers.count)
            let groceryTrips = records.reduce(0.0) { acc, r in acc + r.groceryTrips.reduce(0.0) { $0 + Double($1) } }
            let allTrips = tripShares(records).trips
            XCTAssertEqual(groceryTrips / allTrips, share, accuracy: 0.01, "grocery's share of trips")
            for o in Option.allCases {
                let e = grocery[o.rawValue] / n, observed = records.reduce(0.0) { $0 + Double($1.groceryTrips(o)) } / groceryTrips
                XCTAssertEqual(observed, e, accuracy: 4 * sqrt(e * (1 - e) / groceryTrips) + 1e-9, "grocery option \(o.code)")
            }
            let gap = zip(grocery, expected).map { abs($0 / n - $1 / n) }.max()!
            XCTAssertGreaterThan(gap, 0.02, "the categories must differ in this test")
        }
        expected = expected.map { $0 / Double(market.shoppers.count) }
        plain = plain.map { $0 / Double(market.shoppers.count) }
        if walmartNest < 1 {
            let gap = zip(expected, plain).map { abs($0 - $1) }.max()!
            XCTAssertGreaterThan(gap, 0.01, "the nests must move the shares in this test")
        }
        let (observed, trips) = tripShares(records)
        XCTAssertGreaterThan(trips, 500_000)
        for o in Option.allCases {
            let e = expected[o.rawValue]
            guard pickup || o != .walmartPickup else {
                XCTAssertEqual(observed[o.rawValue], 0, "no pickup trips unless it is offered")
                continue
            }
            let se = sqrt(e * (1 - e) / trips)
            XCTAssertEqual(observed[o.rawValue], e, accuracy: 4 * se, "option \(o.code)")
            XCTAssertGreaterThan(e, 0.02, "option \(o.code) should matter in this test")
        }
    }

    /// The warm start: after the habit passes each household's habits are its
    /// own choice probabilities at those habits, h = P(V + gamma h), to the
    /// fixed point's rounding (V written out again by `referenceUtilities`).
    func testWarmStartHabitsAreAFixedPoint() throws {
        // One category: the reference utilities are a general trip's.
        let s = try scenario(["population.shoppers=20000", "start.burnInWeeks=0", "start.habitIterations=40", "choice.grocery.tripShare=0"])
        let market = try Market(parameters: s.model, seed: 5, replicate: 1, threads: 2)
        var largest = 0.0
        for i in stride(from: 0, to: market.shoppers.count, by: 37) {
            let p = nestedLogit(referenceUtilities(market, i), market.parameters).p
            for o in Option.allCases { largest = max(largest, abs(Double(market.shoppers.habit(o, i)) - p[o.rawValue])) }
        }
        XCTAssertLessThan(largest, 1e-3, "habits at their fixed point")
        // And they are not where a cold start leaves them.
        let cold = try Market(parameters: try scenario(["population.shoppers=20000", "start.burnInWeeks=0", "start.habitIterations=0"]).model,
                              seed: 5, replicate: 1, threads: 2)
        XCTAssertEqual(cold.shoppers.habit(.otherStore, 0), 0)
    }

    /// With the warm start (habits at their fixed point, a burn-in with
    /// strategies frozen) the weeks before the first strategy step are flat:
    /// shares and memberships do not drift; from a cold start they do.
    func testWarmStartLeavesNoTransient() throws {
        func drift(_ settings: [String]) throws -> (walmart: Double, online: Double, prime: Double) {
            let s = try scenario(["population.shoppers=60000"] + settings)
            let (_, records) = try simulate(s, weeks: 12)
            func share(_ weeks: ArraySlice<WeekRecord>, _ options: [Option]) -> Double {
                let all = weeks.reduce(0.0) { acc, w in acc + Option.allCases.reduce(0.0) { $0 + w.revenue($1) } }
                return weeks.reduce(0.0) { acc, w in acc + options.reduce(0.0) { $0 + w.revenue($1) } } / all
            }
            let (early, late) = (records[0..<4], records[8..<12])
            return (share(late, [.walmartStore, .walmartOnline]) / share(early, [.walmartStore, .walmartOnline]) - 1,
                    share(late, [.amazon, .walmartOnline, .otherOnline]) / share(early, [.amazon, .walmartOnline, .otherOnline]) - 1,
                    Double(records[11].members(.prime) - records[0].members(.prime)) / 60000)
        }
        let warm = try drift([])
        XCTAssertLessThan(abs(warm.walmart), 0.03, "Walmart-like share, weeks 9-12 against 1-4")
        XCTAssertLessThan(abs(warm.online), 0.03, "online share, weeks 9-12 against 1-4")
        XCTAssertLessThan(abs(warm.prime), 0.01, "Prime-like member share, week 12 against week 1")
        let cold = try drift(["start.burnInWeeks=0", "start.habitIterations=0"])
        XCTAssertGreaterThan(max(abs(cold.walmart), abs(cold.online)), 3 * max(abs(warm.walmart), abs(warm.online)),
                             "a cold start drifts more than the warm one")
    }

    /// Power distance decay with only distance differing between the two
    /// stores: store shares are Huff's gravity probabilities.
    func testHuffLimit() throws {
        let lambda = 2.0
        let s = try scenario([
            // Pickup shares the store's drive and grocery shifts the Walmart-like store: both off.
            "walmart.pickup.offered=false", "choice.grocery.tripShare=0",
            "population.shoppers=40000", "choice.distanceDecay=power", "choice.powerExponent=\(lambda)",
            "choice.constants.A=-40", "choice.constants.WO=-40", "choice.constants.OO=-40",
            "choice.constants.WS=0", "choice.constants.OS=0", "walmart.priceIndex=1", "walmart.serviceWeight=0",
            "choice.habitWeight=0", "membership.enabled=false", "amazon.strategy.enabled=false",
            "walmart.strategy.enabled=false",
        ])
        let (market, records) = try simulate(s, weeks: 10)
        let sh = market.shoppers
        var expected = 0.0, weight = 0.0
        for i in 0..<sh.count {
            let d1 = max(Double(sh.storeKm[i]), s.model.choice.minimumTravelKm)
            let d2 = s.model.choice.otherStoreKm[sh.segmentOf(i)]
            let huff = pow(d1, -lambda) / (pow(d1, -lambda) + pow(d2, -lambda))
            expected += Double(sh.tripRate[i]) * huff
            weight += Double(sh.tripRate[i])
        }
        expected /= weight
        let (observed, trips) = tripShares(records)
        XCTAssertLessThan(observed[Option.amazon.rawValue] + observed[Option.walmartOnline.rawValue] + observed[Option.otherOnline.rawValue], 1e-6)
        let se = sqrt(expected * (1 - expected) / trips)
        XCTAssertEqual(observed[Option.walmartStore.rawValue], expected, accuracy: 4 * se)
        XCTAssertEqual(observed[Option.walmartStore.rawValue] + observed[Option.otherStore.rawValue], 1, accuracy: 1e-9)
    }

    /// The Bass limit: no value term, no churn, word of mouth over everyone,
    /// nobody a member at the start, strategies frozen; a month every 4 weeks
    /// (`run.calendar` "weeks"), so that month k's census is week 4k + 1's.
    private func bassScenario(p: Double, q: Double, shoppers n: Int) throws -> Scenario {
        var settings = ["population.shoppers=\(n)", "membership.innovation=\(p)", "membership.imitation=\(q)",
                        "membership.valueWeight=0", "membership.churn=0", "membership.churnValueWeight=0",
                        "membership.localScope=population", "amazon.strategy.enabled=false", "walmart.strategy.enabled=false",
                        "membership.firstYearChurn=0", "start.burnInWeeks=0", "run.calendar=weeks"]
        for programme in ["amazon.prime", "walmart.plus"] {
            for segment in ["urban", "suburban", "rural"] { settings.append("\(programme).initialShare.\(segment)=0") }
        }
        return try scenario(settings)
    }

    /// theta = c = phi = 0 and word of mouth over the whole population: the
    /// member share follows the discrete Bass recursion.
    func testBassLimit() throws {
        let p = 0.01, q = 0.3, n = 100_000
        let s = try bassScenario(p: p, q: q, shoppers: n)
        let months = 24
        let (_, records) = try simulate(s, weeks: 4 * months + 1)
        for programme in Programme.allCases {
            // Share during week 4k + 1: after k monthly decisions.
            let simulated = (0...months).map { Double(records[4 * $0].members(programme)) / Double(n) }
            XCTAssertEqual(simulated[0], 0)
            var bass = 0.0
            for k in 0..<months {
                // One step from the simulated share: a binomial draw, within 4 SE.
                let f = simulated[k]
                let hazard = 1 - exp(-(p + q * f))
                let next = f + (1 - f) * hazard
                let se = sqrt((1 - f) * hazard * (1 - hazard) / Double(n))
                XCTAssertEqual(simulated[k + 1], next, accuracy: 4 * se + 1e-12, "\(programme.name), month \(k + 1)")
                // The whole path against the deterministic recursion; deviations
                // compound, so the band is wider.
                bass = bass + (1 - bass) * (1 - exp(-(p + q * bass)))
                let band = 12 * sqrt(max(bass * (1 - bass), 1e-4) / Double(n))
                XCTAssertEqual(simulated[k + 1], bass, accuracy: band, "\(programme.name), month \(k + 1) vs recursion")
            }
            XCTAssertGreaterThan(simulated[months], 0.5, "diffusion took off")
        }
    }

    /// For small p and q the discrete recursion and the model stay close to
    /// the continuous Bass curve F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}).
    func testBassLimitNearContinuousCurveForSmallRates() throws {
        let p = 0.003, q = 0.04, n = 200_000
        let s = try bassScenario(p: p, q: q, shoppers: n)
        let months = 26
        let (_, records) = try simulate(s, weeks: 4 * months + 1)
        for t in stride(from: 6, through: months, by: 4) {
            let simulated = Double(records[4 * t].members(.prime)) / Double(n)
            let e = exp(-(p + q) * Double(t))
            let curve = (1 - e) / (1 + (q / p) * e)
            // Sampling error plus the O(p + q) gap between hazard steps and the ODE.
            XCTAssertEqual(simulated, curve, accuracy: 5 * sqrt(curve / Double(n)) + 0.05 * curve, "month \(t)")
        }
    }
}
