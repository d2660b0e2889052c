import Foundation
import RetailStats

/// Everything in the utility of docs/MODEL.md section 5 that is the same for every
/// household in a given week: constants, prices, waits, the retailers' levers.
public struct ChoiceContext: Sendable {
    public var constants: PerOption<Float>
    public var habitWeight: Float
    /// The nests' lambdas (`choice.walmartNest`, `choice.onlineNest`).
    public var nests: Nests
    package var amazonPrice: Float
    package var walmartPrice: Float
    var otherPrice: Float = 1
    /// The shipping fee below the threshold, times `choice.feeWeight` (as are the store-delivery fees).
    var shippingFee: Float
    var freeShippingThreshold: Float
    /// How much a store's price difference from the market's weighs against an online one's (`choice.storePriceWeight`).
    var storePriceWeight: Float
    /// Fees of an order delivered from a Walmart-like store: a non-member's
    /// on every order, a member's below the threshold (`walmart.storeDelivery.*`).
    var storeDeliveryFee: Float, memberSmallBasketFee: Float
    /// pi(t): the Amazon-like retailer's personalisation level.
    public var personalization: Float
    public var ordersScale: Float
    /// Weeks a month's trips and fees are spread over (`WeekCalendar.weeksPerMonth`; the market sets it).
    var weeksPerMonth = Float(Weeks.perMonth)

    /// zeta * log(inStock): the Walmart-like service term.
    var walmartService: Float
    /// The online waits in hours, and what each costs in utility per unit of
    /// bTime: ln(1 + hours / 24) or hours (`choice.waitForm`).
    var hours: Waits
    var terms: Waits
    /// Whether a wait's term is ln(1 + hours / 24) (`choice.waitForm` log) rather than hours.
    var logWaits: Bool
    /// Store delivery's slots when they bind (the market sets them): each
    /// household's hub wait is `hours.hub` plus its store's extra hours
    /// (`DeliverySlots.extraHours`, a plain pointer: no reference counting in
    /// the loop). Nil: unlimited.
    var slotWaits: SlotWaits?
    /// Pickup's slots when they bind: each household's pickup wait is
    /// `hours.pickup` plus its walk-in store's extra hours. Nil: unlimited.
    var pickupWaits: SlotWaits?
    /// Whether some stores take no pickup orders (`Facilities.pickupLimited`;
    /// the market sets it): their households' pickup utility is `unavailable`.
    var pickupLimited = false
    /// The utility of an option a household does not have: its weight
    /// underflows (the fast exponential's floor, e^-86) to nothing.
    static let unavailable: Float = -1000
    /// Whether any slots bind (store delivery's or pickup's): the weekly choice branches on it once a block.
    var slotsBind: Bool { slotWaits != nil || pickupWaits != nil }

    /// The extra hours of every store id, read by gather.
    struct SlotWaits: @unchecked Sendable {
        let extraHours: UnsafeMutablePointer<Float>
    }
    public var otherStoreKm: (urban: Float, suburban: Float, rural: Float)
    public var minimumTravelKm: Float
    var powerDecay: Bool
    public var powerExponent: Float
    /// Utility of one step of a household's Walmart-like online taste:
    /// `shoppers.walmartOnlineTasteSigma` times the heterogeneity, over the steps a unit.
    var walmartTastePerStep: Float
    /// The grocery category's terms (`choice.grocery.*`).
    var grocery: GroceryTerms

    /// What a grocery trip adds to a general one's utilities.
    struct GroceryTerms: Sendable {
        /// Chance that a household's week is grocery; 0: one category.
        var share: Float
        /// Chances that it is fresh grocery and shelf-stable grocery (together `share`).
        var freshChance: Float, shelfStableChance: Float
        var onlineShift: Float, walmartShift: Float
        /// Utility lost a day of wait past the first, on a fresh trip.
        var lateDayWeight: Float
        var enabled: Bool { share > 0 }
        /// Whether some grocery trips are shelf-stable (`choice.grocery.freshShare` below 1).
        var shelfStable: Bool { shelfStableChance > 0 }
    }

