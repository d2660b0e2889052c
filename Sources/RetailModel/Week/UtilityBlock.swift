import RetailStats

/// The utilities of docs/MODEL.md section 5 for a block of consecutive shoppers,
/// one column per option: the weekly choice and the membership step read
/// them from here. Filling a block is a loop with no calls and no branches
/// (memberships and radii are selects), which the compiler turns into vector
/// instructions; computing a utility from its seven attributes this way costs
/// less than storing it would (docs/PERFORMANCE.md).
struct UtilityBlock {
    /// Shoppers a block holds.
    static let capacity = 256

    /// `values[option * capacity + k]`: V of the block's k-th shopper.
    let values: UnsafeMutablePointer<Float>
    /// Round-trip travel disutility to the nearest Walmart-like store and to another store.
    private let storeTravel: UnsafeMutablePointer<Float>
    private let otherTravel: UnsafeMutablePointer<Float>

    init() {
        values = .allocate(capacity: Option.count * UtilityBlock.capacity)
        storeTravel = .allocate(capacity: UtilityBlock.capacity)
        otherTravel = .allocate(capacity: UtilityBlock.capacity)
    }

    func deallocate() {
        values.deallocate()
        storeTravel.deallocate()
        otherTravel.deallocate()
    }

    /// Column of one option.
    @inline(__always)
    func column(_ o: Option) -> UnsafeMutablePointer<Float> { values + o.rawValue * UtilityBlock.capacity }

    /// Fills the block with the utilities of shoppers `first ..< first + count`,
    /// as members of what they are members of, or (`flipped`) of the opposite:
    /// the membership step's "what if".
    func fill(first: Int, count: Int, shoppers s: Shoppers, context c: ChoiceContext, flipped: Bool = false) {
        precondition(count <= UtilityBlock.capacity)
        let n = s.count
        let bPrice = s.bPrice.baseAddress! + first, bTime = s.bTime.baseAddress! + first
        let bTravel = s.bTravel.baseAddress! + first, online = s.online.baseAddress! + first
        let basket = s.basket.baseAddress! + first, storeKm = s.storeKm.baseAddress! + first
        let decay = s.amazonOrderDecay.baseAddress! + first
        let segment = s.segment.baseAddress! + first, flags = s.flags.baseAddress! + first
        let habit = s.habit.baseAddress! + first
        let (hA, hWS, hWO, hOS, hOO) = (habit, habit + n, habit + 2 * n, habit + 3 * n, habit + 4 * n)
        let vA = column(.amazon), vWS = column(.walmartStore), vWO = column(.walmartOnline)
        let vOS = column(.otherStore), vOO = column(.otherOnline)

        let minimumKm = c.minimumTravelKm
        let other = (max(c.otherStoreKm.urban, minimumKm), max(c.otherStoreKm.suburban, minimumKm),
                     max(c.otherStoreKm.rural, minimumKm))
        if c.powerDecay {
            // Huff's decay needs a logarithm of each distance; a rare setting, so no fast path.
            for k in 0..<count {
                storeTravel[k] = c.powerExponent * FastExponential.log(2 * max(storeKm[k], minimumKm))
                let km = segment[k] == 0 ? other.0 : segment[k] == 1 ? other.1 : other.2
                otherTravel[k] = c.powerExponent * FastExponential.log(2 * km)
            }
        } else {
            // Linear in km: bTravel is utility a km, set from the money cost
            // (generalised cost) or drawn (linear) when the shopper was made.
            for k in 0..<count {
                storeTravel[k] = bTravel[k] * 2 * max(storeKm[k], minimumKm)
                let km = segment[k] == 0 ? other.0 : segment[k] == 1 ? other.1 : other.2
                otherTravel[k] = bTravel[k] * 2 * km
            }
        }

        let hw = c.habitWeight / Shoppers.unit, perso = c.personalization, persoStep = c.personalization / Shoppers.unit
        let flip: UInt8 = flipped ? ShopperFlags.prime.rawValue | ShopperFlags.plus.rawValue : 0
        let primeBit = ShopperFlags.prime.rawValue, plusBit = ShopperFlags.plus.rawValue
        let threshold = c.freeShippingThreshold, fee = c.shippingFee
        let (pA, pW, pO) = (c.amazonPrice, c.walmartPrice, c.otherPrice)
        // One loop an option: each is simple enough for the vectoriser's cost model.
        let hoursOther = c.termOtherOnline
        let (cA, cWS, cWO, cOS, cOO) = c.constants
        let service = c.walmartService
        for k in 0..<count {
            let f = flags[k] ^ flip
            let spend = basket[k]
            let feeDue: Float = (f & primeBit != 0 || spend >= threshold) ? 0 : fee
            let wait = c.amazonWaitTerm(flags: f)
            vA[k] = cA + online[k] + hw * Float(hA[k]) + (perso - persoStep * Float(decay[k]))
                - bPrice[k] * (pA * spend + feeDue) - bTime[k] * wait
        }
        for k in 0..<count {
            vWS[k] = cWS + hw * Float(hWS[k]) + service - bPrice[k] * (pW * basket[k]) - storeTravel[k]
        }
        for k in 0..<count {
            let f = flags[k] ^ flip
            let spend = basket[k]
            let feeDue: Float = (f & plusBit != 0 || spend >= threshold) ? 0 : fee
            let wait = c.walmartOnlineWaitTerm(flags: f)
            vWO[k] = cWO + online[k] + hw * Float(hWO[k]) + service - bPrice[k] * (pW * spend + feeDue) - bTime[k] * wait
        }
        for k in 0..<count {
            vOS[k] = cOS + hw * Float(hOS[k]) - bPrice[k] * (pO * basket[k]) - otherTravel[k]
        }
        for k in 0..<count {
            let spend = basket[k]
            let feeDue: Float = spend >= threshold ? 0 : fee
            vOO[k] = cOO + online[k] + hw * Float(hOO[k]) - bPrice[k] * (pO * spend + feeDue) - bTime[k] * hoursOther
        }
    }
}
