/// Store delivery's slots (docs/MODEL.md section 4): each delivering store
/// fills up to `walmart.storeDelivery.slotsPerStoreWeek` orders a week (a dark
/// store `darkStoreSlotMultiple` times as many). Orders beyond the slots wait
/// for later ones: a shadow wait, hours on top of the hub wait, moves each
/// week by the excess of the week's store-delivered orders over the slots
/// (`slotWaitStepHours` an excess of 100 %), and back down when slots go
/// unused, so that in a store whose slots bind the wait is the one at which
/// its orders fit them. A household whose store is slow takes the menu's
/// other way (shipping) or another option: demand beyond capacity goes to its
/// next choice. The orders are integer tallies, so the waits are the same
/// for any thread count.
///
/// Stores are pooled into zones of at least `zoneHouseholds` simulated
/// households, neighbours along a Z-order curve of their positions: with a few
/// simulated households a store, one household's orders would swing its
/// store's wait (and, the wait being convex in the excess, raise waits on
/// average). With enough households every store is a zone of its own.
///
/// Pickup's slots (0.20.0) work the same way on each walk-in store's pickup
/// orders (`walmart.pickup.slotsPerStoreWeek`), a household's nearest walk-in
/// store taking them (`pickupStore`), with store delivery's pace and zones;
/// the extra hours add to the pickup wait.
final class DeliverySlots: @unchecked Sendable {
    /// Which orders the slots are for.
    enum Service { case delivery, pickup }
    let service: Service
    /// Extra hours by store id, what each household's `hubStore` gathers:
    /// one entry for every UInt16, so `Households.noHub` reads 0.
    let extraHours: UnsafeMutablePointer<Float>
    static let entries = Int(UInt16.max) + 1
    /// Each zone's store ids, in Z-order.
    private(set) var zones: [[Int]] = []
    /// The zone of each store id (-1: not delivering).
    private(set) var zoneOfStore: [Int] = []
    /// Simulated households each store serves, at the last zoning.
    private(set) var households: [Int] = []
    /// The last week's store-delivered orders by store id, simulated households' orders.
    private(set) var orders: [Int] = []
    /// Whether the network or the serving stores changed since the last zoning:
    /// zones are made again when next needed (where slots do not bind, never).
    var stale = true
    /// Largest extra wait, hours: a week; past shipping's wait no order comes from a store anyway.
    static let longestExtraHours: Float = 168

    init(_ service: Service) {
        self.service = service
        extraHours = .allocate(capacity: DeliverySlots.entries)
        extraHours.initialize(repeating: 0, count: DeliverySlots.entries)
    }

    deinit { extraHours.deallocate() }

    /// Whether the slots bind at all: a positive number of them a store
    /// (pickup's only where pickup is offered).
    func bind(_ p: ModelParameters) -> Bool {
        switch service {
        case .delivery: p.walmart.storeDelivery.slotsPerStoreWeek > 0
        case .pickup: p.walmart.pickup.offered && p.walmart.pickup.slotsPerStoreWeek > 0
        }
    }

    /// Slots a week of store `id`, orders of the households the simulated
    /// ones stand for (a dark store delivers more and takes no pickups).
    func slots(of id: Int, facilities f: Facilities, parameters p: ModelParameters) -> Double {
        switch service {
        case .delivery:
            let d = p.walmart.storeDelivery
            return f.walkIn[id] ? d.slotsPerStoreWeek : d.slotsPerStoreWeek * d.darkStoreSlotMultiple
        case .pickup: return f.walkIn[id] ? p.walmart.pickup.slotsPerStoreWeek : 0
        }
    }

    /// The store that takes each household's orders of this service.
    private func servingStore(_ s: Households) -> UnsafeMutableBufferPointer<UInt16> {
        service == .delivery ? s.hubStore : s.pickupStore
    }

    /// Pools the delivering stores into zones again if the network or the
    /// households' serving stores changed since the last time. A new zone
    /// starts at the mean extra wait of its stores, weighted by the households they serve.
    func zone(shoppers s: Households, facilities f: Facilities, parameters p: ModelParameters) {
        guard stale else { return }
        stale = false
        var served = [Int](repeating: 0, count: f.stores.count)
        for id in servingStore(s) where Int(id) < served.count { served[Int(id)] += 1 }
        households = served
        if orders.count < f.stores.count { orders += [Int](repeating: 0, count: f.stores.count - orders.count) }
        let hubs = f.stores.indices.filter {
            (service == .delivery ? f.isHub[$0] : f.walkIn[$0]) && f.isOpen[$0] && $0 < Int(Households.noHub)
        }
        // Z-order of the stores' positions on a 1 km lattice: neighbours on the map stay near in the order.
        func key(_ id: Int) -> UInt64 {
            let x = UInt64(max(0, f.stores[id].x)), y = UInt64(max(0, f.stores[id].y))
            var k: UInt64 = 0
            for bit in 0..<20 { k |= ((x >> bit) & 1) << (2 * bit) | ((y >> bit) & 1) << (2 * bit + 1) }
            return k
        }
        let ordered = hubs.map { ($0, key($0)) }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.map(\.0)
        let least = max(1, p.walmart.storeDelivery.zoneHouseholds)
        var made: [[Int]] = [], current: [Int] = [], count = 0
        for id in ordered {
            current.append(id)
            count += served[id]
            if count >= least {
                made.append(current)
                (current, count) = ([], 0)
            }
        }
        // The last stores short of a zone join the one before.
        if !current.isEmpty { if made.isEmpty { made.append(current) } else { made[made.count - 1] += current } }
        zones = made
        zoneOfStore = [Int](repeating: -1, count: f.stores.count)
        for (z, members) in made.enumerated() {
            let weight = members.reduce(0) { $0 + served[$1] }
            let sum = members.reduce(Float(0)) { $0 + extraHours[$1] * Float(weight > 0 ? served[$1] : 1) }
            let start = sum / Float(weight > 0 ? weight : members.count)
            for id in members {
                zoneOfStore[id] = z
                extraHours[id] = start
            }
        }
        // Stores that stopped delivering keep no wait.
        for id in f.stores.indices where id < Int(Households.noHub) && zoneOfStore[id] < 0 { extraHours[id] = 0 }
    }

