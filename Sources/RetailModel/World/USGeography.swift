import Foundation
import RetailStats

/// The real country (docs/GEOGRAPHY.md): the regions file's ZCTAs projected
/// onto one plane in km, each with its density class and the disc its
/// households live in.
///
/// Projection: Albers equal-area conic on the sphere (R = 6,371 km), with the
/// USGS parameters for the contiguous states (parallels 29.5 and 45.5 N,
/// origin 23 N 96 W), Alaska (55 and 65 N, origin 50 N 154 W) and Hawaii (8
/// and 18 N, origin 3 N 157 W). Straight-line distances on it are within
/// about 1.3 % of great-circle ones in the contiguous states. Alaska and
/// Hawaii are laid below the contiguous states 1,500 km apart, farther than
/// any radius or nearest-store distance the model uses between them.
public struct USGeography: Sendable {
    public let regions: RegionTable
    /// Walmart's published stores by state, when `walmart.network.siting` is "published".
    public let stores: StoreMap?
    /// Projected interior point of each region, km on the map.
    public let x: [Float]
    public let y: [Float]
    /// Radius of the disc with the region's land area, km.
    public let radiusKm: [Float]
    /// Density class of each region (households per square mile; Kolko 2015).
    public let segment: [Segment]
    /// State of each county (`regions.county` indexes it).
    let stateOfCounty: [UInt8]
    public let widthKm: Double
    public let heightKm: Double

    /// Gap between the map's zones, km.
    static let zoneGapKm = 1500.0
    /// Margin around each zone's regions, km (covers their discs).
    static let marginKm = 150.0

    /// One Albers equal-area conic.
    struct Albers {
        let n: Double, c: Double, rho0: Double, lambda0: Double
        static let earthKm = 6371.0088

        init(parallel1: Double, parallel2: Double, originLatitude: Double, originLongitude: Double) {
            let r = Double.pi / 180
            let s1 = sin(parallel1 * r), s2 = sin(parallel2 * r)
            n = (s1 + s2) / 2
            c = cos(parallel1 * r) * cos(parallel1 * r) + 2 * n * s1
            rho0 = Albers.earthKm * (c - 2 * n * sin(originLatitude * r)).squareRoot() / n
            lambda0 = originLongitude * r
        }

        func project(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
            let r = Double.pi / 180
            let rho = Albers.earthKm * max(0, c - 2 * n * sin(latitude * r)).squareRoot() / n
            let theta = n * (longitude * r - lambda0)
            return (rho * sin(theta), rho0 - rho * cos(theta))
        }
    }

    static let contiguous = Albers(parallel1: 29.5, parallel2: 45.5, originLatitude: 23, originLongitude: -96)
    static let alaska = Albers(parallel1: 55, parallel2: 65, originLatitude: 50, originLongitude: -154)
    static let hawaii = Albers(parallel1: 8, parallel2: 18, originLatitude: 3, originLongitude: -157)

    /// Zone 1 is Alaska, 2 Hawaii, 0 everything else.
    static func zone(ofState code: String) -> Int { code == "AK" ? 1 : code == "HI" ? 2 : 0 }

