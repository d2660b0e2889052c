import RetailStats

// What one household does, on eight households at a time (docs/MODEL.md
// sections 5 and 6): its utilities, the logit weights and log-sum over them,
// what a membership is worth, and the chances of joining and leaving. Every
// pass over households (the weekly choice, the membership step, the demand
// pass, the habits' fixed point, the region outcome) calls these; how the
// passes walk households is in HouseholdLanes.swift.

/// One value for each option, in `Option` order: the six utilities, weights
/// or trips of a household (or of eight, a household a lane).
public struct PerOption<Value> {
    public var a, ws, wo, os, oo, wp: Value

    init(a: Value, ws: Value, wo: Value, os: Value, oo: Value, wp: Value) {
        (self.a, self.ws, self.wo, self.os, self.oo, self.wp) = (a, ws, wo, os, oo, wp)
    }

    public init(repeating v: Value) {
        self.init(a: v, ws: v, wo: v, os: v, oo: v, wp: v)
    }

    public subscript(option: Option) -> Value {
        get {
            switch option {
            case .amazon: a
            case .walmartStore: ws
            case .walmartOnline: wo
            case .otherStore: os
            case .otherOnline: oo
            case .walmartPickup: wp
            }
        }
        set {
            switch option {
            case .amazon: a = newValue
            case .walmartStore: ws = newValue
            case .walmartOnline: wo = newValue
            case .otherStore: os = newValue
            case .otherOnline: oo = newValue
            case .walmartPickup: wp = newValue
            }
        }
    }

    /// The values in `Option` order.
    public var all: [Value] { [a, ws, wo, os, oo, wp] }
}

extension PerOption: Sendable where Value: Sendable {}

/// The systematic utilities of one household.
public typealias Utilities = PerOption<Float>

/// A calendar month, quarter and year in weeks on average (365.25 days a
/// year): what turns a monthly fee or a quarterly cost into a week's. The
/// steps themselves fall on the calendar's month and quarter ends (`WeekCalendar`).
public enum Weeks {
    static let perYear = 365.25 / 7
    static let perMonth = perYear / 12
    static let perQuarter = perYear / 4
    /// Months in a membership's first year (its churn differs).
    static let monthsPerYear = 12
}

/// The category of a trip in each of eight lanes: general merchandise
/// (neither mask), fresh grocery (both) or shelf-stable grocery (`grocery` alone).
package struct TripCategory {
    var grocery: LaneMask, fresh: LaneMask

    package static var general: TripCategory { TripCategory(grocery: LaneMask(), fresh: LaneMask()) }
    package static var fresh: TripCategory { TripCategory(grocery: LaneMask(repeating: -1), fresh: LaneMask(repeating: -1)) }
    package static var shelfStable: TripCategory { TripCategory(grocery: LaneMask(repeating: -1), fresh: LaneMask()) }
}

/// What eight households' utilities are made of before their memberships
/// and radii (flags) and the trip's category enter: every term of docs/MODEL.md
/// section 5 but the Amazon-like and Walmart-like online fees and waits. The
/// passes that weigh a household more than once (both categories, either
/// side of a membership) read its columns once.
struct HouseholdTerms {
    /// The utilities, A and WO without their fees and waits.
    var base: PerOption<Lanes>
    var bPrice: Lanes, bTime: Lanes
    /// Whether the basket reaches the free-shipping threshold.
    var free: LaneMask
    /// The wait of an order delivered from the households' stores, hours, and its term.
    var hub: (hours: Lanes, term: Lanes)
    /// The wait of a pickup order at the households' stores, hours (its term is in `base.wp`).
    var pickupHours: Lanes
}

