import RetailStats

/// Where a person lives (docs/MODEL.md section 3): a city by population, a small
/// town, or a remote homestead. Households are placed by it, and so are stores,
/// from a stream of their own.
struct SettlementLaw: Sendable {
    let geography: Geography
    let cityTable: DiscreteTable
    let townTable: DiscreteTable?
    let urbanShare: Double
    let remoteShare: Double

    init(parameters p: ModelParameters, geography: Geography, cityTable: DiscreteTable, townTable: DiscreteTable?) {
        self.geography = geography
        self.cityTable = cityTable
        self.townTable = townTable
        urbanShare = p.population.urbanShare
        remoteShare = p.geography.remoteShare
    }

    init(parameters p: ModelParameters, geography: Geography) throws {
        let (cities, towns) = try SettlementLaw.tables(geography)
        self.init(parameters: p, geography: geography, cityTable: cities, townTable: towns)
    }

    static func tables(_ geography: Geography) throws -> (DiscreteTable, DiscreteTable?) {
        (try DiscreteTable(weights: geography.cities.map(\.weight)),
         geography.towns.isEmpty ? nil : try DiscreteTable(weights: geography.towns.map(\.weight)))
    }

    /// One home drawn from the law: its position, segment and community.
    func home(_ stream: RandomStream) -> (point: Point, segment: Segment, community: UInt16) {
        if stream.uniform() < urbanShare {
            let city = cityTable.draw(stream)
            let place = geography.cities[city]
            let dx = stream.normal(sd: place.spreadKm), dy = stream.normal(sd: place.spreadKm)
            let point = geography.clamp(Double(place.centre.x) + dx, Double(place.centre.y) + dy)
            return (point, dx * dx + dy * dy <= place.spreadKm * place.spreadKm ? .urban : .suburban, UInt16(city))
        }
        let point: Point
        if let townTable, stream.uniform() >= remoteShare {
            let place = geography.towns[townTable.draw(stream)]
            point = geography.clamp(Double(place.centre.x) + stream.normal(sd: place.spreadKm),
                                    Double(place.centre.y) + stream.normal(sd: place.spreadKm))
        } else {
            point = geography.clamp(stream.uniform() * geography.widthKm, stream.uniform() * geography.heightKm)
        }
        return (point, .rural, UInt16(geography.cities.count))
    }
}
