/// The map cut into square cells, with the (contiguous) range of households in
/// each: finds the households within a radius of a new facility without a scan,
/// and holds the coarse part of every household's position (the fine part is the
/// household's offset inside its cell).
public struct HouseholdGrid: Sendable {
    public let cellKm: Float
    public let columns: Int
    public let rows: Int
    /// Households of cell c are `start[c] ..< start[c + 1]`.
    public let start: [Int]

    /// Side of the model's grid cells, km: small enough that a hub-radius query
    /// touches few cells, large enough that the cell table stays small.
    public static let standardCellKm: Float = 10

    /// Cells a map may have: cell numbers must stay exact in single precision,
    /// which the set-up relies on while it sorts households into cells.
    public static let maximumCells = 1 << 24

    public init(widthKm: Double, heightKm: Double, cellKm: Float, start: [Int]) {
        self.cellKm = cellKm
        (columns, rows) = HouseholdGrid.dimensions(widthKm: widthKm, heightKm: heightKm, cellKm: cellKm)
        precondition(start.count == columns * rows + 1)
        self.start = start
    }

    public static func dimensions(widthKm: Double, heightKm: Double, cellKm: Float) -> (columns: Int, rows: Int) {
        (max(1, Int((Float(widthKm) / cellKm).rounded(.up))), max(1, Int((Float(heightKm) / cellKm).rounded(.up))))
    }

    @inlinable
    public func cell(x: Float, y: Float) -> Int {
        HouseholdGrid.cell(x: x, y: y, cellKm: cellKm, columns: columns, rows: rows)
    }

    /// The cell of a point on a grid of these dimensions (points off the map
    /// fall in the nearest edge cell); used before the grid itself exists.
    @inlinable
    public static func cell(x: Float, y: Float, cellKm: Float, columns: Int, rows: Int) -> Int {
        let cx = min(max(Int(x / cellKm), 0), columns - 1)
        let cy = min(max(Int(y / cellKm), 0), rows - 1)
        return cy * columns + cx
    }

    /// The cell holding household `i` (binary search over the cell ranges).
    public func cell(ofShopper i: Int) -> Int {
        var low = 0, high = columns * rows - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if start[mid] <= i { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// South-west corner of cell `c`, km.
    @inline(__always)
    package func corner(ofCell c: Int) -> Point {
        HouseholdGrid.corner(ofCell: c, columns: columns, cellKm: cellKm)
    }

    /// The same for a grid of `columns` columns, before its households are sorted.
    static func corner(ofCell c: Int, columns: Int, cellKm: Float) -> Point {
        Point(x: Float(c % columns) * cellKm, y: Float(c / columns) * cellKm)
    }

    /// A position from its cell and its offsets inside the cell.
    @inline(__always)
    public func position(cell c: Int, offsetX: UInt16, offsetY: UInt16) -> Point {
        let corner = corner(ofCell: c), step = cellKm / 65536
        return Point(x: corner.x + (Float(offsetX) + 0.5) * step, y: corner.y + (Float(offsetY) + 0.5) * step)
    }

    /// The offset of coordinate `km` inside a cell that starts at `cornerKm`:
    /// the nearest of the 65,536 steps (points off the map fall on its edge cells).
    @inline(__always)
    static func offset(_ km: Float, from cornerKm: Float, cellKm: Float) -> UInt16 {
        UInt16(min(max(((km - cornerKm) / cellKm * 65536).rounded(.down), 0), 65535))
    }

    /// Calls `body(cell, range)` for every cell of rows `rows` that holds shoppers.
    func forEachCell(inRows rows: Range<Int>, _ body: (Int, Range<Int>) -> Void) {
        for c in (rows.lowerBound * columns)..<(rows.upperBound * columns) where start[c] < start[c + 1] {
            body(c, start[c]..<start[c + 1])
        }
    }

    /// Calls `body(household)` for every household within `radiusKm` of `p`.
    package func forEach(within radiusKm: Float, of p: Point, in shoppers: Households, _ body: (Int) -> Void) {
        forEach(within: radiusKm, of: p, in: shoppers) { i, _ in body(i) }
    }

    /// The same, with each household's position.
    package func forEach(within radiusKm: Float, of p: Point, in shoppers: Households, _ body: (Int, Point) -> Void) {
        let x0 = max(Int((p.x - radiusKm) / cellKm), 0), x1 = min(Int((p.x + radiusKm) / cellKm), columns - 1)
        let y0 = max(Int((p.y - radiusKm) / cellKm), 0), y1 = min(Int((p.y + radiusKm) / cellKm), rows - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        let r2 = radiusKm * radiusKm
        for gy in y0...y1 {
            for gx in x0...x1 {
                let c = gy * columns + gx
                for i in start[c]..<start[c + 1] {
                    // Decoded as `position` decodes, so that every test of "inside" agrees.
                    let q = position(cell: c, offsetX: shoppers.offsetX[i], offsetY: shoppers.offsetY[i])
                    let dx = q.x - p.x, dy = q.y - p.y
                    if dx * dx + dy * dy <= r2 { body(i, q) }
                }
            }
        }
    }

    /// Households within `radiusKm` of `p`: a cell wholly inside the circle
    /// counts at once, only the cells across its edge are tested household by shopper.
    package func count(within radiusKm: Float, of p: Point, in shoppers: Households) -> Int {
        let x0 = max(Int((p.x - radiusKm) / cellKm), 0), x1 = min(Int((p.x + radiusKm) / cellKm), columns - 1)
        let y0 = max(Int((p.y - radiusKm) / cellKm), 0), y1 = min(Int((p.y + radiusKm) / cellKm), rows - 1)
        guard x0 <= x1, y0 <= y1 else { return 0 }
        let r2 = radiusKm * radiusKm
        var total = 0
        for gy in y0...y1 {
            for gx in x0...x1 {
                let c = gy * columns + gx
                let left = Float(gx) * cellKm, bottom = Float(gy) * cellKm
                // The cell's farthest corner from p; inside the circle (with a
                // margin for rounding) means every household of the cell is.
                let fx = max(abs(p.x - left), abs(p.x - left - cellKm)), fy = max(abs(p.y - bottom), abs(p.y - bottom - cellKm))
                if fx * fx + fy * fy < r2 * 0.999 {
                    total += start[c + 1] - start[c]
                    continue
                }
                for i in start[c]..<start[c + 1] {
                    let q = position(cell: c, offsetX: shoppers.offsetX[i], offsetY: shoppers.offsetY[i])
                    let dx = q.x - p.x, dy = q.y - p.y
                    total += dx * dx + dy * dy <= r2 ? 1 : 0
                }
            }
        }
        return total
    }
}
