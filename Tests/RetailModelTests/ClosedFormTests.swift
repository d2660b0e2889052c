import Foundation
import RetailExperiment
import RetailModel
import XCTest

/// The limits of docs/MODEL.md section 9 in which the model must reduce to a closed form.
final class ClosedFormTests: XCTestCase {
    /// V_ij written out again from docs/MODEL.md section 5, in double precision and
    /// apart from the model's own code, for shopper `i` of `m`.
    private func referenceUtilities(_ m: Market, _ i: Int) -> [Double] {
        let p = m.parameters, s = m.shoppers, st = m.state
        let c = p.choice
        let bp = Double(s.bPrice[i]), bt = Double(s.bTime[i]), bd = Double(s.bTravel[i])
        let online = Double(s.online[i]), basket = Double(s.basket[i])
        let prime = s.has(.prime, i), plus = s.has(.plus, i)
        let free = basket >= c.freeShippingThresholdDollars
        let feeA = prime || free ? 0 : c.shippingFeeDollars
        let feeWO = plus || free ? 0 : c.shippingFeeDollars
        let feeOO = free ? 0 : c.shippingFeeDollars
        let waitA = prime ? (s.has(.sameDay, i) ? p.amazon.hours.sameDay : s.has(.nextDay, i) ? p.amazon.hours.nextDay : p.amazon.hours.standard)
            : p.amazon.hours.nonMember
        let waitWO = s.has(.hub, i) ? st.hubHours : p.walmart.hours.standard
        let otherKm = c.otherStoreKm[s.segmentOf(i)]
        let storeKm = max(Double(s.storeKm[i]), c.minimumTravelKm)
        func travel(_ km: Double) -> Double { c.distanceDecay == .power ? c.powerExponent * log(km) : bd * km }
        let service = p.walmart.serviceWeight * log(st.inStock)
        let h = { (o: Option) in c.habitWeight * Double(s.habit(o, i)) }
        let personalization = st.personalization * (1 - Double(s.orderDecay(i)))
        return [
            c.constants[0] + online + h(.amazon) + personalization - bp * (st.amazonPrice * basket + feeA) - bt * waitA,
            c.constants[1] + h(.walmartStore) + service - bp * st.walmartPrice * basket - travel(2 * storeKm),
            c.constants[2] + online + h(.walmartOnline) + service - bp * (st.walmartPrice * basket + feeWO) - bt * waitWO,
            c.constants[3] + h(.otherStore) - bp * basket - travel(2 * otherKm),
            c.constants[4] + online + h(.otherOnline) - bp * (basket + feeOO) - bt * c.otherOnlineHours,
        ]
    }

    private func softmax(_ v: [Double]) -> [Double] {
        let m = v.max()!
        let e = v.map { exp($0 - m) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// Heterogeneity off, no habit, programmes and strategies frozen: each
    /// option's share of trips equals the mean closed-form softmax of V.
    func testLogitLimit() throws {
        let s = try scenario([
            "population.shoppers=40000", "shoppers.heterogeneity=0", "choice.habitWeight=0",
            "membership.enabled=false", "amazon.strategy.enabled=false", "walmart.strategy.enabled=false",
            "choice.constants.A=0.4", "choice.constants.WO=-0.5", "choice.constants.OO=-0.8",
        ])
        let (market, records) = try simulate(s, weeks: 12)
        var expected = [Double](repeating: 0, count: Option.count)
        for i in 0..<market.shoppers.count {
            // Every shopper has the same trip rate here, so trip shares are plain means.
            for (k, p) in softmax(referenceUtilities(market, i)).enumerated() { expected[k] += p }
        }
        expected = expected.map { $0 / Double(market.shoppers.count) }
        let (observed, trips) = tripShares(records)
        XCTAssertGreaterThan(trips, 500_000)
        for o in Option.allCases {
            let e = expected[o.rawValue]
            let se = sqrt(e * (1 - e) / trips)
            XCTAssertEqual(observed[o.rawValue], e, accuracy: 4 * se, "option \(o.code)")
            XCTAssertGreaterThan(e, 0.02, "option \(o.code) should matter in this test")
        }
    }

    /// Power distance decay with only distance differing between the two
    /// stores: store shares are Huff's gravity probabilities.
    func testHuffLimit() throws {
        let lambda = 2.0
        let s = try scenario([
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
    /// nobody a member at the start, strategies frozen.
    private func bassScenario(p: Double, q: Double, shoppers n: Int) throws -> Scenario {
        var settings = ["population.shoppers=\(n)", "membership.innovation=\(p)", "membership.imitation=\(q)",
                        "membership.valueWeight=0", "membership.churn=0", "membership.churnValueWeight=0",
                        "membership.localScope=population", "amazon.strategy.enabled=false", "walmart.strategy.enabled=false"]
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
