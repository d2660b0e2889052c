/// A uniform grid over facility positions (stores, hubs, sites) for nearest and
/// within-radius look-ups without scanning every facility.
public struct FacilityIndex: Sendable, Codable {
    public let cellKm: Float
    let columns: Int
    let rows: Int
    /// Facility ids bucketed by cell; cell c holds `ids[start[c] ..< start[c + 1]]`.
    let start: [Int32]
    let ids: [Int32]
    /// Positions by facility id.
    public let points: [Point]

    /// Indexes `points` (ids are their positions in the array) on a grid of
    /// `cellKm` cells covering a map of `widthKm` x `heightKm`.
    public init(points: [Point], widthKm: Double, heightKm: Double, cellKm: Float) {
        self.cellKm = cellKm
        self.points = points
        let columns = max(1, Int((Float(widthKm) / cellKm).rounded(.up)))
        let rows = max(1, Int((Float(heightKm) / cellKm).rounded(.up)))
        self.columns = columns
        self.rows = rows
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        let cells = points.map { Self.cell(of: $0, cellKm: cellKm, columns: columns, rows: rows) }
        for c in cells { counts[c + 1] += 1 }
        for c in 0..<(columns * rows) { counts[c + 1] += counts[c] }
        var fill = counts
        var ids = [Int32](repeating: 0, count: points.count)
        for (id, c) in cells.enumerated() {
            ids[Int(fill[c])] = Int32(id)
            fill[c] += 1
        }
        start = counts
        self.ids = ids
    }

    public var count: Int { points.count }

    @inlinable
    static func cell(of p: Point, cellKm: Float, columns: Int, rows: Int) -> Int {
        let cx = min(max(Int(p.x / cellKm), 0), columns - 1)
        let cy = min(max(Int(p.y / cellKm), 0), rows - 1)
        return cy * columns + cx
    }

    /// The nearest facility to `p` and its distance in km; nil when there is none.
    public func nearest(to p: Point) -> (id: Int, km: Float)? {
        guard !points.isEmpty else { return nil }
        let cx = min(max(Int(p.x / cellKm), 0), columns - 1)
        let cy = min(max(Int(p.y / cellKm), 0), rows - 1)
        var best: Int32 = -1
        var bestKm = Float.infinity
        var ring = 0
        let maxRing = max(columns, rows)
        while ring <= maxRing {
            // Every facility outside the rings searched so far is at least this far.
            let searchedKm = Float(ring - 1) * cellKm
            if best >= 0 && bestKm <= max(searchedKm, 0) { break }
            for gy in (cy - ring)...(cy + ring) where gy >= 0 && gy < rows {
                let onEdgeRow = gy == cy - ring || gy == cy + ring
                var gx = cx - ring
                while gx <= cx + ring {
                    if gx >= 0 && gx < columns {
                        let c = gy * columns + gx
                        for k in Int(start[c])..<Int(start[c + 1]) {
                            let id = ids[k]
                            let d = points[Int(id)].distance(to: p)
                            if d < bestKm || (d == bestKm && id < best) {
                                bestKm = d
                                best = id
                            }
                        }
                    }
                    // Inner rows only have their two edge cells in this ring.
                    gx += (onEdgeRow || ring == 0) ? 1 : max(1, 2 * ring)
                }
            }
            ring += 1
        }
        return (Int(best), bestKm)
    }

    /// Whether any facility lies within `radiusKm` of `p`.
    public func any(within radiusKm: Float, of p: Point) -> Bool {
        guard !points.isEmpty else { return false }
        let x0 = max(Int((p.x - radiusKm) / cellKm), 0), x1 = min(Int((p.x + radiusKm) / cellKm), columns - 1)
        let y0 = max(Int((p.y - radiusKm) / cellKm), 0), y1 = min(Int((p.y + radiusKm) / cellKm), rows - 1)
        guard x0 <= x1, y0 <= y1 else { return false }
        let r2 = radiusKm * radiusKm
        for gy in y0...y1 {
            for gx in x0...x1 {
                let c = gy * columns + gx
                for k in Int(start[c])..<Int(start[c + 1]) {
                    let q = points[Int(ids[k])]
                    let dx = q.x - p.x, dy = q.y - p.y
                    if dx * dx + dy * dy <= r2 { return true }
                }
            }
        }
        return false
    }

    /// Calls `body(id, km)` for every facility within `radiusKm` of `p`.
    package func forEach(within radiusKm: Float, of p: Point, _ body: (Int, Float) -> Void) {
        guard !points.isEmpty else { return }
        let x0 = max(Int((p.x - radiusKm) / cellKm), 0), x1 = min(Int((p.x + radiusKm) / cellKm), columns - 1)
        let y0 = max(Int((p.y - radiusKm) / cellKm), 0), y1 = min(Int((p.y + radiusKm) / cellKm), rows - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        for gy in y0...y1 {
            for gx in x0...x1 {
                let c = gy * columns + gx
                for k in Int(start[c])..<Int(start[c + 1]) {
                    let id = Int(ids[k])
                    let dx = points[id].x - p.x, dy = points[id].y - p.y
                    let d2 = dx * dx + dy * dy
                    // The same test as HouseholdGrid's, so both agree on who is inside.
                    if d2 <= radiusKm * radiusKm { body(id, d2.squareRoot()) }
                }
            }
        }
    }
}
