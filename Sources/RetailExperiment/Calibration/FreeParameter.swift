import Foundation
import RetailModel
import RetailStats

/// One number that calibration moves, and how it sets the scenario.
public struct FreeParameter: Sendable {
    /// What it is, for tables: a parameter path, or the paths it shifts.
    public var name: String
    /// Spread of the first simplex along this coordinate.
    public var step: Double
    /// The coordinate's value in a scenario (where the search starts).
    public let start: @Sendable (Scenario) -> Double
    /// The parameter's own value in a scenario, for tables.
    public let value: @Sendable (Scenario) -> Double
    /// Sets the scenario from the coordinate, relative to `base`.
    public let apply: @Sendable (_ scenario: inout Scenario, _ base: Scenario, _ x: Double) -> Void
    /// Whether the parameter acts in a scenario (pickup's constant only
    /// where pickup is offered, the grocery shifts only where trips can be grocery).
    public var acts: @Sendable (Scenario) -> Bool = { _ in true }

    /// An option constant, directly (utility units).
    public static func constant(_ option: Option) -> FreeParameter {
        FreeParameter(name: "choice.constants.\(option.code)", step: 0.5,
                      start: { $0.model.choice.constants[option.rawValue] }, value: { $0.model.choice.constants[option.rawValue] },
                      apply: { s, _, x in s.model.choice.constants[option.rawValue] = Calibration.rounded(x) })
    }

    /// A programme's initial member shares (a free parameter for other
    /// calibrations; the standard one no longer fits them), all segments moved together on
    /// the logit scale (so they stay in (0, 1) and keep their order); 0 is
    /// the base scenario's shares.
    public static func initialShares(_ programme: Programme) -> FreeParameter {
        let path = programme == .prime ? "amazon.prime.initialShare" : "walmart.plus.initialShare"
        return FreeParameter(name: "\(path).urban (all segments shifted alike)", step: 0.5, start: { _ in 0 },
                             value: { $0.model[programme].initialShare.urban },
                             apply: { s, base, x in
            let from = base.model[programme].initialShare
            var shares = from
            for segment in Segment.allCases {
                let b = min(max(from[segment], 1e-4), 1 - 1e-4)
                shares[segment] = Calibration.rounded(1 / (1 + exp(-(log(b / (1 - b)) + x))))
            }
            s.model[programme].initialShare = shares
        })
    }

    /// A positive membership rate, on the log scale (so it stays positive).
    public static func membershipRate(_ path: String, _ key: WritableKeyPath<MembershipParameters, Double> & Sendable) -> FreeParameter {
        FreeParameter(name: path, step: 0.5, start: { log(max($0.model.membership[keyPath: key], 1e-6)) },
                      value: { $0.model.membership[keyPath: key] },
                      apply: { s, _, x in s.model.membership[keyPath: key] = Calibration.rounded(exp(x)) })
    }

    /// A programme's median non-delivery benefit, dollars a month, on the log
    /// scale (so it stays positive).
    public static func benefit(_ programme: Programme) -> FreeParameter {
        let path = programme == .prime ? "amazon.prime.benefitDollars.median" : "walmart.plus.benefitDollars.median"
        return FreeParameter(name: path, step: 0.5, start: { log(max($0.model[programme].benefitDollars.median, 1e-3)) },
                             value: { $0.model[programme].benefitDollars.median },
                             apply: { s, _, x in s.model[programme].benefitDollars.median = Calibration.rounded(exp(x)) })
    }

    /// alpha_y, digital affinity per unit of log income, directly; it acts
    /// only in the real country (the synthetic one has no incomes).
    public static let onlineIncomeWeight = FreeParameter(
        name: "shoppers.onlineIncomeWeight", step: 0.3, start: { $0.model.shoppers.onlineIncomeWeight },
        value: { $0.model.shoppers.onlineIncomeWeight },
        apply: { s, _, x in s.model.shoppers.onlineIncomeWeight = Calibration.rounded(x) },
        acts: { $0.model.geography.kind == .us })

    /// The option constants (OS is the reference), both programmes' median
    /// non-delivery benefits, which set where memberships settle, and (real
    /// country) alpha_y, which sets online share by income. Everything else
    /// comes from outside evidence (docs/MODEL.md section 10); the starting
    /// member shares only start the burn-in.
    public static let standard: [FreeParameter] =
        [.amazon, .walmartStore, .walmartOnline, .otherOnline].map(FreeParameter.constant) + Programme.allCases.map(FreeParameter.benefit)
            + [onlineIncomeWeight]

