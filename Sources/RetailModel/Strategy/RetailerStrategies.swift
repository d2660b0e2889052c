import Foundation

/// The technology-first retailer's quarterly rules (docs/MODEL.md section 7).
public enum AmazonStrategy {
    /// `shareTarget`, a counterfactual (the only rule before 0.6.0): moves p_A
    /// toward the price that holds the target share of online spend. Above
    /// target it raises the price, below it cuts, by the relative gap but at
    /// most `maxPriceStep` a quarter.
    static func shareTargetPrice(current: Double, quarterSpend: [Double], parameters a: AmazonParameters) -> Double {
        let online = Option.online.reduce(0) { $0 + quarterSpend[$1.rawValue] }
        guard online > 0 else { return current }
        let share = quarterSpend[Option.amazon.rawValue] / online
        let gap = (share - a.strategy.targetOnlineShare) / a.strategy.targetOnlineShare
        let step = min(max(gap, -a.strategy.maxPriceStep), a.strategy.maxPriceStep)
        return current * (1 + step)
    }

    /// The data flywheel: pi = max * (1 - exp(-orders per household / flywheelScale)).
    public static func personalization(ordersPerHousehold: Double, parameters a: AmazonParameters) -> Double {
        a.personalization.max * (1 - exp(-ordersPerHousehold / a.personalization.flywheelScale))
    }
}

/// The integration-first retailer's quarterly rules (docs/MODEL.md section 7).
public enum WalmartStrategy {
    /// Share of associates with AI tools: a logistic curve in weeks.
    public static func augmentation(week: Int, parameters w: WalmartParameters) -> Double {
        1 / (1 + exp(-(Double(week) - w.strategy.augmentationMidpointWeek) / w.strategy.augmentationScaleWeeks))
    }
}
