import Foundation
import RetailStats

extension Market {
    /// The demand of every household as they stand now, at the given prices.
    public func demand(amazon: Double, walmart: Double) -> Demand {
        let tables = MembershipTables(benefits: benefitTable, localShare: census.localShares(scope: parameters.membership.localScope))
        var d = Demand.measure(shoppers: shoppers, context: choiceContext, prices: (amazon, walmart), hazards: membershipHazards,
                               tables: tables, chunks: chunkCount, threads: threads)
        // Frozen programmes: price moves no members.
        if !parameters.membership.enabled { d.memberSlope = [0, 0] }
        return d
    }

    /// The Lerner diagnostic: each retailer's profit-maximising response to
    /// demand `d` (membership fees and the effect of price on membership included).
    func responsePrices(_ d: Demand) -> (amazon: Double, walmart: Double) {
        (d.responsePrice(.amazon, cost: marginalCost(.amazon), monthlyFee: parameters.amazon.prime.enabled ? parameters.amazon.prime.monthlyFee : 0,
                         weeksPerMonth: calendar.weeksPerMonth),
         d.responsePrice(.walmart, cost: marginalCost(.walmart), monthlyFee: parameters.walmart.plus.enabled ? parameters.walmart.plus.monthlyFee : 0,
                         weeksPerMonth: calendar.weeksPerMonth))
    }

    /// The price rules of the strategy step (docs/MODEL.md section 7): measures
    /// demand, records the Lerner diagnostic, then moves each price by its rule.
    /// Returns welfare at the prices before the move, dollars a week.
    func priceStep(quarterSpend spend: [Double]) -> Double {
        let d = demand(amazon: state.amazonPrice, walmart: state.walmartPrice)
        let response = responsePrices(d)
        state.amazonResponsePrice = response.amazon
        state.walmartResponsePrice = response.walmart
        guard pricePath == nil else { return d.welfare }
        let a = parameters.amazon.strategy, w = parameters.walmart.strategy
        if w.enabled && w.pricing == .leader && calendar.endsYear(state.week) {
            state.walmartPrice = leaderPrice()
        }
        if a.enabled {
            state.amazonPrice = nextAmazonPrice(rule: a.pricing, quarterSpend: spend, response: response.amazon)
        }
        testQuantity = (0, 0)
        drawTestChunks()
        return d.welfare
    }

    /// Keeps a price index inside the Amazon-like rules' floor and ceiling.
    private func clampAmazon(_ p: Double) -> Double {
        min(max(p, parameters.amazon.strategy.priceFloor), parameters.amazon.strategy.priceCeiling)
    }

    /// Moves from `current` toward `target` by at most `step` (relative).
    private static func stepToward(_ target: Double, from current: Double, step: Double) -> Double {
        min(max(target, current * (1 - step)), current * (1 + step))
    }

    /// The Amazon-like price for next quarter under `rule`.
    func nextAmazonPrice(rule: PricingRule, quarterSpend spend: [Double], response: Double) -> Double {
        let a = parameters.amazon.strategy, p = state.amazonPrice
        switch rule {
        case .fixed:
            return p
        case .match:
            return clampAmazon(p + a.matchSpeed * (state.walmartPrice * (1 + a.priceGap) - p))
        case .bestResponse:
            return clampAmazon(Market.stepToward(response, from: p, step: a.maxPriceStep))
        case .learn:
            // Elasticity from the quarter's test: ln Q up - ln Q down over ln p up - ln p down.
            let q = testQuantity
            if q.up > 0 && q.down > 0 {
                let estimate = -(log(q.up) - log(q.down)) / (log(1 + a.testStep) - log(1 - a.testStep))
                if estimate.isFinite {
                    state.learnedElasticity = state.learnedElasticity.map { (1 - a.learningWeight) * $0 + a.learningWeight * estimate }
                        ?? estimate
                }
            }
            // Lerner: p = c / (1 - 1/e), defined only for an elastic demand; a
            // demand that looks inelastic calls for the largest step up.
            guard let e = state.learnedElasticity else { return p }
            let target = e > 1 ? marginalCost(.amazon) / (1 - 1 / e) : .infinity
            return clampAmazon(Market.stepToward(target, from: p, step: a.maxPriceStep))
        case .shareTarget:
            return clampAmazon(AmazonStrategy.shareTargetPrice(current: p, quarterSpend: spend, parameters: parameters.amazon))
        }
    }

    /// The Amazon-like reaction to a Walmart-like price `walmart`, as the
    /// leader foresees it: the rule's own fixed point.
    func amazonReaction(toWalmart walmart: Double) -> Double {
        let a = parameters.amazon.strategy
        guard a.enabled else { return state.amazonPrice }
        switch a.pricing {
        case .match:
            return clampAmazon(walmart * (1 + a.priceGap))
        case .bestResponse, .learn:
            var p = state.amazonPrice
            for _ in 0..<8 {
                p = clampAmazon(responsePrices(demand(amazon: p, walmart: walmart)).amazon)
            }
            return p
        case .shareTarget, .fixed:
            return state.amazonPrice
        }
    }

    /// Walmart-like `leader`: the price, within a year's step, that maximises
    /// its weekly profit (p - c) Q + F/4 (N + dN/dp dp) given the Amazon-like
    /// reaction to it; nine candidates across the step.
    func leaderPrice() -> Double {
        let w = parameters.walmart.strategy, current = state.walmartPrice
        let cost = marginalCost(.walmart), fee = parameters.walmart.plus.enabled ? parameters.walmart.plus.monthlyFee : 0
        var best = (price: current, profit: -Double.infinity)
        for k in 0...8 {
            let candidate = min(max(current * (1 - w.maxPriceStep + Double(k) * w.maxPriceStep / 4), w.priceFloor), w.priceCeiling)
            let d = demand(amazon: amazonReaction(toWalmart: candidate), walmart: candidate)
            let members = d.members[RetailerID.walmart.rawValue] + d.memberSlope[RetailerID.walmart.rawValue] * (candidate - current)
            let profit = (candidate - cost) * d.quantity[RetailerID.walmart.rawValue] + fee / calendar.weeksPerMonth * members
            if profit > best.profit { best = (candidate, profit) }
        }
        return best.price
    }

    /// `learn`: this quarter's tested chunks, each with chance `testShare`.
    func drawTestChunks() {
        let share = parameters.amazon.strategy.testShare
        for c in testChunks.indices { testChunks[c] = pricingStream.uniform() < share }
    }
}
