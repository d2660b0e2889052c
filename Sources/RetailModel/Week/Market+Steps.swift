import Foundation
import RetailStats

extension Market {
    /// Each programme's hazards from its own parameters (amazon.prime.monthlyFee,
    /// walmart.plus.monthlyFee, ...); a programme not offered has nobody to join it.
    var membershipHazards: [MembershipHazards] {
        let m = parameters.membership
        return Programme.allCases.map { g in
            let offered = parameters[g].enabled
            return MembershipHazards(innovation: offered ? m.innovation : 0, imitation: offered ? m.imitation : 0,
                                     valueWeight: offered ? m.valueWeight : 0, churn: m.churn, firstYearChurn: m.firstYearChurn,
                                     churnValueWeight: offered ? m.churnValueWeight : 0, fee: parameters[g].monthlyFee)
        }
    }

    /// Each programme's non-delivery benefit at the 256 quantiles a household's
    /// rank points to: median x exp(sigma z), z the standard normal quantile
    /// of (rank + 1/2) / 256; `[programme * 256 + rank]`, dollars a month.
    var benefitTable: [Float] {
        let h = parameters.shoppers.heterogeneity
        return Programme.allCases.flatMap { g -> [Float] in
            let b = parameters[g].benefitDollars
            // Before the anchor, Prime's benefit is smaller by its growth over the years between.
            let median = g == .prime ? b.median * exp(-parameters.trend.primeBenefitGrowthPerYear * trendYears) : b.median
            return (0..<256).map { r in Float(median * exp(h * b.sigma * StandardNormal.quantile((Double(r) + 0.5) / 256))) }
        }
    }

    /// Step 4, after each calendar month: households join and leave the programmes (docs/MODEL.md section 6).
    func updateMemberships() {
        let hazards = membershipHazards
        let tables = MembershipTables(benefits: benefitTable, localShare: census.localShares(scope: parameters.membership.localScope))
        let s = shoppers, ctx = choiceContext, streams = streams
        Parallel.forEach(chunkCount, threads: threads) { c in
            decideMemberships(shoppers: s, range: Parallel.range(ofChunk: c, shoppers: s.count), context: ctx,
                              hazards: hazards, tables: tables, lanes: streams.lanes(ofChunk: c))
        }
    }

    /// The Walmart-like associates' AI roll-out at `a` (0 to 1), and with it
    /// the in-stock rate and the hub wait, between their before and after values.
    func augment(to a: Double) {
        let w = parameters.walmart
        state.augmentation = a
        state.inStock = w.inStock.before + (w.inStock.after - w.inStock.before) * a
        state.hubHours = w.hours.hub + (w.hours.hubAugmented - w.hours.hub) * a
    }

    /// Step 5: each retailer acts on its strategy card (docs/MODEL.md section 7).
    /// Returns the households' welfare measured before the step, dollars a week.
    func strategyStep() -> Double {
        let p = parameters
        let spend = quarterSpend
        quarterSpend = [Double](repeating: 0, count: Option.count)
        let welfare = priceStep(quarterSpend: spend)
        if p.amazon.strategy.enabled {
            let picks = ruralSites.choose(count: p.amazon.strategy.ruralSitesPerQuarter, shoppers: shoppers, grid: grid, threads: threads)
            facilities.addSameDaySites(picks.map { ruralSites.points[$0] }, labels: ruralSiteLabels.isEmpty ? [] : picks.map { ruralSiteLabels[$0] },
                                       week: state.week)
            state.personalization = AmazonStrategy.personalization(
                ordersPerHousehold: state.cumulativeAmazonOrders / Double(shoppers.count), parameters: p.amazon)
        }
        if p.walmart.strategy.enabled {
            convertHubs(count: p.walmart.strategy.hubsPerQuarter)
            if p.walmart.strategy.augmentation {
                augment(to: WalmartStrategy.augmentation(week: state.week, parameters: p.walmart))
            }
        }
        return welfare
    }
}
