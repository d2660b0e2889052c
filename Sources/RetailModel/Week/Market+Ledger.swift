extension Market {
    /// Marginal cost as a price index, from the gross margin at the starting
    /// price: c = (1 - gross margin) x initial price index.
    func marginalCost(_ r: RetailerID) -> Double {
        switch r {
        case .amazon: (1 - parameters.amazon.grossMargin) * parameters.amazon.priceIndex
        case .walmart: (1 - parameters.walmart.grossMargin) * parameters.walmart.priceIndex
        }
    }

    /// The ledger line of one retailer for the week just simulated.
    func retailerWeek(_ r: RetailerID, revenue: [Double], members: [Int]) -> RetailerWeek {
        let p = parameters
        // Fixed costs are the real network's, shared over the agents.
        let scale = 1 / p.agentScale
        func spend(_ o: Option) -> Double { Segment.allCases.reduce(0) { $0 + revenue[$1.rawValue * Option.count + o.rawValue] } }
        func memberCount(_ g: Programme) -> Double {
            Double(Segment.allCases.reduce(0) { $0 + members[$1.rawValue * Programme.count + g.rawValue] })
        }
        let sales = Option.sold(by: r).reduce(0) { $0 + spend($1) }
        switch r {
        case .amazon:
            let sites = facilities.fulfillmentCenters.count + facilities.sameDaySites.count
            let fixed = Double(sites) * p.amazon.facilityCostDollarsPerQuarter / calendar.weeksPerQuarter * scale
            let fees = memberCount(.prime) * p.amazon.prime.monthlyFee / calendar.weeksPerMonth
            let margin = 1 - marginalCost(.amazon) / state.amazonPrice
            return RetailerWeek(priceIndex: state.amazonPrice, facilities: sites, hubs: facilities.sameDaySites.count,
                                personalization: state.personalization, inStock: nil, revenue: sales,
                                profit: margin * sales + fees - fixed, responsePrice: state.amazonResponsePrice, margin: margin)
        case .walmart:
            let fixed = (Double(facilities.openStoreCount) * p.walmart.storeCostDollarsPerQuarter
                + Double(facilities.hubCount) * p.walmart.hubCostDollarsPerQuarter) / calendar.weeksPerQuarter * scale
            let fees = memberCount(.plus) * p.walmart.plus.monthlyFee / calendar.weeksPerMonth
            let margin = 1 - marginalCost(.walmart) / state.walmartPrice
            return RetailerWeek(priceIndex: state.walmartPrice, facilities: facilities.openStoreCount,
                                hubs: facilities.hubCount, personalization: nil, inStock: state.inStock,
                                revenue: sales, profit: margin * sales + fees - fixed,
                                responsePrice: state.walmartResponsePrice, margin: margin)
        }
    }
}
