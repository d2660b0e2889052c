import Foundation

/// Systematic utilities of the five options for one shopper, in `Option` order.
public struct Utilities: Sendable {
    public var a: Float
    public var ws: Float
    public var wo: Float
    public var os: Float
    public var oo: Float

    public subscript(option: Option) -> Float {
        switch option {
        case .amazon: a
        case .walmartStore: ws
        case .walmartOnline: wo
        case .otherStore: os
        case .otherOnline: oo
        }
    }
}

/// Everything in the utility of docs/MODEL.md section 5 that is the same for every
/// shopper in a given week: constants, prices, waits, the retailers' levers.
public struct ChoiceContext: Sendable {
    public var constants: (a: Float, ws: Float, wo: Float, os: Float, oo: Float)
    public var habitWeight: Float
    public var amazonPrice: Float
    public var walmartPrice: Float
    public var otherPrice: Float = 1
    public var shippingFee: Float
    public var freeShippingThreshold: Float
    /// pi(t): the Amazon-like retailer's personalisation level.
    public var personalization: Float
    public var ordersScale: Float

    /// zeta * log(inStock): the Walmart-like service term.
    public var walmartService: Float
    public var hoursSameDay: Float
    public var hoursNextDay: Float
    public var hoursStandard: Float
    public var hoursNonMember: Float
    public var hoursHub: Float
    public var hoursWalmartStandard: Float
    public var hoursOtherOnline: Float
    /// What each wait above costs in utility per unit of bTime:
    /// ln(1 + hours / 24) or hours (`choice.waitForm`).
    public var termSameDay: Float
    public var termNextDay: Float
    public var termStandard: Float
    public var termNonMember: Float
    public var termHub: Float
    public var termWalmartStandard: Float
    public var termOtherOnline: Float
    public var otherStoreKm: (urban: Float, suburban: Float, rural: Float)
    public var minimumTravelKm: Float
    public var powerDecay: Bool
    public var powerExponent: Float

    /// The context at the market's current state.
    public init(parameters p: ModelParameters, state: MarketState) {
        let c = p.choice.constants.map(Float.init)
        constants = (c[0], c[1], c[2], c[3], c[4])
        habitWeight = Float(p.choice.habitWeight)
        amazonPrice = Float(state.amazonPrice)
        walmartPrice = Float(state.walmartPrice)
        shippingFee = Float(p.choice.shippingFeeDollars)
        freeShippingThreshold = Float(p.choice.freeShippingThresholdDollars)
        personalization = Float(state.personalization)
        ordersScale = Float(p.amazon.personalization.ordersScale)
        walmartService = Float(p.walmart.serviceWeight * log(state.inStock))
        hoursSameDay = Float(p.amazon.hours.sameDay)
        hoursNextDay = Float(p.amazon.hours.nextDay)
        hoursStandard = Float(p.amazon.hours.standard)
        hoursNonMember = Float(p.amazon.hours.nonMember)
        hoursHub = Float(state.hubHours)
        hoursWalmartStandard = Float(p.walmart.hours.standard)
        hoursOtherOnline = Float(p.choice.otherOnlineHours)
        let form = p.choice.waitForm
        func term(_ hours: Double) -> Float { ChoiceContext.waitTerm(hours: hours, form: form) }
        termSameDay = term(p.amazon.hours.sameDay)
        termNextDay = term(p.amazon.hours.nextDay)
        termStandard = term(p.amazon.hours.standard)
        termNonMember = term(p.amazon.hours.nonMember)
        termHub = term(state.hubHours)
        termWalmartStandard = term(p.walmart.hours.standard)
        termOtherOnline = term(p.choice.otherOnlineHours)
        otherStoreKm = (Float(p.choice.otherStoreKm.urban), Float(p.choice.otherStoreKm.suburban), Float(p.choice.otherStoreKm.rural))
        minimumTravelKm = Float(p.choice.minimumTravelKm)
        powerDecay = p.choice.distanceDecay == .power
        powerExponent = Float(p.choice.powerExponent)
    }

    /// Prices by option, for revenue.
    public var prices: (Float, Float, Float, Float, Float) {
        (amazonPrice, walmartPrice, walmartPrice, otherPrice, otherPrice)
    }

    /// What a wait of `hours` costs per unit of bTime in the given form.
    public static func waitTerm(hours: Double, form: WaitForm) -> Float {
        switch form {
        case .log: Float(log1p(hours / 24))
        case .linear: Float(hours)
        }
    }

    /// V_ij of docs/MODEL.md section 5 for shopper `i`, with its own memberships:
    /// the weekly choice's own code (`laneUtilities`) for a vector of one.
    public func utilities(of i: Int, in s: Shoppers) -> Utilities {
        let block = UtilityBlock()
        defer { block.deallocate() }
        block.fill(first: i, count: 1, shoppers: s, context: self)
        return Utilities(a: block.column(.amazon)[0], ws: block.column(.walmartStore)[0], wo: block.column(.walmartOnline)[0],
                         os: block.column(.otherStore)[0], oo: block.column(.otherOnline)[0])
    }

    /// Logit choice probabilities P_ij, in `Option` order.
    public func probabilities(of i: Int, in s: Shoppers) -> [Double] {
        let v = utilities(of: i, in: s)
        let values = Option.allCases.map { Double(v[$0]) }
        let m = values.max()!
        let e = values.map { exp($0 - m) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }
}
