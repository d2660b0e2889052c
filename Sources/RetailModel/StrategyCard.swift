import Foundation

/// The technology-first retailer's quarterly rules (MODEL.md section 7).
public enum AmazonStrategy {
    /// AI dynamic pricing: moves p_A toward the price that holds the target share
    /// of online spend. Above target it raises the price (taking margin), below it
    /// cuts, by the relative gap but at most `maxPriceStep` a quarter, within the
    /// floor and ceiling.
    public static func nextPrice(current: Double, quarterSpend: [Double], parameters a: AmazonParameters) -> Double {
        let online = Option.allCases.filter(\.isOnline).reduce(0) { $0 + quarterSpend[$1.rawValue] }
        guard online > 0 else { return current }
        let share = quarterSpend[Option.amazon.rawValue] / online
        let gap = (share - a.targetOnlineShare) / a.targetOnlineShare
        let step = min(max(gap, -a.maxPriceStep), a.maxPriceStep)
        return min(max(current * (1 + step), a.priceFloor), a.priceCeiling)
    }

    /// The data flywheel: pi = max * (1 - exp(-orders per shopper / flywheelScale)).
    public static func personalization(ordersPerShopper: Double, parameters a: AmazonParameters) -> Double {
        a.personalizationMax * (1 - exp(-ordersPerShopper / a.flywheelScale))
    }
}

/// The integration-first retailer's quarterly rules (MODEL.md section 7).
public enum WalmartStrategy {
    /// Share of associates with AI tools: a logistic curve in weeks.
    public static func augmentation(week: Int, parameters w: WalmartParameters) -> Double {
        1 / (1 + exp(-(Double(week) - w.augmentationMidpointWeek) / w.augmentationScaleWeeks))
    }
}