    /// A LogNormal taste's median, on the log scale (so it stays positive).
    static func tasteMedian(_ path: String, _ key: WritableKeyPath<HouseholdParameters, LogNormalSpec> & Sendable) -> FreeParameter {
        FreeParameter(name: path, step: 0.5, start: { log(max($0.model.shoppers[keyPath: key].median, 1e-9)) },
                      value: { $0.model.shoppers[keyPath: key].median },
                      apply: { s, _, x in s.model.shoppers[keyPath: key].median = Calibration.significant(exp(x)) })
    }

    /// A nest's lambda on the logit scale (so it stays in (0, 1)); a
    /// scenario without the nest (lambda 1) starts the search at 0.9.
    static func nest(_ path: String, _ key: WritableKeyPath<ChoiceParameters, Double> & Sendable) -> FreeParameter {
        FreeParameter(name: path, step: 1, start: { let l = min(max($0.model.choice[keyPath: key], 0.01), 0.9); return log(l / (1 - l)) },
                      value: { $0.model.choice[keyPath: key] },
                      apply: { s, _, x in s.model.choice[keyPath: key] = max(0.01, Calibration.significant(1 / (1 + exp(-x)))) })
    }

    /// A grocery trip's utility shift, directly (utility units); it acts only where trips can be grocery.
    static func groceryShift(_ path: String, _ key: WritableKeyPath<GroceryParameters, Double> & Sendable) -> FreeParameter {
        FreeParameter(name: path, step: 0.5, start: { $0.model.choice.grocery[keyPath: key] }, value: { $0.model.choice.grocery[keyPath: key] },
                      apply: { s, _, x in s.model.choice.grocery[keyPath: key] = Calibration.rounded(x) },
                      acts: { $0.model.choice.grocery.tripShare > 0 })
    }

    /// Pickup's constant, which acts only where pickup is offered.
    static var pickupConstant: FreeParameter {
        var p = constant(.walmartPickup)
        p.acts = { $0.model.walmart.pickup.offered }
        return p
    }

    /// sigma_W, the sd of the Walmart-like online taste, on the log scale (so
    /// it stays positive); a scenario without the taste starts the search at 0.5.
    static let walmartOnlineTaste = FreeParameter(
        name: "shoppers.walmartOnlineTasteSigma", step: 0.5,
        start: { log($0.model.shoppers.walmartOnlineTasteSigma > 0 ? $0.model.shoppers.walmartOnlineTasteSigma : 0.5) },
        value: { $0.model.shoppers.walmartOnlineTasteSigma },
        apply: { s, _, x in s.model.shoppers.walmartOnlineTasteSigma = Calibration.significant(exp(x)) })

    /// w, how much a store's price difference from the market's weighs
    /// against an online one's, on the log scale (so it stays positive):
    /// with the price weight's median, Hoch et al.'s store response and Einav
    /// et al.'s online one pin it.
    static let storePriceWeight = FreeParameter(
        name: "choice.storePriceWeight", step: 0.5, start: { log(max($0.model.choice.storePriceWeight, 1e-3)) },
        value: { $0.model.choice.storePriceWeight },
        apply: { s, _, x in s.model.choice.storePriceWeight = Calibration.significant(exp(x)) })

    /// What the response targets pin and the levels alone do not: the price
    /// weight and how much a store's price difference counts against an online one's (since 0.14.0), the time weight (prices, distance priced in money, delivery time),
    /// the two nests (how a retailer's channels, and online sellers,
    /// substitute), and the categories' levels: pickup's constant (its share
    /// of online grocery) and grocery's two shifts (online grocery's share,
    /// grocery's share of Walmart), and the sd of the Walmart-like online
    /// taste (Walmart+ members' orders and spend against non-members', by
    /// whom joining selects). Grocery's share of trips and the weight of a
    /// fee are set from outside figures, not fitted (Experiments/targets/us-responses.toml).
    public static let responseParameters = [tasteMedian("shoppers.priceSensitivity.median", \.priceSensitivity), storePriceWeight,
                                            tasteMedian("shoppers.timeSensitivity.median", \.timeSensitivity),
                                            nest("choice.walmartNest", \.walmartNest), nest("choice.onlineNest", \.onlineNest),
                                            pickupConstant,
                                            groceryShift("choice.grocery.onlineShift", \.onlineShift),
                                            groceryShift("choice.grocery.walmartShift", \.walmartShift),
                                            walmartOnlineTaste]

    /// The response parameters that act in `scenario`.
    public static func responseParameters(for scenario: Scenario) -> [FreeParameter] {
        responseParameters.filter { $0.acts(scenario) }
    }

    /// The standard list for `scenario`'s country: without alpha_y in the
    /// synthetic one, which has no incomes.
    public static func standard(for scenario: Scenario) -> [FreeParameter] {
        standard.filter { $0.acts(scenario) }
    }
}
