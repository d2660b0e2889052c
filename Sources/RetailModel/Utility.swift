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

    /// The logit log-sum, log Σ exp(V): the expected maximum utility.
    public var logSum: Float {
        let m = max(max(max(a, ws), max(wo, os)), oo)
        return m + log(exp(a - m) + exp(ws - m) + exp(wo - m) + exp(os - m) + exp(oo - m))
    }
}

/// Everything in the utility of MODEL.md section 5 that is the same for every
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
    /// exp(-k / ordersScale) for k = 0 ..< 32 orders in a week: what an order
    /// count multiplies `Shoppers.amazonOrderDecay` by.
    public var orderDecay: [Float]
    /// zeta * log(inStock): the Walmart-like service term.
    public var walmartService: Float
    public var hoursSameDay: Float
    public var hoursNextDay: Float
    public var hoursStandard: Float
    public var hoursNonMember: Float
    public var hoursHub: Float
    public var hoursWalmartStandard: Float
    public var hoursOtherOnline: Float
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
        ordersScale = Float(p.amazon.personalizationOrdersScale)
        let scale = ordersScale
        orderDecay = (0..<32).map { exp(-Float($0) / scale) }
        walmartService = Float(p.walmart.serviceWeight * log(state.inStock))
        hoursSameDay = Float(p.amazon.hoursSameDay)
        hoursNextDay = Float(p.amazon.hoursNextDay)
        hoursStandard = Float(p.amazon.hoursStandard)
        hoursNonMember = Float(p.amazon.hoursNonMember)
        hoursHub = Float(state.hubHours)
        hoursWalmartStandard = Float(p.walmart.hoursStandard)
        hoursOtherOnline = Float(p.choice.otherOnlineHours)
        otherStoreKm = (Float(p.choice.otherStoreKm.urban), Float(p.choice.otherStoreKm.suburban), Float(p.choice.otherStoreKm.rural))
        minimumTravelKm = Float(p.choice.minimumTravelKm)
        powerDecay = p.choice.distanceDecay == .power
        powerExponent = Float(p.choice.powerExponent)
    }

    /// Prices by option, for revenue.
    public var prices: (Float, Float, Float, Float, Float) {
        (amazonPrice, walmartPrice, walmartPrice, otherPrice, otherPrice)
    }

    /// Disutility of a round trip of `km`.
    @inline(__always)
    func travelCost(roundTripKm km: Float, bTravel: Float) -> Float {
        powerDecay ? powerExponent * log(km) : bTravel * km
    }

    /// Hours an Amazon-like order takes for a shopper with these flags.
    @inline(__always)
    func amazonWaitHours(flags: UInt8, prime: Bool) -> Float {
        prime
            ? (flags & ShopperFlags.sameDay.rawValue != 0 ? hoursSameDay
                : flags & ShopperFlags.nextDay.rawValue != 0 ? hoursNextDay : hoursStandard)
            : hoursNonMember
    }

    /// Hours a Walmart-like online order takes for a shopper with these flags.
    @inline(__always)
    func walmartOnlineWaitHours(flags: UInt8) -> Float {
        flags & ShopperFlags.hub.rawValue != 0 ? hoursHub : hoursWalmartStandard
    }

    /// The Amazon-like option's utility for shopper `i`, as member or not.
    @inline(__always)
    public func amazonUtility(of i: Int, in s: Shoppers, prime: Bool) -> Float {
        let basket = s.basket[i]
        let fee: Float = (prime || basket >= freeShippingThreshold) ? 0 : shippingFee
        let wait = amazonWaitHours(flags: s.flags[i], prime: prime)
        let perso = personalization * (1 - s.amazonOrderDecay[i])
        return constants.a + s.online[i] + habitWeight * s.habit[i] + perso
            - s.bPrice[i] * (amazonPrice * basket + fee) - s.bTime[i] * wait
    }

    /// The Walmart-like online option's utility for shopper `i`, as Walmart+ member or not.
    @inline(__always)
    public func walmartOnlineUtility(of i: Int, in s: Shoppers, plus: Bool) -> Float {
        let basket = s.basket[i]
        let fee: Float = (plus || basket >= freeShippingThreshold) ? 0 : shippingFee
        let wait = walmartOnlineWaitHours(flags: s.flags[i])
        return constants.wo + s.online[i] + habitWeight * s.habit[2 * s.count + i] + walmartService
            - s.bPrice[i] * (walmartPrice * basket + fee) - s.bTime[i] * wait
    }

    /// V_ij of MODEL.md section 5 for shopper `i`, as if its memberships were
    /// `prime` and `plus` (the membership step asks "what if").
    @inline(__always)
    public func utilities(of i: Int, in s: Shoppers, prime: Bool, plus: Bool) -> Utilities {
        let bp = s.bPrice[i], on = s.online[i], basket = s.basket[i]
        let n = s.count
        let h = s.habit
        let feeOO: Float = basket >= freeShippingThreshold ? 0 : shippingFee
        let segment = s.segment[i]
        let otherKm = segment == 0 ? otherStoreKm.urban : segment == 1 ? otherStoreKm.suburban : otherStoreKm.rural
        let storeKm = max(s.storeKm[i], minimumTravelKm)
        let bd = s.bTravel[i]
        return Utilities(
            a: amazonUtility(of: i, in: s, prime: prime),
            ws: constants.ws + habitWeight * h[n + i] + walmartService - bp * (walmartPrice * basket)
                - travelCost(roundTripKm: 2 * storeKm, bTravel: bd),
            wo: walmartOnlineUtility(of: i, in: s, plus: plus),
            os: constants.os + habitWeight * h[3 * n + i] - bp * (otherPrice * basket)
                - travelCost(roundTripKm: 2 * max(otherKm, minimumTravelKm), bTravel: bd),
            oo: constants.oo + on + habitWeight * h[4 * n + i] - bp * (otherPrice * basket + feeOO) - s.bTime[i] * hoursOtherOnline
        )
    }

    /// V_ij with the shopper's own memberships.
    @inline(__always)
    public func utilities(of i: Int, in s: Shoppers) -> Utilities {
        let f = s.flags[i]
        return utilities(of: i, in: s, prime: f & ShopperFlags.prime.rawValue != 0, plus: f & ShopperFlags.plus.rawValue != 0)
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