    /// The context at the market's current state.
    public init(parameters p: ModelParameters, state: MarketState) {
        let c = p.choice.constants.map(Float.init)
        constants = PerOption(a: c[0], ws: c[1], wo: c[2], os: c[3], oo: c[4], wp: c[5])
        habitWeight = Float(p.choice.habitWeight)
        nests = Nests(walmart: Float(p.choice.walmartNest), online: Float(p.choice.onlineNest), pickup: p.walmart.pickup.offered)
        amazonPrice = Float(state.amazonPrice)
        walmartPrice = Float(state.walmartPrice)
        // Fees enter utility at their weight against prices (`choice.feeWeight`).
        let feeWeight = p.choice.feeWeight
        shippingFee = Float(feeWeight * p.choice.shippingFeeDollars)
        freeShippingThreshold = Float(p.choice.freeShippingThresholdDollars)
        storePriceWeight = Float(p.choice.storePriceWeight)
        storeDeliveryFee = Float(feeWeight * p.walmart.storeDelivery.feeDollars)
        memberSmallBasketFee = Float(feeWeight * p.walmart.storeDelivery.memberSmallBasketFeeDollars)
        personalization = Float(state.personalization)
        ordersScale = Float(p.amazon.personalization.ordersScale)
        walmartService = Float(p.walmart.serviceWeight * log(state.inStock))
        hours = Waits(parameters: p, state: state) { Float($0) }
        let form = p.choice.waitForm
        logWaits = form == .log
        terms = Waits(parameters: p, state: state) { ChoiceContext.waitTerm(hours: $0, form: form) }
        otherStoreKm = (Float(p.choice.otherStoreKm.urban), Float(p.choice.otherStoreKm.suburban), Float(p.choice.otherStoreKm.rural))
        minimumTravelKm = Float(p.choice.minimumTravelKm)
        powerDecay = p.choice.distanceDecay == .power
        powerExponent = Float(p.choice.powerExponent)
        walmartTastePerStep = Float(p.shoppers.walmartOnlineTasteSigma * p.shoppers.heterogeneity) / Households.tasteSteps
        let g = p.choice.grocery
        grocery = GroceryTerms(share: Float(g.tripShare), freshChance: Float(g.tripShare * g.freshShare),
                               shelfStableChance: Float(g.tripShare * (1 - g.freshShare)),
                               onlineShift: Float(g.onlineShift), walmartShift: Float(g.walmartShift), lateDayWeight: Float(g.lateDayWeight))
    }

    /// The wait of eight households at an option a store serves, hours, and
    /// its term: their store's extra hours on the option's wait where that
    /// service's slots bind (`hubStore` for store delivery, `pickupStore` for
    /// pickup), the option's wait alone where not. `slotsBind` false (known to
    /// the caller for a whole block) skips the test.
    @inline(__always)
    func storeWait(_ service: DeliverySlots.Service, _ c: HouseholdLanes, _ k: Int, slotsBind: Bool = true) -> (hours: Lanes, term: Lanes) {
        let (waits, stores, base, term) = service == .delivery ? (slotWaits, c.hubStore, hours.hub, terms.hub)
                                                               : (pickupWaits, c.pickupStore, hours.pickup, terms.pickup)
        guard slotsBind, let waits else { return (splat(base), splat(term)) }
        let h = splat(base) + gather(waits.extraHours, HouseholdLanes.load(stores, k))
        return (h, logWaits ? FastExponential.log(1 + h * (1 / 24)) : h)
    }

    /// Prices by option, for revenue.
    public var prices: PerOption<Float> {
        PerOption(a: amazonPrice, ws: walmartPrice, wo: walmartPrice, os: otherPrice, oo: otherPrice, wp: walmartPrice)
    }

    /// What a wait of `hours` costs per unit of bTime in the given form.
    static func waitTerm(hours: Double, form: WaitForm) -> Float {
        switch form {
        case .log: Float(log1p(hours / 24))
        case .linear: Float(hours)
        }
    }

    /// The online options' waits, each as `measure` of its hours.
    struct Waits: Sendable {
        var sameDay, nextDay, standard, nonMember, hub, walmartStandard, otherOnline, pickup: Float
        /// Other sellers' wait for a fresh grocery order (`choice.grocery.otherOnlineHours`).
        var otherOnlineGrocery: Float