    /// A week's orders by store id (simulated) move each zone's wait by its
    /// excess over the zone's slots; `scale` households a simulated one.
    func update(orders weekOrders: [Int], facilities f: Facilities, parameters p: ModelParameters, scale: Double) {
        orders = weekOrders
        let step = p.walmart.storeDelivery.slotWaitStepHours
        for members in zones {
            let demand = Double(members.reduce(0) { $0 + (($1 < weekOrders.count) ? weekOrders[$1] : 0) }) * scale
            let slots = members.reduce(0.0) { $0 + self.slots(of: $1, facilities: f, parameters: p) }
            guard slots > 0 else { continue }
            let moved = Float(Double(extraHours[members[0]]) + step * (demand / slots - 1))
            let wait = min(max(moved, 0), DeliverySlots.longestExtraHours)
            for id in members { extraHours[id] = wait }
        }
    }

    /// Share of households a store serves within `windowHours` at a hub wait
    /// of `hubHours` and the stores' extra waits now: reach as service
    /// (docs/GEOGRAPHY.md section 6). A household outside every radius is not served.
    func servedShare(shoppers s: Households, hubHours: Double, windowHours: Double) -> Double {
        var served = 0
        let hub = HouseholdFlags.hub.rawValue
        for i in 0..<s.count where s.flags[i] & hub != 0 {
            if hubHours + Double(extraHours[Int(s.hubStore[i])]) <= windowHours { served += 1 }
        }
        return Double(served) / Double(max(1, s.count))
    }
}

/// One store's slots of a service and their use at the end of the last week,
/// at the scale of the households the simulated ones stand for.
public struct StoreSlots: Sendable, Equatable {
    /// Orders it can fill a week (0: unlimited).
    public let slotsPerWeek: Double
    /// Households it serves (store delivery: nearest delivering store whose
    /// radius holds them; pickup: nearest walk-in store).
    public let households: Double
    /// Orders it filled last week.
    public let orders: Double
    /// Hours its orders wait beyond the hub (or pickup) wait, and the zone it shares slots with.
    public let extraWaitHours: Double
    public let zone: Int
}

extension Market {
    /// Each store's delivery slots by store id; nil for a store that does not deliver.
    public var storeSlots: [StoreSlots?] { use(of: slots) }

    /// Each store's pickup slots by store id; nil for a store without walk-in trips.
    public var pickupSlots: [StoreSlots?] { use(of: pickup) }

    private func use(of queue: DeliverySlots) -> [StoreSlots?] {
        queue.zone(shoppers: shoppers, facilities: facilities, parameters: parameters)
        let scale = parameters.agentScale, bind = queue.bind(parameters)
        return facilities.stores.indices.map { id in
            guard id < queue.zoneOfStore.count, queue.zoneOfStore[id] >= 0 else { return nil }
            return StoreSlots(slotsPerWeek: bind ? queue.slots(of: id, facilities: facilities, parameters: parameters) : 0,
                              households: Double(queue.households[id]) * scale,
                              orders: Double(id < queue.orders.count ? queue.orders[id] : 0) * scale,
                              extraWaitHours: Double(queue.extraHours[id]), zone: queue.zoneOfStore[id])
        }
    }

    /// Hours household `i`'s store-delivered orders wait beyond the hub wait now.
    package func extraWaitHours(household i: Int) -> Double { Double(slots.extraHours[Int(shoppers.hubStore[i])]) }

    /// Hours household `i`'s pickup orders wait beyond the pickup wait now.
    package func pickupExtraWaitHours(household i: Int) -> Double { Double(pickup.extraHours[Int(shoppers.pickupStore[i])]) }

    /// Share of households a store serves within the delivery window
    /// (`walmart.network.deliveryWindowHours`) now: reach as service.
    public var hubServiceShare: Double {
        slots.servedShare(shoppers: shoppers, hubHours: state.hubHours, windowHours: parameters.walmart.network.deliveryWindowHours)
    }
}

extension DeliverySlots {
    /// A queue's state: each store's extra hours, zones, households and last orders.
    struct Memory: Codable {
        var extraHours: [Float]
        var zones: [[Int]]
        var zoneOfStore: [Int]
        var households: [Int]
        var orders: [Int]
        var stale: Bool
    }

    var memory: Memory {
        Memory(extraHours: Array(UnsafeBufferPointer(start: extraHours, count: DeliverySlots.entries)), zones: zones,
               zoneOfStore: zoneOfStore, households: households, orders: orders, stale: stale)
    }

    func restore(_ m: Memory) {
        precondition(m.extraHours.count == DeliverySlots.entries)
        m.extraHours.withUnsafeBufferPointer { extraHours.update(from: $0.baseAddress!, count: DeliverySlots.entries) }
        (zones, zoneOfStore, households, orders, stale) = (m.zones, m.zoneOfStore, m.households, m.orders, m.stale)
    }
}