extension ChoiceContext {
    /// The terms of households k ..< k + 8 of `c`. `slotsBind` false (known
    /// to the caller for a whole block) skips the test of the slots a vector.
    @inline(__always)
    func householdTerms(_ c: HouseholdLanes, _ k: Int, slotsBind: Bool = true) -> HouseholdTerms {
        typealias C = HouseholdLanes
        let bPrice = C.load(c.bPrice, k), bTime = C.load(c.bTime, k), bTravel = C.load(c.bTravel, k)
        let online = C.load(c.online, k), spend = C.load(c.basket, k)
        let km = maximum(C.load(c.storeKm, k), Lanes(repeating: minimumTravelKm))
        let segment = C.load(c.segment, k)
        let minimumKm = minimumTravelKm
        let otherKm = select(equal(segment, splat(0)), splat(max(otherStoreKm.urban, minimumKm)),
                             select(equal(segment, splat(1)), splat(max(otherStoreKm.suburban, minimumKm)),
                                    splat(max(otherStoreKm.rural, minimumKm))))
        let storeTravel: Lanes, otherTravel: Lanes
        if powerDecay {
            // Huff's decay: a logarithm of each distance.
            storeTravel = powerExponent * FastExponential.log(2 * km)
            otherTravel = powerExponent * FastExponential.log(2 * otherKm)
        } else {
            // Linear in km: bTravel is utility a km.
            storeTravel = bTravel * 2 * km
            otherTravel = bTravel * 2 * otherKm
        }
        let hw = habitWeight / Households.unit
        let h = c.habit, n = c.stride
        let hA = floats(C.load(h, k)), hWS = floats(C.load(h + n, k)), hWO = floats(C.load(h + 2 * n, k))
        let hOS = floats(C.load(h + 3 * n, k)), hOO = floats(C.load(h + 4 * n, k)), hWP = floats(C.load(h + 5 * n, k))
        let decay = floats(C.load(c.decay, k))
        let free = atLeast(spend, splat(freeShippingThreshold))
        let feeO = select(free, Lanes(), splat(shippingFee))
        let perso = personalization - (personalization / Households.unit) * decay
        // The household's own taste for ordering from the Walmart-like retailer, delivered or picked up.
        let taste = (floats(C.load(c.walmartTaste, k)) - Float(Households.tasteZero)) * walmartTastePerStep
        let k0 = constants
        let hub = storeWait(.delivery, c, k, slotsBind: slotsBind), pickup = storeWait(.pickup, c, k, slotsBind: slotsBind)
        let pickupTerm = bTime * pickup.term
        // A store's price is paid in full, but its difference from the market's (the other sellers') is
        // answered storePriceWeight times as much as an online one; an order placed online, picked up or not, is read in full.
        let storePrice = otherPrice + storePriceWeight * (walmartPrice - otherPrice)
        let walmartSpend = bPrice * (walmartPrice * spend)
        var base: PerOption<Lanes> = PerOption(
            a: k0.a + online + hw * hA + perso - bPrice * (amazonPrice * spend),
            ws: k0.ws + hw * hWS + walmartService - bPrice * (storePrice * spend) - storeTravel,
            wo: k0.wo + online + hw * hWO + walmartService - walmartSpend + taste,
            os: k0.os + hw * hOS - bPrice * (otherPrice * spend) - otherTravel,
            oo: k0.oo + online + hw * hOO - bPrice * (otherPrice * spend + feeO) - bTime * terms.otherOnline,
            // Pickup: ordered online, the store's price and drive, no fee for anyone.
            wp: k0.wp + online + hw * hWP + walmartService - walmartSpend - storeTravel - pickupTerm + taste)
        if pickupLimited {
            // A household whose store takes no pickup orders has no pickup option.
            let none = equal(HouseholdLanes.load(c.pickupStore, k), splat(Int32(Households.noHub)))
            base.wp = select(none, splat(ChoiceContext.unavailable), base.wp)
        }
        return HouseholdTerms(base: base, bPrice: bPrice, bTime: bTime, free: free, hub: hub, pickupHours: pickup.hours)
    }

    /// V_ij of docs/MODEL.md section 5 for households k ..< k + 8 of `c`,
    /// with memberships and radii from `flags` (the households' own, or the
    /// membership step's "what if"), for a trip of the category of each lane.
    @inline(__always)
    func utilities(_ c: HouseholdLanes, _ k: Int, flags f: LaneInts, trip: TripCategory) -> PerOption<Lanes> {
        utilities(householdTerms(c, k), flags: f, trip: trip)
    }

    /// The utilities from a household's terms: the one definition of what
    /// memberships, radii and the trip's category add.
    @inline(__always)
    func utilities(_ t: HouseholdTerms, flags f: LaneInts, trip: TripCategory) -> PerOption<Lanes> {
        var fromStore = LaneMask()
        return utilities(t, flags: f, trip: trip, fromStore: &fromStore)
    }