        init(parameters p: ModelParameters, state: MarketState, _ measure: (Double) -> Float) {
            (sameDay, nextDay, standard, nonMember) = (measure(p.amazon.hours.sameDay), measure(p.amazon.hours.nextDay),
                                                       measure(p.amazon.hours.standard), measure(p.amazon.hours.nonMember))
            (hub, walmartStandard, otherOnline) = (measure(state.hubHours), measure(p.walmart.hours.standard),
                                                   measure(p.choice.otherOnlineHours))
            pickup = measure(p.walmart.pickup.hours)
            otherOnlineGrocery = measure(p.choice.grocery.otherOnlineHours)
        }

        /// The Amazon-like wait of eight households: by the nearest network
        /// for Prime-like members, the non-member wait otherwise.
        @inline(__always)
        func amazon(flags f: LaneInts) -> Lanes {
            select(has(f, .prime), select(has(f, .sameDay), splat(sameDay), select(has(f, .nextDay), splat(nextDay), splat(standard))),
                   splat(nonMember))
        }

        /// The Walmart-like online wait of eight households: the hub's (`hub`,
        /// their stores') for an order delivered from a store, the standard one for a shipped order.
        @inline(__always)
        func walmartOnline(fromStore: LaneMask, hub: Lanes) -> Lanes { select(fromStore, hub, splat(walmartStandard)) }
    }

    /// V_ij of docs/MODEL.md section 5 for household `i`, with its own
    /// memberships, on a trip of the given category: the lanes' own
    /// `utilities`, for a vector of one.
    package func utilities(of i: Int, in s: Households, trip: TripCategory) -> Utilities {
        var u = Utilities(repeating: 0)
        forEachVector(of: s, in: i..<(i + 1)) { c, k, _ in
            let v = utilities(c, k, flags: HouseholdLanes.load(c.flags, k), trip: trip)
            u = Utilities(a: v.a[0], ws: v.ws[0], wo: v.wo[0], os: v.os[0], oo: v.oo[0], wp: v.wp[0])
        }
        return u
    }

    /// Nested logit choice probabilities P_ij of a trip, in `Option` order,
    /// in double precision from the single-precision utilities, written from
    /// the textbook form P_j = P(nest) P(j | nest) apart from the lanes'
    /// weights, and averaged over the categories by their chances (the
    /// closed-form logit experiment and the tests compare with them).
    package func probabilities(of i: Int, in s: Households) -> [Double] {
        let walmart: [Option] = nests.pickup ? [.walmartStore, .walmartOnline, .walmartPickup] : [.walmartStore, .walmartOnline]
        let groups: [(lambda: Double, members: [Option])] = [
            (Double(nests.walmart), walmart), (Double(nests.online), [.amazon, .otherOnline]), (1, [.otherStore]),
        ]
        func probabilities(_ u: Utilities) -> [Double] {
            func v(_ o: Option) -> Double { Double(u[o]) }
            // Inclusive values lambda ln sum exp(V / lambda), and the choice's log-sum over them.
            let inclusive = groups.map { g in g.lambda * log(g.members.map { exp(v($0) / g.lambda) }.reduce(0, +)) }
            let top = inclusive.max()!
            let logSum = top + log(inclusive.map { exp($0 - top) }.reduce(0, +))
            var p = [Double](repeating: 0, count: Option.count)
            for (g, iv) in zip(groups, inclusive) {
                for o in g.members { p[o.rawValue] = exp(iv - logSum) * exp(v(o) / g.lambda - iv / g.lambda) }
            }
            return p
        }
        let general = probabilities(utilities(of: i, in: s, trip: .general))
        guard grocery.enabled else { return general }
        var p = general.map { (1 - Double(grocery.share)) * $0 }
        for (trip, chance) in [(TripCategory.fresh, grocery.freshChance), (.shelfStable, grocery.shelfStableChance)] where chance > 0 {
            for (o, q) in probabilities(utilities(of: i, in: s, trip: trip)).enumerated() { p[o] += Double(chance) * q }
        }
        return p
    }
}
