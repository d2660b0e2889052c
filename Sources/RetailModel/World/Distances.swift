/// Each household's distance to the nearest Walmart-like store and which
/// delivery radii it is inside (docs/MODEL.md section 4), measured cell by cell of
/// the household grid: the facilities that could matter to anyone in a cell are
/// found once for the cell, and each of its households is tested against those
/// few only.
enum Distances {
    static func measure(shoppers s: Households, facilities f: Facilities, parameters p: ModelParameters, threads: Int) {
        let grid = s.grid
        // Any point of a cell is within this of the cell's centre.
        let halfDiagonal = grid.cellKm * 0.5 * Float(2).squareRoot()
        let storeScale = Float(p.walmart.storeDistanceMultiplier)
        // Each network's index, the radius of each of its facilities, and the largest.
        let nextDay = [Float](repeating: Float(p.amazon.nextDayRadiusKm), count: f.fulfillmentIndex.count)
        let sameDay = [Float](repeating: Float(p.amazon.sameDayRadiusKm), count: f.sameDayIndex.count)
        let radii: [(HouseholdFlags, FacilityIndex, [Float], Float)] = [
            (.nextDay, f.fulfillmentIndex, nextDay, Float(p.amazon.nextDayRadiusKm)),
            (.sameDay, f.sameDayIndex, sameDay, Float(p.amazon.sameDayRadiusKm)),
        ]
        let largestHub = f.hubIndexRadiusKm.max() ?? 0
        Parallel.forEach(grid.rows, threads: threads) { row in
            var candidates: [Point] = []
            var candidateRadii: [Float] = []
            grid.forEachCell(inRows: row..<(row + 1)) { c, shoppers in
                let corner = grid.corner(ofCell: c)
                let centre = Point(x: corner.x + grid.cellKm / 2, y: corner.y + grid.cellKm / 2)
                // A store nearest to some point of the cell is within d0 + 2 half-diagonals of its centre.
                candidates.removeAll(keepingCapacity: true)
                var shops: [Int] = []
                if let nearest = f.storeIndex.nearest(to: centre) {
                    f.storeIndex.forEach(within: nearest.km + 2 * halfDiagonal + 0.01, of: centre) { id, _ in
                        candidates.append(f.storeIndex.points[id])
                        shops.append(f.storeIndexStores[id])
                    }
                }
                for i in shoppers {
                    let here = grid.position(cell: c, offsetX: s.offsetX[i], offsetY: s.offsetY[i])
                    var best = Float.infinity, shop = -1
                    for (q, id) in zip(candidates, shops) {
                        let dx = q.x - here.x, dy = q.y - here.y, d2 = dx * dx + dy * dy
                        if d2 < best || (d2 == best && id < shop) { (best, shop) = (d2, id) }
                    }
                    s.storeKm[i] = best.squareRoot() * storeScale
                    // A household picks up at its own store, if that store takes pickup orders.
                    s.pickupStore[i] = shop >= 0 && f.offersPickup[shop] ? Distances.hubStore(shop) : Households.noHub
                }
                for (flag, index, radius, largest) in radii {
                    candidates.removeAll(keepingCapacity: true)
                    candidateRadii.removeAll(keepingCapacity: true)
                    // A facility whose circle holds the whole cell puts every household inside.
                    var wholeCell = false
                    index.forEach(within: largest + halfDiagonal, of: centre) { id, km in
                        guard km <= radius[id] + halfDiagonal else { return }
                        wholeCell = wholeCell || km + halfDiagonal < radius[id] * 0.999
                        candidates.append(index.points[id])
                        candidateRadii.append(radius[id])
                    }
                    if wholeCell || candidates.isEmpty {
                        for i in shoppers { s.set(flag, i, wholeCell) }
                        continue
                    }
                    for i in shoppers {
                        let here = grid.position(cell: c, offsetX: s.offsetX[i], offsetY: s.offsetY[i])
                        var inside = false
                        for (q, r) in zip(candidates, candidateRadii) {
                            let dx = q.x - here.x, dy = q.y - here.y
                            inside = inside || dx * dx + dy * dy <= r * r
                        }
                        s.set(flag, i, inside)
                    }
                }
                // Hubs: each household's nearest delivering store whose radius holds it.
                var stores: [Int] = [], centreKm: [Float] = []
                candidates.removeAll(keepingCapacity: true)
                candidateRadii.removeAll(keepingCapacity: true)
                // A store whose circle holds the whole cell is within `bound` of every
                // household in it; a store farther than that from all of them is never the nearest.
                var bound = Float.infinity
                f.hubIndex.forEach(within: largestHub + halfDiagonal, of: centre) { id, km in
                    let r = f.hubIndexRadiusKm[id]
                    guard km <= r + halfDiagonal else { return }
                    if km + halfDiagonal < r * 0.999 { bound = min(bound, km + halfDiagonal) }
                    candidates.append(f.hubIndex.points[id])
                    candidateRadii.append(f.hubIndexRadiusKm[id])
                    stores.append(f.hubIndexStores[id])
                    centreKm.append(km)
                }
                if bound < .infinity {
                    var kept = 0
                    for n in candidates.indices where centreKm[n] - halfDiagonal <= bound + 0.01 {
                        (candidates[kept], candidateRadii[kept], stores[kept]) = (candidates[n], candidateRadii[n], stores[n])
                        kept += 1
                    }
                    candidates.removeLast(candidates.count - kept)
                    candidateRadii.removeLast(candidateRadii.count - kept)
                    stores.removeLast(stores.count - kept)
                }
                for i in shoppers {
                    let here = grid.position(cell: c, offsetX: s.offsetX[i], offsetY: s.offsetY[i])
                    var best = Float.infinity, store = -1
                    for n in candidates.indices {
                        let dx = candidates[n].x - here.x, dy = candidates[n].y - here.y
                        let d2 = dx * dx + dy * dy, r = candidateRadii[n]
                        if d2 <= r * r && (d2 < best || (d2 == best && stores[n] < store)) { (best, store) = (d2, stores[n]) }
                    }
                    s.set(.hub, i, store >= 0)
                    s.hubStore[i] = Distances.hubStore(store)
                }
            }
        }
    }

