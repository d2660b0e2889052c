import Foundation
import RetailModel

/// One `[[facility]]` of a scenario (docs/MODEL.md section 4): from the start
/// of `week` (or of the week that holds `date`) a facility of `kind` opens at a place, the open one of that kind
/// nearest to it closes, or (`watch`) nothing changes and the place is only
/// reported, so that the arm without the change has the same distance bands.
/// The place is `latitude` and `longitude` in the real country, `xKm` and
/// `yKm` on the synthetic map.
public struct FacilityEntry: Sendable, CustomStringConvertible {
    /// The week, when given by week (0 when by date).
    public var week: Int
    /// The date, days since 1970-01-01, when given by date: its week follows from `run.start`.
    public var date: Int?
    public var action: FacilityChange.Action
    public var kind: FacilityKind
    public var latitude: Double?
    public var longitude: Double?
    public var xKm: Double?
    public var yKm: Double?
    /// A store opened here delivers from its first week (a dark store always does).
    public var delivers = true
    /// Where it was given (`file.toml:12`, `--facility`): what a refusal names.
    public var source: String

    static let fieldNames = ["week", "date", "action", "kind", "latitude", "longitude", "xKm", "yKm", "delivers"]
    /// A place must be this near a region of the real country (its ZCTA's interior point), km.
    static let nearestRegionKm: Float = 50

    public var description: String {
        let place = latitude.map { "\($0),\(longitude ?? 0)" } ?? "\(xKm ?? 0),\(yKm ?? 0)"
        return "\(when): \(action.rawValue) \(kind.rawValue) at \(place)"
    }

    /// `week 13` or `2019-06-03`, as given.
    public var when: String { date.map(WeekCalendar.text(day:)) ?? "week \(week)" }

    /// The week of the run the change takes effect in.
    public func week(in calendar: WeekCalendar) -> Int { date.map(calendar.week(containing:)) ?? week }

    /// Its fields as a scenario writes them back, in `fields`' order.
    var fields: [(String, ScenarioValue)] {
        var out: [(String, ScenarioValue)] = [date.map { ("date", .text(WeekCalendar.text(day: $0))) } ?? ("week", .number(Double(week))), ("action", .text(action.rawValue)), ("kind", .text(kind.rawValue))]
        if let latitude, let longitude { out += [("latitude", .number(latitude)), ("longitude", .number(longitude))] }
        if let xKm, let yKm { out += [("xKm", .number(xKm)), ("yKm", .number(yKm))] }
        if !delivers { out.append(("delivers", .boolean(false))) }
        return out
    }

    /// The change on the model's map.
    func change(in geography: Geography, calendar: WeekCalendar) -> FacilityChange {
        let week = week(in: calendar)
        if let us = geography.us, let latitude, let longitude {
            let point = us.point(latitude: latitude, longitude: longitude)
            let state = us.regions.states[Int(us.regions.state[us.nearestRegion(to: point)])]
            return FacilityChange(week: week, action: action, kind: kind, point: point,
                                  label: Facilities.Label(state: state, latitude: latitude, longitude: longitude), delivers: delivers)
        }
        return FacilityChange(week: week, action: action, kind: kind, point: Point(x: Float(xKm ?? 0), y: Float(yKm ?? 0)), delivers: delivers)
    }
}

extension FacilityEntry: Equatable {
    /// Two entries are the same whatever file gave them.
    public static func == (a: FacilityEntry, b: FacilityEntry) -> Bool {
        (a.week, a.date, a.action, a.kind, a.delivers) == (b.week, b.date, b.action, b.kind, b.delivers)
            && (a.latitude, a.longitude, a.xKm, a.yKm) == (b.latitude, b.longitude, b.xKm, b.yKm)
    }
}