    /// The same, and in `fromStore` the lanes whose Walmart-like online order
    /// would come from a store rather than be shipped (the weekly choice
    /// counts each order's wait by the way it takes).
    @inline(__always)
    func utilities(_ t: HouseholdTerms, flags f: LaneInts, trip: TripCategory, fromStore: inout LaneMask) -> PerOption<Lanes> {
        let isPrime = has(f, .prime), isPlus = has(f, .plus), free = t.free
        let zero = Lanes(), fee = splat(shippingFee)
        let feeA = select(isPrime | free, zero, fee)
        // A fresh grocery trip pays a day's weight for each day an order waits past the first.
        let perHour = self.grocery.enabled ? keep(trip.fresh, splat(self.grocery.lateDayWeight / 24)) : zero
        @inline(__always) func late(_ hours: Lanes) -> Lanes { perHour * maximum(zero, hours - 24) }
        // Walmart-like online is a menu: shipped on the shipping terms (free to
        // members and at the threshold) or, inside a hub radius, delivered from a
        // store on Walmart's terms (a non-member's fee on every order, a member's
        // below the threshold) within hours (its store's, longer where slots are
        // short); the order takes the better of the two.
        let shipped = t.bPrice * select(isPlus | free, zero, fee) + t.bTime * splat(terms.walmartStandard)
            + late(splat(hours.walmartStandard))
        let delivered = t.bPrice * select(isPlus, select(free, zero, splat(memberSmallBasketFee)), splat(storeDeliveryFee) + select(free, zero, fee))
            + t.bTime * t.hub.term + late(t.hub.hours)
        fromStore = has(f, .hub) & atLeast(shipped, delivered)
        var u = t.base
        u.a -= t.bPrice * feeA + t.bTime * terms.amazon(flags: f) + late(hours.amazon(flags: f))
        u.wo -= select(fromStore, delivered, shipped)
        guard self.grocery.enabled else { return u }
        // A grocery trip: the category's shifts.
        let g = self.grocery
        let online = keep(trip.grocery, splat(g.onlineShift)), walmart = keep(trip.grocery, splat(g.walmartShift))
        u.a += online
        u.ws += walmart
        u.wo += online + walmart
        // Other sellers' fresh groceries on their own wait (by default their general merchandise's: nothing
        // to add); shelf-stable ones ship as their general merchandise does.
        if terms.otherOnline == terms.otherOnlineGrocery {
            u.oo += online - late(splat(hours.otherOnlineGrocery))
        } else {
            u.oo += online + keep(trip.fresh, t.bTime * splat(terms.otherOnline - terms.otherOnlineGrocery)) - late(splat(hours.otherOnlineGrocery))
        }
        u.wp += online + walmart - late(t.pickupHours)
        return u
    }
}

/// The weights of a nest's two options (x, y) for eight households, relative
/// to `m`, at least the larger utility of the whole choice: each option's
/// exp((V - top) / lambda) times the nest's exp(top - m + (lambda - 1) ln D),
/// D the sum of the first factors (docs/MODEL.md section 5). A nest's weight
/// is at most 2 and no exponential overflows; lambda 1 is the plain logit's
/// exp(V - m), computed as such.
@inline(__always)
func nestWeights(_ x: Lanes, _ y: Lanes, lambda: Float, relativeTo m: Lanes) -> (x: Lanes, y: Lanes) {
    if lambda == 1 { return (FastExponential.exp(x - m), FastExponential.exp(y - m)) }
    // The larger option's first factor is exp(0) = 1: one exponential, not two.
    let top = maximum(x, y), yLarger = below(x, y)
    let other = FastExponential.exp(-maximum(x - y, y - x) * (1 / lambda))
    let ex = select(yLarger, other, splat(1)), ey = select(yLarger, splat(1), other)
    let scale = FastExponential.exp(top - m + (lambda - 1) * FastExponential.log(ex + ey))
    return (ex * scale, ey * scale)
}