    /// A store id as `Households.hubStore` keeps it: `noHub` for none, and
    /// for ids past the column's range (such a store's orders take no slots).
    static func hubStore(_ id: Int) -> UInt16 {
        id >= 0 && id < Int(Households.noHub) ? UInt16(id) : Households.noHub
    }

    /// Stores `ids` have just begun to deliver: each household inside one's
    /// radius is now inside a hub radius and, when the store is nearer than
    /// its serving hub, served by it (as `measure` would assign, without measuring everyone again).
    static func serve(_ ids: [Int], shoppers s: Households, facilities f: Facilities) {
        let grid = s.grid
        for id in ids {
            let at = f.stores[id]
            grid.forEach(within: f.hubRadiusKm[id], of: at, in: s) { i, here in
                s.flags[i] |= HouseholdFlags.hub.rawValue
                let current = s.hubStore[i]
                if current != Households.noHub {
                    @inline(__always) func squared(_ q: Point) -> Float { (q.x - here.x) * (q.x - here.x) + (q.y - here.y) * (q.y - here.y) }
                    let d2 = squared(at), old = squared(f.stores[Int(current)])
                    guard d2 < old || (d2 == old && id < Int(current)) else { return }
                }
                s.hubStore[i] = Distances.hubStore(id)
            }
        }
    }
}

extension Distances {
    /// For each prefix length N, the households inside the radius of any of
    /// the facilities with id below N (ids in order of rank), in one pass:
    /// each household's lowest covering id decides every N at once.
    static func countInside(shoppers s: Households, index: FacilityIndex, radiusKm: [Float], prefixes: [Int], threads: Int) -> [Int] {
        let grid = s.grid
        let halfDiagonal = grid.cellKm * 0.5 * Float(2).squareRoot()
        let largest = radiusKm.max() ?? 0
        let smallestPrefix = prefixes.min() ?? 0
        let perRow = Parallel.map(grid.rows, threads: threads) { row -> [Int] in
            var totals = [Int](repeating: 0, count: prefixes.count)
            var candidates: [(Point, Float, Int)] = []
            grid.forEachCell(inRows: row..<(row + 1)) { c, shoppers in
                let corner = grid.corner(ofCell: c)
                let centre = Point(x: corner.x + grid.cellKm / 2, y: corner.y + grid.cellKm / 2)
                candidates.removeAll(keepingCapacity: true)
                // A facility inside every prefix whose circle holds the whole cell decides it.
                var wholeCell = false
                index.forEach(within: largest + halfDiagonal, of: centre) { id, km in
                    guard km <= radiusKm[id] + halfDiagonal else { return }
                    wholeCell = wholeCell || (id < smallestPrefix && km + halfDiagonal < radiusKm[id] * 0.999)
                    candidates.append((index.points[id], radiusKm[id], id))
                }
                if wholeCell {
                    for k in prefixes.indices { totals[k] += shoppers.count }
                    return
                }
                for i in shoppers {
                    let here = grid.position(cell: c, offsetX: s.offsetX[i], offsetY: s.offsetY[i])
                    var first = Int.max
                    for (q, r, id) in candidates {
                        let dx = q.x - here.x, dy = q.y - here.y
                        if dx * dx + dy * dy <= r * r { first = min(first, id) }
                    }
                    for (k, n) in prefixes.enumerated() where first < n { totals[k] += 1 }
                }
            }
            return totals
        }
        return prefixes.indices.map { k in perRow.reduce(0) { $0 + $1[k] } }
    }
}
