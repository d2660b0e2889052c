import Foundation
import RetailStats

/// A point on the map, km from the south-west corner.
public struct Point: Sendable, Equatable, Codable {
    public var x: Float
    public var y: Float

    public init(x: Float, y: Float) {
        self.x = x
        self.y = y
    }

    /// Straight-line distance, km.
    @inlinable
    public func distance(to other: Point) -> Float {
        let dx = x - other.x, dy = y - other.y
        return (dx * dx + dy * dy).squareRoot()
    }
}

/// A settlement: a city or a small town.
public struct Place: Sendable {
    public var centre: Point
    /// People living there (cities), or the relative Zipf weight (towns).
    public var people: Double
    /// Relative Zipf weight, rank^-exponent: the chance a household of this kind lives here.
    public var weight: Double
    /// Spread of its households around the centre on each axis, km.
    var spreadKm: Double
}

/// The country: the real United States from a regions file (`us`, docs/GEOGRAPHY.md),
/// or the synthetic one (docs/MODEL.md section 3): Zipf cities with centres
/// uniform on the map, and small towns continuing the same rank-size law.
public struct Geography: Sendable {
    public let widthKm: Double
    public let heightKm: Double
    /// Cities by rank, largest first (synthetic only).
    public let cities: [Place]
    /// Small towns by rank, largest first (synthetic only).
    public let towns: [Place]
    /// The real country, when `geography.kind` is "us".
    public let us: USGeography?

    /// Communities for word of mouth: each county (real), or each city and
    /// then all rural households (synthetic).
    var communityCount: Int { us.map { $0.regions.counties.count } ?? cities.count + 1 }

    /// The real country from `regions` (and the published `stores`), or the
    /// synthetic one drawn from `stream`.
    public init(parameters p: ModelParameters, regions: RegionTable?, stores: StoreMap? = nil, stream: RandomStream) throws(MissingRegionTable) {
        if p.geography.kind == .us {
            guard let regions else { throw MissingRegionTable() }
            let us = USGeography(regions: regions, stores: stores, parameters: p.geography)
            self.us = us
            widthKm = us.widthKm
            heightKm = us.heightKm
            cities = []
            towns = []
            return
        }
        us = nil
        let g = p.geography
        widthKm = g.widthKm
        heightKm = g.heightKm
        let urbanPeople = p.population.people * p.population.urbanShare
        let cityWeights = (0..<g.cities).map { pow(Double($0 + 1), -g.zipfExponent) }
        let cityWeightSum = cityWeights.reduce(0, +)
        var cities: [Place] = []
        cities.reserveCapacity(g.cities)
        for w in cityWeights {
            let people = urbanPeople * w / cityWeightSum
            let centre = Point(x: Float(stream.uniform() * g.widthKm), y: Float(stream.uniform() * g.heightKm))
            cities.append(Place(centre: centre, people: people, weight: w, spreadKm: g.citySpreadKm * (people / 1e6).squareRoot()))
        }
        var towns: [Place] = []
        towns.reserveCapacity(g.towns)
        for rank in 0..<g.towns {
            let weight = pow(Double(g.cities + rank + 1), -g.zipfExponent)
            let centre = Point(x: Float(stream.uniform() * g.widthKm), y: Float(stream.uniform() * g.heightKm))
            towns.append(Place(centre: centre, people: weight, weight: weight, spreadKm: g.townSpreadKm))
        }
        self.cities = cities
        self.towns = towns
    }

    /// Clamps a point onto the map.
    @inlinable
    func clamp(_ x: Double, _ y: Double) -> Point {
        Point(x: Float(min(max(x, 0), widthKm)), y: Float(min(max(y, 0), heightKm)))
    }
}
