/// The map cut into square cells, with the (contiguous) range of shoppers in
/// each: finds the shoppers within a radius of a new facility without a scan.
public struct ShopperGrid: Sendable {
    public let cellKm: Float
    public let columns: Int
    public let rows: Int
    /// Shoppers of cell c are `start[c] ..< start[c + 1]`.
    public let start: [Int]

    public init(widthKm: Double, heightKm: Double, cellKm: Float, start: [Int]) {
        self.cellKm = cellKm
        columns = max(1, Int((Float(widthKm) / cellKm).rounded(.up)))
        rows = max(1, Int((Float(heightKm) / cellKm).rounded(.up)))
        precondition(start.count == columns * rows + 1)
        self.start = start
    }

    public static func dimensions(widthKm: Double, heightKm: Double, cellKm: Float) -> (columns: Int, rows: Int) {
        (max(1, Int((Float(widthKm) / cellKm).rounded(.up))), max(1, Int((Float(heightKm) / cellKm).rounded(.up))))
    }

    @inlinable
    public func cell(x: Float, y: Float) -> Int {
        ShopperGrid.cell(x: x, y: y, cellKm: cellKm, columns: columns, rows: rows)
    }

    /// The cell of a point on a grid of these dimensions (points off the map
    /// fall in the nearest edge cell); used before the grid itself exists.
    @inlinable
    public static func cell(x: Float, y: Float, cellKm: Float, columns: Int, rows: Int) -> Int {
        let cx = min(max(Int(x / cellKm), 0), columns - 1)
        let cy = min(max(Int(y / cellKm), 0), rows - 1)
        return cy * columns + cx
    }

    /// Calls `body(shopper)` for every shopper within `radiusKm` of `p`.
    public func forEach(within radiusKm: Float, of p: Point, in shoppers: Shoppers, _ body: (Int) -> Void) {
        let x0 = max(Int((p.x - radiusKm) / cellKm), 0), x1 = min(Int((p.x + radiusKm) / cellKm), columns - 1)
        let y0 = max(Int((p.y - radiusKm) / cellKm), 0), y1 = min(Int((p.y + radiusKm) / cellKm), rows - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        let r2 = radiusKm * radiusKm
        for gy in y0...y1 {
            // A row's cells are contiguous, so are their shoppers.
            let from = start[gy * columns + x0], to = start[gy * columns + x1 + 1]
            for i in from..<to {
                let dx = shoppers.x[i] - p.x, dy = shoppers.y[i] - p.y
                if dx * dx + dy * dy <= r2 { body(i) }
            }
        }
    }
}