    public init(regions: RegionTable, stores: StoreMap? = nil, parameters g: GeographyParameters) {
        self.regions = regions
        self.stores = stores
        let n = regions.count
        let zoneOfState = regions.states.map(USGeography.zone(ofState:))
        let projections = [USGeography.contiguous, USGeography.alaska, USGeography.hawaii]
        var raw = [(x: Double, y: Double)](repeating: (0, 0), count: n)
        var low = [(x: Double, y: Double)](repeating: (.infinity, .infinity), count: 3)
        var high = [(x: Double, y: Double)](repeating: (-.infinity, -.infinity), count: 3)
        for i in 0..<n {
            let z = zoneOfState[Int(regions.state[i])]
            let p = projections[z].project(latitude: regions.latitude[i], longitude: regions.longitude[i])
            raw[i] = p
            low[z] = (min(low[z].x, p.x), min(low[z].y, p.y))
            high[z] = (max(high[z].x, p.x), max(high[z].y, p.y))
        }
        // Alaska at the bottom left, Hawaii to its right, the rest above both.
        let m = USGeography.marginKm, gap = USGeography.zoneGapKm
        func size(_ z: Int) -> (w: Double, h: Double) {
            low[z].x.isFinite ? (high[z].x - low[z].x + 2 * m, high[z].y - low[z].y + 2 * m) : (0, 0)
        }
        let alaskaSize = size(1), hawaiiSize = size(2), mainSize = size(0)
        let bottomHeight = max(alaskaSize.h, hawaiiSize.h)
        var origin = [(x: Double, y: Double)](repeating: (0, 0), count: 3)
        origin[1] = (0, 0)
        origin[2] = (alaskaSize.w > 0 ? alaskaSize.w + gap : 0, 0)
        origin[0] = (0, bottomHeight > 0 ? bottomHeight + gap : 0)
        var xs = [Float](repeating: 0, count: n), ys = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let z = zoneOfState[Int(regions.state[i])]
            xs[i] = Float(raw[i].x - low[z].x + m + origin[z].x)
            ys[i] = Float(raw[i].y - low[z].y + m + origin[z].y)
        }
        x = xs
        y = ys
        placement = (0..<3).map { z in (low[z].x.isFinite ? m + origin[z].x - low[z].x : 0, low[z].y.isFinite ? m + origin[z].y - low[z].y : 0) }
        widthKm = max(mainSize.w, origin[2].x + hawaiiSize.w, 1)
        heightKm = max(origin[0].y + mainSize.h, 1)
        let sqMiToKm2 = 2.589988110336
        radiusKm = regions.landSqMi.map { Float(($0 * sqMiToKm2 / Double.pi).squareRoot()) }
        segment = (0..<n).map { i in
            USGeography.segment(householdsPerSqMi: regions.households[i] / regions.landSqMi[i], parameters: g)
        }
        var stateOfCounty = [UInt8](repeating: 0, count: regions.counties.count)
        for i in stride(from: n - 1, through: 0, by: -1) { stateOfCounty[Int(regions.county[i])] = regions.state[i] }
        self.stateOfCounty = stateOfCounty
    }

    /// Urban above `geography.urbanHouseholdsPerSqMi`, rural below
    /// `geography.ruralHouseholdsPerSqMi`, suburban between.
    public static func segment(householdsPerSqMi d: Double, parameters g: GeographyParameters) -> Segment {
        d >= g.urbanHouseholdsPerSqMi ? .urban : d < g.ruralHouseholdsPerSqMi ? .rural : .suburban
    }

    /// A county: its state, households, households-weighted centre (on the
    /// map and in degrees) and the density class most of its households live in.
    public struct County: Sendable {
        public let state: UInt8
        public let households: Double
        public let point: Point
        public let latitude: Double
        public let longitude: Double
        public let segment: Segment
    }

    /// Every county of the regions file (a county without households is
    /// centred on its regions alike), for siting and for maps.
    public var counties: [County] {
        let r = regions
        var h = [Double](repeating: 0, count: r.counties.count)
        var weight = h, sx = h, sy = h, slat = h, slon = h
        var byClass = [[Double]](repeating: [0, 0, 0], count: r.counties.count)
        for i in 0..<r.count {
            let c = Int(r.county[i]), w = max(r.households[i], 1e-9)
            h[c] += r.households[i]
            weight[c] += w
            sx[c] += w * Double(x[i])
            sy[c] += w * Double(y[i])
            slat[c] += w * r.latitude[i]
            slon[c] += w * r.longitude[i]
            byClass[c][segment[i].rawValue] += r.households[i]
        }
        return r.counties.indices.map { c in
            County(state: stateOfCounty[c], households: h[c],
                   point: Point(x: Float(sx[c] / weight[c]), y: Float(sy[c] / weight[c])),
                   latitude: slat[c] / weight[c], longitude: slon[c] / weight[c],
                   segment: Segment(rawValue: byClass[c].indices.max { byClass[c][$0] < byClass[c][$1] }!)!)
        }
    }

    /// The projected position of region `i`.
    public func point(_ i: Int) -> Point { Point(x: x[i], y: y[i]) }

    /// Each zone's shift from its projection to the map, km (zones as `zone(ofState:)`).
    private let placement: [(x: Double, y: Double)]

    /// Where a place given in degrees is on the map, by the projection of its
    /// zone: Alaska north of 51 degrees and west of -129 (or east of 170),
    /// Hawaii south of 23 degrees and west of -150, the rest the contiguous one.
    public func point(latitude: Double, longitude: Double) -> Point {
        let z = latitude >= 51 && (longitude <= -129 || longitude >= 170) ? 1 : latitude < 23 && longitude <= -150 ? 2 : 0
        let p = [USGeography.contiguous, USGeography.alaska, USGeography.hawaii][z].project(latitude: latitude, longitude: longitude)
        return Point(x: Float(p.x + placement[z].x), y: Float(p.y + placement[z].y))
    }

    /// The region whose interior point is nearest to `p` on the map.
    public func nearestRegion(to p: Point) -> Int {
        var best = 0, bestKm2 = Float.infinity
        for i in 0..<regions.count {
            let dx = x[i] - p.x, dy = y[i] - p.y
            if dx * dx + dy * dy < bestKm2 { (best, bestKm2) = (i, dx * dx + dy * dy) }
        }
        return best
    }
}