/// The three weights of a nest of three options (x, y, z), as `nestWeights`
/// for two: exp((V - top) / lambda) each, times exp(top - m + (lambda - 1) ln D).
@inline(__always)
func nestWeights(_ x: Lanes, _ y: Lanes, _ z: Lanes, lambda: Float, relativeTo m: Lanes) -> (x: Lanes, y: Lanes, z: Lanes) {
    if lambda == 1 { return (FastExponential.exp(x - m), FastExponential.exp(y - m), FastExponential.exp(z - m)) }
    // The largest option's first factor is exp(0) = 1: two exponentials, the
    // middle and the smallest, not three; tied options share a factor.
    let top = maximum(maximum(x, y), z), low = minimum(minimum(x, y), z), inverse = 1 / lambda
    let middle = maximum(minimum(x, y), minimum(maximum(x, y), z))
    let eMiddle = FastExponential.exp((middle - top) * inverse), eLow = FastExponential.exp((low - top) * inverse)
    @inline(__always) func factor(_ v: Lanes) -> Lanes {
        select(atLeast(v, top), splat(1), select(atLeast(v, middle), eMiddle, eLow))
    }
    let ex = factor(x), ey = factor(y), ez = factor(z)
    let scale = FastExponential.exp(top - m + (lambda - 1) * FastExponential.log(ex + ey + ez))
    return (ex * scale, ey * scale, ez * scale)
}

/// The nests of every choice and their lambdas (docs/MODEL.md section 5):
/// the Walmart-like options (store, online and, where offered, pickup) share
/// a nest (a retailer's channels are closer substitutes than any two
/// retailers), and so do the Amazon-like and other online shops (an online
/// order moves between sellers more readily than between a store and a
/// screen); other stores stand alone. Lambda 1 is no nest: the multinomial logit.
public struct Nests: Sendable, Equatable {
    public var walmart: Float, online: Float
    /// Whether pickup is in the choice (`walmart.pickup.offered`): without
    /// it, its weight is 0 and the Walmart-like nest is the store and online
    /// options alone, computed as before pickup existed.
    public var pickup: Bool

    /// The Walmart-like nest's weights (WS, WO, WP) relative to `m`.
    @inline(__always)
    func walmart(_ ws: Lanes, _ wo: Lanes, _ wp: Lanes, relativeTo m: Lanes) -> (ws: Lanes, wo: Lanes, wp: Lanes) {
        if pickup {
            let w = nestWeights(ws, wo, wp, lambda: walmart, relativeTo: m)
            return (w.x, w.y, w.z)
        }
        let w = nestWeights(ws, wo, lambda: walmart, relativeTo: m)
        return (w.x, w.y, Lanes())
    }

    /// The largest of the utilities in the choice.
    @inline(__always)
    func largest(_ u: PerOption<Lanes>) -> Lanes {
        let m = maximum(maximum(maximum(u.a, u.ws), maximum(u.wo, u.os)), u.oo)
        return pickup ? maximum(m, u.wp) : m
    }
}

/// Nested logit weights of eight households, relative to the largest
/// utility so that no exponential overflows; P_j is a weight over their sum
/// (`total`, added in `Option` order). With both lambdas 1 these are the
/// multinomial logit's exp(V_j - max V).
struct LogitWeights {
    var weights: PerOption<Lanes>
    /// The largest utility, which the weights are relative to.
    var largest: Lanes

    @inline(__always)
    init(_ u: PerOption<Lanes>, nests: Nests) {
        self.init(u, nests: nests, relativeTo: nests.largest(u))
    }

    /// The weights relative to `m`, at least the largest utility (the
    /// membership step's, which also covers each programme's other side).
    @inline(__always)
    init(_ u: PerOption<Lanes>, nests: Nests, relativeTo m: Lanes) {
        largest = m
        let w = nests.walmart(u.ws, u.wo, u.wp, relativeTo: m)
        let o = nestWeights(u.a, u.oo, lambda: nests.online, relativeTo: m)
        weights = PerOption(a: o.x, ws: w.ws, wo: w.wo, os: FastExponential.exp(u.os - m), oo: o.y, wp: w.wp)
    }

    /// The sum of the weights, in `Option` order.
    @inline(__always)
    var total: Lanes { weights.a + weights.ws + weights.wo + weights.os + weights.oo + weights.wp }
}

