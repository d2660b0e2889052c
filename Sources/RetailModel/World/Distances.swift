/// Each shopper's distance to the nearest Walmart-like store and which
/// delivery radii it is inside (docs/MODEL.md section 4), measured cell by cell of
/// the shopper grid: the facilities that could matter to anyone in a cell are
/// found once for the cell, and each of its shoppers is tested against those
/// few only.
enum Distances {
    static func measure(shoppers s: Shoppers, facilities f: Facilities, parameters p: ModelParameters, threads: Int) {
        let grid = s.grid
        // Any point of a cell is within this of the cell's centre.
        let halfDiagonal = grid.cellKm * 0.5 * Float(2).squareRoot()
        let radii: [(ShopperFlags, FacilityIndex, Float)] = [
            (.nextDay, f.fulfillmentIndex, Float(p.amazon.nextDayRadiusKm)),
            (.sameDay, f.sameDayIndex, Float(p.amazon.sameDayRadiusKm)),
            (.hub, f.hubIndex, Float(p.walmart.hubRadiusKm)),
        ]
        Parallel.forEach(grid.rows, threads: threads) { row in
            var candidates: [Point] = []
            grid.forEachCell(inRows: row..<(row + 1)) { c, shoppers in
                let corner = grid.corner(ofCell: c)
                let centre = Point(x: corner.x + grid.cellKm / 2, y: corner.y + grid.cellKm / 2)
                // A store nearest to some point of the cell is within d0 + 2 half-diagonals of its centre.
                candidates.removeAll(keepingCapacity: true)
                if let nearest = f.storeIndex.nearest(to: centre) {
                    f.storeIndex.forEach(within: nearest.km + 2 * halfDiagonal + 0.01, of: centre) { id, _ in
                        candidates.append(f.storeIndex.points[id])
                    }
                }
                for i in shoppers {
                    let here = grid.position(cell: c, offsetX: s.offsetX[i], offsetY: s.offsetY[i])
                    var best = Float.infinity
                    for q in candidates {
                        let dx = q.x - here.x, dy = q.y - here.y
                        best = min(best, dx * dx + dy * dy)
                    }
                    s.storeKm[i] = best.squareRoot()
                }
                for (flag, index, radius) in radii {
                    candidates.removeAll(keepingCapacity: true)
                    index.forEach(within: radius + halfDiagonal, of: centre) { id, _ in candidates.append(index.points[id]) }
                    let r2 = radius * radius
                    for i in shoppers {
                        let here = grid.position(cell: c, offsetX: s.offsetX[i], offsetY: s.offsetY[i])
                        var inside = false
                        for q in candidates {
                            let dx = q.x - here.x, dy = q.y - here.y
                            inside = inside || dx * dx + dy * dy <= r2
                        }
                        s.set(flag, i, inside)
                    }
                }
            }
        }
    }
}
