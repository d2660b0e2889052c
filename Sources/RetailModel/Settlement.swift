import Foundation
import RetailStats

/// Places the population on the map (MODEL.md section 3) and draws each
/// shopper's attributes (section 5). The result is sorted by grid cell.
enum Settlement {
    /// Side of a shopper-grid cell, km: small enough that a hub-radius query
    /// touches few cells, large enough that the cell table stays small.
    static let gridCellKm: Float = 10

    static func populate(parameters p: ModelParameters, geography: Geography, seed: UInt64, replicate: Int,
                         threads: Int) throws -> (Shoppers, ShopperGrid) {
        let n = p.population.shoppers
        let chunks = Parallel.chunkCount(shoppers: n)
        let (cityTable, townTable) = try SettlementLaw.tables(geography)
        let (columns, rows) = ShopperGrid.dimensions(widthKm: geography.widthKm, heightKm: geography.heightKm, cellKm: gridCellKm)

        // Where each shopper lives, in draw order.
        let px = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        let py = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        let seg = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: n)
        let comm = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: n)
        let cell = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        defer { px.deallocate(); py.deallocate(); seg.deallocate(); comm.deallocate(); cell.deallocate() }
        let out = PlacementColumns(x: px, y: py, segment: seg, community: comm, cell: cell)
        let law = SettlementLaw(parameters: p, geography: geography, cityTable: cityTable, townTable: townTable)
        let cellKm = gridCellKm
        let failure = FailureFlag()
        Parallel.forEach(chunks, threads: threads) { c in
            guard let stream = try? RandomStream(key: StreamKey(seed: seed, replicate: replicate, purpose: .placement, chunk: c)) else {
                failure.set()
                return
            }
            for i in Parallel.range(ofChunk: c, shoppers: n) {
                let home = law.home(stream)
                let point = home.point
                out.segment[i] = UInt8(home.segment.rawValue)
                out.community[i] = home.community
                out.x[i] = point.x
                out.y[i] = point.y
                out.cell[i] = Int32(ShopperGrid.cell(x: point.x, y: point.y, cellKm: cellKm, columns: columns, rows: rows))
            }
        }
        if failure.isSet { throw GSLError(status: 8, context: "allocating placement streams") }

        // Counting sort by cell (stable), so each cell's shoppers are contiguous.
        var start = [Int](repeating: 0, count: columns * rows + 1)
        for i in 0..<n { start[Int(cell[i]) + 1] += 1 }
        for c in 0..<(columns * rows) { start[c + 1] += start[c] }
        var fill = start
        let shoppers = Shoppers(count: n)
        for i in 0..<n {
            let c = Int(cell[i])
            let j = fill[c]
            fill[c] += 1
            shoppers.x[j] = px[i]
            shoppers.y[j] = py[i]
            shoppers.segment[j] = seg[i]
            shoppers.community[j] = comm[i]
        }
        let grid = ShopperGrid(widthKm: geography.widthKm, heightKm: geography.heightKm, cellKm: gridCellKm, start: start)

        try drawAttributes(parameters: p, shoppers: shoppers, seed: seed, replicate: replicate, threads: threads)
        return (shoppers, grid)
    }

    /// Draws tastes, trip rates, baskets and initial memberships (MODEL.md section 5).
    static func drawAttributes(parameters p: ModelParameters, shoppers s: Shoppers, seed: UInt64, replicate: Int,
                               threads: Int) throws {
        let sp = p.shoppers
        let h = sp.heterogeneity
        let failure = FailureFlag()
        let none = PerSegment(urban: 0.0, suburban: 0.0, rural: 0.0)
        let primeShare = p.amazon.primeEnabled ? p.amazon.primeInitialShare : none
        let plusShare = p.walmart.plusEnabled ? p.walmart.plusInitialShare : none
        Parallel.forEach(Parallel.chunkCount(shoppers: s.count), threads: threads) { c in
            guard let stream = try? RandomStream(key: StreamKey(seed: seed, replicate: replicate, purpose: .attributes, chunk: c)) else {
                failure.set()
                return
            }
            for i in Parallel.range(ofChunk: c, shoppers: s.count) {
                let segment = Segment(rawValue: Int(s.segment[i]))!
                s.bPrice[i] = Float(stream.logNormal(median: sp.priceSensitivity.median, sigma: h * sp.priceSensitivity.sigma))
                s.bTime[i] = Float(stream.logNormal(median: sp.timeSensitivity.median, sigma: h * sp.timeSensitivity.sigma))
                s.bTravel[i] = Float(stream.logNormal(median: sp.travelSensitivity.median, sigma: h * sp.travelSensitivity.sigma))
                s.online[i] = Float(stream.normal(mean: sp.onlineAffinity[segment], sd: h * sp.onlineAffinitySigma))
                // Gamma with shape k / h^2 and scale theta * h^2: the same mean for any h,
                // the given distribution at h = 1, every shopper alike at h = 0.
                // Capped at 80 a week, where exp(-rate) would leave single precision.
                s.tripRate[i] = min(80, h > 0
                    ? Float(stream.gamma(shape: sp.tripsShape / (h * h), scale: sp.tripsScale * h * h))
                    : Float(sp.tripsShape * sp.tripsScale))
                s.noTripChance[i] = exp(-s.tripRate[i])
                s.basket[i] = Float(stream.logNormal(median: sp.basketDollars.median, sigma: h * sp.basketDollars.sigma))
                var flags: UInt8 = 0
                if stream.uniform() < primeShare[segment] { flags |= ShopperFlags.prime.rawValue }
                if stream.uniform() < plusShare[segment] { flags |= ShopperFlags.plus.rawValue }
                s.flags[i] = flags
            }
        }
        if failure.isSet { throw GSLError(status: 8, context: "allocating attribute streams") }
    }
}

/// Output columns of the placement pass, written by chunk from several threads.
private struct PlacementColumns: @unchecked Sendable {
    let x: UnsafeMutableBufferPointer<Float>
    let y: UnsafeMutableBufferPointer<Float>
    let segment: UnsafeMutableBufferPointer<UInt8>
    let community: UnsafeMutableBufferPointer<UInt16>
    let cell: UnsafeMutableBufferPointer<Int32>
}

/// Set by any worker that failed; read after the parallel loop.
final class FailureFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var failed = false
    func set() { lock.lock(); failed = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return failed }
}

/// Where a person lives (MODEL.md section 3): a city by population, a small
/// town, or a remote homestead. Shoppers are placed by it, and so are stores,
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