/// The log-sum of eight households as they are and, for each programme, as
/// they would be on its other side (member or not): only the programme's own
/// option changes (Prime: A; Walmart+: WO; pickup is free to all), and with
/// it its nest's weights. The weights are relative to the largest of all the utilities.
struct MembershipLogSums {
    var own: PerOption<Lanes>
    /// A's weight on Prime's other side; the Walmart-like nest's on Walmart+'s.
    var primeOther: Lanes, plusOther: Lanes
    /// The Walmart-like store's weight on Walmart+'s other side (its price moves its utility differently: `choice.storePriceWeight`).
    var plusOtherStore: Lanes
    var largest: Lanes
    /// Sums of the weights now, on Prime's other side, on Walmart+'s.
    var now: Lanes, primeSide: Lanes, plusSide: Lanes

    @inline(__always)
    init(own u: PerOption<Lanes>, other: PerOption<Lanes>, nests: Nests) {
        largest = maximum(nests.largest(u), maximum(other.a, other.wo))
        let m = largest
        own = LogitWeights(u, nests: nests, relativeTo: m).weights
        let primeNest = nestWeights(other.a, u.oo, lambda: nests.online, relativeTo: m)
        let plusNest = nests.walmart(u.ws, other.wo, u.wp, relativeTo: m)
        primeOther = primeNest.x
        plusOther = plusNest.ws + plusNest.wo + plusNest.wp
        plusOtherStore = plusNest.ws
        now = own.ws + own.os + own.oo + own.a + own.wo + own.wp
        primeSide = own.ws + own.os + primeNest.y + primeNest.x + own.wo + own.wp
        plusSide = plusNest.ws + own.os + own.oo + own.a + plusNest.wo + plusNest.wp
    }

    /// ln sum_j exp V_j, less the largest utility.
    @inline(__always)
    var logNow: Lanes { FastExponential.log(now) }

    /// The change in the log-sum from each programme's other side; single
    /// precision leaves an error far below a cent a month.
    @inline(__always)
    func gains(logNow: Lanes) -> (prime: Lanes, plus: Lanes) {
        (FastExponential.log(primeSide) - logNow, FastExponential.log(plusSide) - logNow)
    }
}

extension ChoiceContext {
    /// Calls `body` for each category a trip may be (general merchandise,
    /// fresh grocery, shelf-stable grocery; those with no chance skipped),
    /// with whether it is grocery and its chance: general merchandise alone
    /// with chance 1 when the grocery category is off. What a household
    /// expects of a trip (shares, log-sums, slopes) is the chance-weighted
    /// sum over the calls; a weight of 1 leaves each term as it is.
    @inline(__always)
    func forEachCategory(_ body: (_ trip: TripCategory, _ isGrocery: Bool, _ weight: Float) -> Void) {
        guard grocery.enabled else { return body(.general, false, 1) }
        body(.general, false, 1 - grocery.share)
        // Fresh (0) then shelf-stable (1) in a loop, so that the body is inlined once for both.
        let all = LaneMask(repeating: -1)
        for kind in stride(from: grocery.freshChance > 0 ? 0 : 1, through: grocery.shelfStable ? 1 : 0, by: 1) {
            body(TripCategory(grocery: all, fresh: kind == 0 ? all : LaneMask()), true,
                 kind == 0 ? grocery.freshChance : grocery.shelfStableChance)
        }
    }

    /// The log-sums of eight households (their terms `t`) as they are and on each
    /// programme's other side: what the membership step, the demand pass and
    /// the test probe all read (docs/MODEL.md section 6).
    @inline(__always)
    func membershipLogSums(_ t: HouseholdTerms, flags f: LaneInts, trip: TripCategory) -> MembershipLogSums {
        let both = Int32(HouseholdFlags.prime.rawValue | HouseholdFlags.plus.rawValue)
        return MembershipLogSums(own: utilities(t, flags: f, trip: trip), other: utilities(t, flags: f ^ splat(both), trip: trip),
                                 nests: nests)
    }
}

extension ChoiceContext {
    /// Each household's chance of each option on a trip of either category
    /// (weighted over the categories) times `scale`, at its own memberships.
    @inline(__always)
    func expectedShares(_ c: HouseholdLanes, _ k: Int, scale: Float) -> PerOption<Lanes> {
        var shares = PerOption(repeating: Lanes())
        let f = HouseholdLanes.load(c.flags, k), t = householdTerms(c, k)
        forEachCategory { trip, _, weight in
            let logit = LogitWeights(utilities(t, flags: f, trip: trip), nests: nests)
            let perWeight = scale / logit.total
            for o in Option.allCases { shares[o] += weight * (logit.weights[o] * perWeight) }
        }
        return shares
    }

