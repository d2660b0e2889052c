import RetailStats

extension Market {
    /// Step 4, every 4 weeks: shoppers join and leave the programmes (docs/MODEL.md section 6).
    func updateMemberships() {
        let m = parameters.membership
        // Each programme's hazards from its own parameters (amazon.prime.monthlyFee,
        // walmart.plus.monthlyFee, ...); a programme not offered has nobody to join it.
        let hazards = Programme.allCases.map { g in
            let offered = parameters[g].enabled
            return MembershipHazards(innovation: offered ? m.innovation : 0, imitation: offered ? m.imitation : 0,
                                     valueWeight: offered ? m.valueWeight : 0, churn: m.churn,
                                     churnValueWeight: m.churnValueWeight, fee: parameters[g].monthlyFee)
        }
        let shares = census.localShares(scope: m.localScope)
        let s = shoppers, ctx = choiceContext, streams = streams
        Parallel.forEach(chunkCount, threads: threads) { c in
            decideMemberships(shoppers: s, range: Parallel.range(ofChunk: c, shoppers: s.count), context: ctx,
                              hazards: hazards, localShare: shares, stream: streams[c])
        }
    }

    /// Step 5: each retailer acts on its strategy card (docs/MODEL.md section 7).
    func strategyStep() {
        let p = parameters
        let spend = quarterSpend
        quarterSpend = [Double](repeating: 0, count: Option.count)
        if p.amazon.strategy.enabled {
            if p.amazon.strategy.dynamicPricing {
                state.amazonPrice = AmazonStrategy.nextPrice(current: state.amazonPrice, quarterSpend: spend, parameters: p.amazon)
            }
            let picks = ruralSites.choose(count: p.amazon.strategy.ruralSitesPerQuarter, shoppers: shoppers, grid: grid, threads: threads)
            facilities.addSameDaySites(picks.map { ruralSites.points[$0] })
            state.personalization = AmazonStrategy.personalization(
                ordersPerShopper: state.cumulativeAmazonOrders / Double(shoppers.count), parameters: p.amazon)
        }
        if p.walmart.strategy.enabled {
            let picks = hubStores.choose(count: p.walmart.strategy.hubsPerQuarter, shoppers: shoppers, grid: grid, threads: threads)
            facilities.convertToHubs(picks)
            if p.walmart.strategy.augmentation {
                let a = WalmartStrategy.augmentation(week: state.week, parameters: p.walmart)
                state.augmentation = a
                state.inStock = p.walmart.inStock.before + (p.walmart.inStock.after - p.walmart.inStock.before) * a
                state.hubHours = p.walmart.hours.hub + (p.walmart.hours.hubAugmented - p.walmart.hours.hub) * a
            }
        }
    }
}
