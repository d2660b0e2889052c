import Foundation
import RetailModel
import RetailStats
import XCTest

/// The spatial indexes against a brute-force scan of every facility.
final class SpatialIndexTests: XCTestCase {
    private func randomPoints(_ n: Int, _ s: RandomStream, clustered: Bool = false) -> [Point] {
        (0..<n).map { _ in
            if clustered {
                return Point(x: Float(min(max(2000 + s.normal(sd: 300), 0), 4500)), y: Float(min(max(1200 + s.normal(sd: 200), 0), 2500)))
            }
            return Point(x: Float(s.uniform() * 4500), y: Float(s.uniform() * 2500))
        }
    }

    func testNearestAndWithinMatchBruteForce() throws {
        let s = try RandomStream(key: StreamKey(seed: 11, replicate: 1, purpose: .facilities))
        for (count, clustered, cell) in [(1, false, Float(25)), (7, false, 100), (500, true, 25), (3000, false, 10)] {
            let points = randomPoints(count, s, clustered: clustered)
            let index = FacilityIndex(points: points, widthKm: 4500, heightKm: 2500, cellKm: cell)
            for q in randomPoints(300, s) + randomPoints(100, s, clustered: true) {
                let brute = points.map { $0.distance(to: q) }
                let best = brute.min()!
                let found = try XCTUnwrap(index.nearest(to: q))
                XCTAssertEqual(found.km, best, accuracy: 1e-3)
                XCTAssertEqual(brute[found.id], best, accuracy: 1e-3)
                for r: Float in [16, 40, 300] {
                    var ids: [Int] = []
                    index.forEach(within: r, of: q) { id, _ in ids.append(id) }
                    let expected = points.indices.filter {
                        let dx = points[$0].x - q.x, dy = points[$0].y - q.y
                        return dx * dx + dy * dy <= r * r
                    }
                    XCTAssertEqual(ids.sorted(), expected)
                    XCTAssertEqual(index.any(within: r, of: q), !expected.isEmpty)
                }
            }
        }
        let empty = FacilityIndex(points: [], widthKm: 100, heightKm: 100, cellKm: 10)
        XCTAssertNil(empty.nearest(to: Point(x: 1, y: 1)))
        XCTAssertFalse(empty.any(within: 1000, of: Point(x: 1, y: 1)))
    }

    func testShopperGridFindsExactlyTheShoppersWithinARadius() throws {
        var p = ModelParameters()
        p.population.shoppers = 20_000
        let market = try Market(parameters: p, seed: 5, replicate: 1, threads: 2)
        let sh = market.shoppers
        for centre in market.facilities.stores.prefix(40) + market.geography.towns.prefix(10).map(\.centre) {
            for r: Float in [16, 40] {
                var found: [Int] = []
                market.grid.forEach(within: r, of: centre, in: sh) { found.append($0) }
                let expected = (0..<sh.count).filter {
                    let q = sh.position($0)
                    let dx = q.x - centre.x, dy = q.y - centre.y
                    return dx * dx + dy * dy <= r * r
                }
                XCTAssertEqual(found.sorted(), expected)
                XCTAssertEqual(market.grid.count(within: r, of: centre, in: sh), expected.count)
            }
        }
    }
}