    /// Each programme's expected log-sum gain a trip for households k ..< k + 8
    /// of `c`: the gain from its other side, weighted over the categories.
    @inline(__always)
    func membershipGains(_ c: HouseholdLanes, _ k: Int, flags f: LaneInts) -> (prime: Lanes, plus: Lanes) {
        var prime = Lanes(), plus = Lanes()
        let t = householdTerms(c, k)
        forEachCategory { trip, _, weight in
            let sums = membershipLogSums(t, flags: f, trip: trip)
            let gain = sums.gains(logNow: sums.logNow)
            prime += weight * gain.prime
            plus += weight * gain.plus
        }
        return (prime, plus)
    }
}

/// A programme's monthly value to eight households, dollars (docs/MODEL.md
/// section 6): the change in expected consumer surplus over a month of trips
/// (McFadden's compensating variation, the log-sum gain times trips a month
/// over the price weight) plus the household's benefit beyond delivery. A
/// member's gain is what leaving would cost it.
@inline(__always)
func membershipValue(gain: Lanes, member: LaneMask, tripRate: Lanes, bPrice: Lanes, benefit: Lanes, weeksPerMonth: Float) -> Lanes {
    let scale = weeksPerMonth * tripRate / bPrice
    return benefit + scale * select(member, -gain, gain)
}

/// The joining and leaving hazards of docs/MODEL.md section 6 for one
/// programme, in single precision, with 1 - exp(-h) by `FastExponential`
/// (absolute error below 1e-7: one decision in ten million household-months
/// at most). The membership step draws against `chance`; the pricing rules'
/// demand pass reads the long-run member share's `slope`.
struct ProgrammeHazards {
    let innovation: Float, imitation: Float, joinPerDollar: Float
    let churn: Float, firstYearChurn: Float, leavePerDollar: Float, fee: Float

    init(_ h: MembershipHazards) {
        innovation = Float(h.innovation)
        imitation = Float(h.imitation)
        // A programme without a fee has no value weight per dollar of it.
        joinPerDollar = h.fee > 0 ? Float(h.valueWeight / h.fee) : 0
        churn = Float(h.churn)
        firstYearChurn = Float(h.firstYearChurn)
        leavePerDollar = h.fee > 0 ? Float(h.churnValueWeight / h.fee) : 0
        fee = Float(h.fee)
    }

    /// The join hazard p + q s + theta max(0, v - F) / F at a monthly value of v dollars.
    @inline(__always)
    func join(value v: Lanes, localShare s: Lanes) -> Lanes {
        innovation + imitation * s + joinPerDollar * maximum(Lanes(), v - fee)
    }

    /// The leave hazard c + phi max(0, F - v) / F, with the churn of the tenure's year.
    @inline(__always)
    func leave(value v: Lanes, churn c: Lanes) -> Lanes {
        c + leavePerDollar * maximum(Lanes(), fee - v)
    }

    /// P(leave) for members, P(join) for the others: 1 - exp(-h) of the
    /// hazard that applies; the churn is the first year's or a later one's by
    /// tenure in months (CIRP's renewal rates differ).
    @inline(__always)
    func chance(member: LaneMask, value v: Lanes, localShare: Lanes, tenure: LaneInts) -> Lanes {
        let churnNow = select(above(splat(Int32(Weeks.monthsPerYear)), tenure), splat(firstYearChurn), splat(churn))
        return 1 - FastExponential.exp(-select(member, leave(value: v, churn: churnNow), join(value: v, localShare: localShare)))
    }

    /// d/dv of the long-run chance of membership, join / (join + leave), at a
    /// monthly value of v dollars (later-year churn).
    @inline(__always)
    func slope(value v: Lanes, localShare s: Lanes) -> Lanes {
        let zero = Lanes()
        let above = below(splat(fee), v)
        let ea = FastExponential.exp(-join(value: v, localShare: s))
        let eb = FastExponential.exp(-leave(value: v, churn: splat(churn)))
        let join = 1 - ea, leave = 1 - eb
        let dJoin = select(above, ea * joinPerDollar, zero)
        let dLeave = select(above, zero, -eb * leavePerDollar)
        let sum = join + leave
        return select(below(zero, sum), (dJoin * leave - join * dLeave) / (sum * sum), zero)
    }
}
