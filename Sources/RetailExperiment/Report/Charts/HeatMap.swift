import Foundation

/// A metric over a grid of two parameters, one coloured cell per pair, its value written in it.
public struct HeatMap: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xValues: [String]
    public var yValues: [String]
    /// `cells[row][column]`: row a y value, column an x value; nil where no run was made.
    public var cells: [[Double?]]
    public var percent: Bool
    /// Each cell's 95 % interval, `intervals[row][column]`, when known.
    public var intervals: [[ClosedRange<Double>?]]?

    public init(title: String, xLabel: String, yLabel: String, xValues: [String], yValues: [String], cells: [[Double?]], percent: Bool,
                intervals: [[ClosedRange<Double>?]]? = nil) {
        self.intervals = intervals
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xValues = xValues
        self.yValues = yValues
        self.cells = cells
        self.percent = percent
    }

    /// Whether every cell's interval shares a point with every other's: then
    /// the differences between cells are noise, and a colour scale would
    /// spread over it (Walmart+ at 19.1 % everywhere drawn in five colours).
    public var withinNoise: Bool {
        guard let intervals else { return false }
        let all = intervals.flatMap { $0 }
        guard !all.isEmpty, all.allSatisfy({ $0 != nil }) else { return false }
        let ranges = all.compactMap { $0 }
        return ranges.map(\.lowerBound).max()! <= ranges.map(\.upperBound).min()!
    }

    public func svg(width: Double = 720, height: Double = 420) -> String {
        let left = 110.0, top = 44.0, right = 30.0, bottom = 60.0
        let noise = withinNoise
        let cw = (width - left - right) / Double(max(xValues.count, 1)), ch = (height - top - bottom) / Double(max(yValues.count, 1))
        let present = cells.flatMap { $0.compactMap { $0 } }
        let lo = present.min() ?? 0, hi = present.max() ?? 1
        var body = ChartFrame.heading(title, width: width)
        for (r, row) in cells.enumerated() {
            // Largest y value at the top.
            let y = top + ch * Double(yValues.count - 1 - r)
            for (c, value) in row.enumerated() {
                let x = left + cw * Double(c)
                guard let value else { continue }
                let t = hi > lo && !noise ? (value - lo) / (hi - lo) : 0.3
                body += "<rect class=\"cell\" x=\"\(ChartFrame.f(x))\" y=\"\(ChartFrame.f(y))\" width=\"\(ChartFrame.f(cw))\" height=\"\(ChartFrame.f(ch))\" "
                    + "fill=\"\(HeatMap.colour(t))\" stroke=\"white\"/>\n"
                let text = percent ? String(format: "%.1f %%", 100 * value) : String(format: "%.3g", value)
                body += "<text x=\"\(ChartFrame.f(x + cw / 2))\" y=\"\(ChartFrame.f(y + ch / 2 + 4))\" text-anchor=\"middle\" font-size=\"12\" "
                    + "fill=\"\(t > 0.6 ? "white" : "black")\">\(ChartFrame.escape(text))</text>\n"
            }
        }
        for (c, v) in xValues.enumerated() {
            body += "<text x=\"\(ChartFrame.f(left + cw * (Double(c) + 0.5)))\" y=\"\(ChartFrame.f(height - bottom + 18))\" text-anchor=\"middle\" font-size=\"12\">\(ChartFrame.escape(v))</text>\n"
        }
        for (r, v) in yValues.enumerated() {
            body += "<text x=\"\(ChartFrame.f(left - 8))\" y=\"\(ChartFrame.f(top + ch * (Double(yValues.count - 1 - r) + 0.5) + 4))\" text-anchor=\"end\" font-size=\"12\">\(ChartFrame.escape(v))</text>\n"
        }
        if noise {
            body += "<text class=\"noise\" x=\"\(ChartFrame.f(left))\" y=\"\(ChartFrame.f(top - 8))\" font-size=\"12\">"
                + "The cells differ by less than their 95 % intervals: one colour, no scale drawn over noise.</text>\n"
        }
        body += "<text x=\"\(ChartFrame.f((left + width - right) / 2))\" y=\"\(ChartFrame.f(height - 14))\" text-anchor=\"middle\" font-size=\"13\">\(ChartFrame.escape(xLabel))</text>\n"
        body += "<text transform=\"translate(18 \(ChartFrame.f((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">\(ChartFrame.escape(yLabel))</text>\n"
        return ChartFrame.document(body, title: title, width: width, height: height)
    }

    /// Light yellow to dark blue (a sequential scale readable in grey too).
    static func colour(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [(255, 247, 188), (127, 205, 187), (44, 127, 184), (37, 52, 148)]
        let s = min(max(t, 0), 1) * Double(stops.count - 1)
        let k = min(Int(s), stops.count - 2), u = s - Double(k)
        let (a, b) = (stops[k], stops[k + 1])
        return String(format: "#%02x%02x%02x", Int(a.0 + (b.0 - a.0) * u), Int(a.1 + (b.1 - a.1) * u), Int(a.2 + (b.2 - a.2) * u))
    }
}