extension Scenario {
    /// Collects the `[[facility]]` entries among `assignments` (`facility.[k].week`, ...).
    static func facilityEntries(_ assignments: [Assignment]) throws(InputError) -> [FacilityEntry] {
        try arrayElements(assignments, array: "facility", fields: FacilityEntry.fieldNames).map { f throws(InputError) -> FacilityEntry in
            let source = FacilityEntry.fieldNames.lazy.compactMap { f[$0]?.source }.first ?? "facility"
            let needs = "each needs week (an integer) or date (YYYY-MM-DD), "
                + "action (open, close or watch), kind (store, darkStore, fulfillmentCenter or sameDaySite) and a place"
            for field in ["action", "kind"] where f[field] == nil {
                throw InputError(source: source, path: "facility", problem: "an entry without \(field); " + needs)
            }
            guard (f["week"] == nil) != (f["date"] == nil) else {
                throw InputError(source: source, path: "facility", problem: (f["week"] == nil ? "an entry without week (or date); " : "an entry with both week and date; ") + needs)
            }
            func number(_ field: String) throws(InputError) -> Double? {
                guard let a = f[field] else { return nil }
                guard case .number(let x) = a.value, x.isFinite else {
                    throw InputError(source: a.source, path: field, value: a.value.description, problem: "allowed: a number")
                }
                return x
            }
            func choice<T: RawRepresentable & CaseIterable>(_ field: String, _ type: T.Type) throws(InputError) -> T where T.RawValue == String {
                let a = f[field]!
                guard case .text(let t) = a.value, let v = T(rawValue: t) else {
                    throw InputError(source: a.source, path: field, value: a.value.description,
                                     problem: "allowed: one of " + T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
                }
                return v
            }
            var w = 0.0, day: Int?
            if let date = f["date"] {
                guard case .text(let t) = date.value, let d = WeekCalendar.day(text: t) else {
                    throw InputError(source: date.source, path: "date", value: date.value.description,
                                     problem: "allowed: a date YYYY-MM-DD from 1900-01-01 to 2199-12-31 (its week follows from run.start)")
                }
                day = d
            } else {
                let week = f["week"]!
                guard case .number(let x) = week.value, x.rounded() == x, x >= 1, x <= 1e9 else {
                    throw InputError(source: week.source, path: "week", value: week.value.description,
                                     problem: "allowed: an integer >= 1 (the run's week, 1 = the first after the burn-in)")
                }
                w = x
            }
            var entry = FacilityEntry(week: Int(w), date: day, action: try choice("action", FacilityChange.Action.self), kind: try choice("kind", FacilityKind.self),
                                      latitude: try number("latitude"), longitude: try number("longitude"), xKm: try number("xKm"), yKm: try number("yKm"),
                                      source: source)
            if let d = f["delivers"] {
                guard case .boolean(let b) = d.value else {
                    throw InputError(source: d.source, path: "delivers", value: d.value.description, problem: "allowed: true or false")
                }
                entry.delivers = b
            }
            let degrees = (entry.latitude != nil, entry.longitude != nil), km = (entry.xKm != nil, entry.yKm != nil)
            guard (degrees == (true, true) && km == (false, false)) || (degrees == (false, false) && km == (true, true)) else {
                throw InputError(source: source, path: "facility", problem: "a place is latitude and longitude (real country) "
                                     + "or xKm and yKm (synthetic country), one pair and both of it")
            }
            return entry
        }
    }

    /// `--facility ACTION:KIND:LATITUDE,LONGITUDE:WEEK` or `...:YYYY-MM-DD` (the real country;
    /// a synthetic map's places go in a scenario file, as xKm and yKm): the
    /// assignments of the `index`th such entry.
    public static func commandLineFacility(_ text: String, index: Int) throws(InputError) -> [Assignment] {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let place = parts.count == 4 ? parts[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init) : []
        guard parts.count == 4, place.count == 2 else {
            throw InputError(source: "--facility", value: text, problem: "expected ACTION:KIND:LATITUDE,LONGITUDE:WEEK, e.g. open:store:36.37,-94.21:13")
        }
        let key = "facility.\(TimelineChange.entryKey(index))", source = "--facility \(index)"
        let when = parts[3].contains("-") && !parts[3].hasPrefix("-") ? "date" : "week"
        return zip(["action", "kind", "latitude", "longitude", when], [parts[0], parts[1], place[0], place[1], parts[3]]).map { field, text in
            Assignment(path: "\(key).\(field)", value: ["action", "kind", "date"].contains(field) ? .text(text) : ScenarioValue(commandLine: text), source: source)
        }
    }

    /// Checks every facility entry: a week of the run, and a place in the
    /// scenario's country (the real one: within 50 km of a region; the
    /// synthetic one: on the map).
    func validateFacilities(regions: RegionTable?) throws(InputError) {
        let us = regions.map { USGeography(regions: $0, parameters: model.geography) }
        for e in facilityChanges {
            guard (1...run.weeks).contains(e.week(in: calendar)) else {
                if let date = e.date {
                    throw InputError(source: e.source, path: "date", value: WeekCalendar.text(day: date),
                                     problem: "a facility change outside the run; allowed: a date from \(calendar.date(ofWeek: 1)) (run.start) "
                                         + "to \(WeekCalendar.text(day: calendar.firstDay(ofWeek: run.weeks + 1) - 1)) (the last day of week \(run.weeks), run.weeks)")
                }
                throw InputError(source: e.source, path: "week", value: "\(e.week)",
                                 problem: "a facility change outside the run; allowed: an integer in [1, \(run.weeks)] (run.weeks)")
            }
            if let us {
                guard let latitude = e.latitude, let longitude = e.longitude else {
                    throw InputError(source: e.source, path: "facility", value: e.description,
                                     problem: "the real country's places are latitude and longitude; allowed: latitude and longitude, in degrees")
                }
                guard (-90...90).contains(latitude) else {
                    throw InputError(source: e.source, path: "latitude", value: "\(latitude)", problem: "allowed: degrees in [-90, 90]")
                }
                guard (-180...180).contains(longitude) else {
                    throw InputError(source: e.source, path: "longitude", value: "\(longitude)", problem: "allowed: degrees in [-180, 180]")
                }
                let p = us.point(latitude: latitude, longitude: longitude), r = us.nearestRegion(to: p)
                let dx = us.x[r] - p.x, dy = us.y[r] - p.y, km = (dx * dx + dy * dy).squareRoot()
                guard km <= FacilityEntry.nearestRegionKm else {
                    throw InputError(source: e.source, path: "facility", value: "\(latitude),\(longitude)",
                                     problem: String(format: "is %.0f km from the nearest region of geography.regionsFile; ", km)
                                        + "allowed: a place within \(Int(FacilityEntry.nearestRegionKm)) km of one (in the 50 states or DC)")
                }
            } else {
                guard let x = e.xKm, let y = e.yKm else {
                    throw InputError(source: e.source, path: "facility", value: e.description,
                                     problem: "the synthetic country's places are xKm and yKm; allowed: xKm and yKm, km on the map")
                }
                guard (0...model.geography.widthKm).contains(x), (0...model.geography.heightKm).contains(y) else {
                    throw InputError(source: e.source, path: "facility", value: "\(x),\(y)",
                                     problem: "off the map; allowed: xKm in [0, \(model.geography.widthKm)], yKm in [0, \(model.geography.heightKm)] (geography.widthKm, heightKm)")
                }
            }
        }
    }
}
