import Foundation

/// Estimates with 95 % intervals by row, against a zero line: the effect of
/// each claim, say.
public struct EffectChart: Sendable {
    public struct Row: Sendable {
        public var label: String
        public var estimate: Double
        public var low: Double
        public var high: Double

        public init(label: String, estimate: Double, low: Double, high: Double) {
            self.label = label
            self.estimate = estimate
            self.low = low
            self.high = high
        }
    }

    public var title: String
    public var xLabel: String
    public var rows: [Row]
    /// Dashed vertical lines (a tolerance of plus or minus one, say).
    public var guides: [Double]

    public init(title: String, xLabel: String, rows: [Row], guides: [Double] = []) {
        self.title = title
        self.xLabel = xLabel
        self.rows = rows
        self.guides = guides
    }

    public func svg(width: Double = 720) -> String {
        let rowHeight = 34.0, top = 44.0, left = 260.0, right = 30.0, bottom = 56.0
        let height = top + bottom + rowHeight * Double(max(rows.count, 1))
        let values: [Double] = rows.flatMap { r -> [Double] in [r.low, r.high, r.estimate] } + [0] + guides
        let ticks = ChartFrame.ticks(values.min()!, values.max()!)
        let lo = ticks.first!, hi = ticks.last!
        let span: Double = hi - lo == 0 ? 1 : hi - lo
        func x(_ v: Double) -> Double { left + (v - lo) / span * (width - left - right) }
        var body = ChartFrame.heading(title, width: width)
        let axisY = top + rowHeight * Double(rows.count)
        for t in ticks {
            body += "<line x1=\"\(ChartFrame.f(x(t)))\" y1=\"\(ChartFrame.f(top))\" x2=\"\(ChartFrame.f(x(t)))\" y2=\"\(ChartFrame.f(axisY))\" stroke=\"#ddd\"/>\n"
            body += "<text x=\"\(ChartFrame.f(x(t)))\" y=\"\(ChartFrame.f(axisY + 18))\" text-anchor=\"middle\" font-size=\"12\">\(ChartFrame.label(t, percent: false, ticks: ticks))</text>\n"
        }
        body += "<line x1=\"\(ChartFrame.f(x(0)))\" y1=\"\(ChartFrame.f(top))\" x2=\"\(ChartFrame.f(x(0)))\" y2=\"\(ChartFrame.f(axisY))\" stroke=\"#333\"/>\n"
        for g in guides {
            body += "<line class=\"guide\" x1=\"\(ChartFrame.f(x(g)))\" y1=\"\(ChartFrame.f(top))\" x2=\"\(ChartFrame.f(x(g)))\" y2=\"\(ChartFrame.f(axisY))\" stroke=\"#d62728\" stroke-dasharray=\"5 4\"/>\n"
        }
        for (k, r) in rows.enumerated() {
            let y = top + rowHeight * (Double(k) + 0.5)
            body += "<text x=\"\(ChartFrame.f(left - 10))\" y=\"\(ChartFrame.f(y + 4))\" text-anchor=\"end\" font-size=\"12\">\(ChartFrame.escape(r.label))</text>\n"
            body += "<line class=\"interval\" x1=\"\(ChartFrame.f(x(r.low)))\" y1=\"\(ChartFrame.f(y))\" x2=\"\(ChartFrame.f(x(r.high)))\" y2=\"\(ChartFrame.f(y))\" stroke=\"\(ChartFrame.colour(0))\" stroke-width=\"2\"/>\n"
            body += "<circle class=\"marker\" cx=\"\(ChartFrame.f(x(r.estimate)))\" cy=\"\(ChartFrame.f(y))\" r=\"4.5\" fill=\"\(ChartFrame.colour(0))\"/>\n"
        }
        body += "<text x=\"\(ChartFrame.f((left + width - right) / 2))\" y=\"\(ChartFrame.f(height - 12))\" text-anchor=\"middle\" font-size=\"13\">\(ChartFrame.escape(xLabel))</text>\n"
        return ChartFrame.document(body, title: title, width: width, height: height)
    }
}
