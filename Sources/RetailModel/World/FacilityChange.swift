/// The kinds of facility an intervention can open or close (docs/MODEL.md
/// section 4): a Walmart-like store (walk-in trips, delivery once it is a
/// hub), a dark store (delivery only), an Amazon-like fulfilment centre
/// (next-day radius) or same-day site (same-day radius).
public enum FacilityKind: String, Sendable, CaseIterable {
    case store, darkStore, fulfillmentCenter, sameDaySite
}

/// An intervention at a place (issue 24): from the start of `week` a facility
/// of `kind` opens at `point`, or the open one of that kind nearest to it
/// closes; `watch` changes nothing and only marks the place, so that the arm
/// without the change reports the same distance bands (docs/MODEL.md section 4).
public struct FacilityChange: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        case open, close, watch
    }

    public var week: Int
    public var action: Action
    public var kind: FacilityKind
    /// Where, on the model's map (km).
    public var point: Point
    /// State and degrees in the real country (for facilities.csv); nil in the synthetic one.
    public var label: Facilities.Label?
    /// A store opened here delivers from the week it opens (as a hub).
    public var delivers: Bool

    public init(week: Int, action: Action, kind: FacilityKind, point: Point, label: Facilities.Label? = nil, delivers: Bool = true) {
        (self.week, self.action, self.kind, self.point, self.label, self.delivers) = (week, action, kind, point, label, delivers)
    }

    /// The distance bands around a place that the outputs report, km: 0-2,
    /// 2-5, 5-10, 10-20 and 20-50 (about 1, 3, 6, 12 and 31 miles): a store's
    /// trade area (15 minutes' drive, 7.5 to 16 km) falls across the middle ones.
    public static let bandEdgesKm: [Float] = [0, 2, 5, 10, 20, 50]
    public static var bandCount: Int { bandEdgesKm.count - 1 }

    /// The band's name, e.g. "2-5 km".
    public static func bandName(_ b: Int) -> String {
        "\(Int(bandEdgesKm[b]))-\(Int(bandEdgesKm[b + 1])) km"
    }
}
