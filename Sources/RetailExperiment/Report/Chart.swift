import Foundation

/// One line of a chart: points joined in x order, with an optional
/// confidence band and optional error bars (for simulated points against a
/// closed form, say).
public struct ChartSeries: Sendable {
    public enum Style: Sendable {
        /// A solid line.
        case line
        /// A dashed line: a closed form or a reference.
        case dashed
        /// Dots with their error bars, no line.
        case markers
    }

    public var name: String
    public var style: Style
    public var points: [(x: Double, y: Double)]
    /// Low and high of a band at each x (a 95 % interval), drawn shaded.
    public var band: [(x: Double, low: Double, high: Double)]
    /// Palette index; by default the series' position. Series that belong
    /// together (an option's closed form and simulation) share one.
    public var colour: Int?
    /// Whether the legend lists it (one entry for a pair that shares a colour).
    public var inLegend: Bool

    public init(name: String, style: Style = .line, points: [(x: Double, y: Double)],
                band: [(x: Double, low: Double, high: Double)] = [], colour: Int? = nil, inLegend: Bool = true) {
        self.name = name
        self.style = style
        self.points = points
        self.band = band
        self.colour = colour
        self.inLegend = inLegend
    }
}

/// A line chart as inline SVG: axes with round ticks, a legend, lines,
/// shaded bands. Self-contained (no fonts, scripts or links to load), so
/// a report reads without a network.
public struct LineChart: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [ChartSeries]
    /// Show y as per cent (values are shares in [0, 1]).
    public var yPercent = false
    /// Force the y axis to include these values (0, say).
    public var yInclude: [Double] = []
    /// A line under the legend (what the line styles mean, say).
    public var note: String

    public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries], yPercent: Bool = false, yInclude: [Double] = [],
                note: String = "") {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yPercent = yPercent
        self.yInclude = yInclude
        self.note = note
    }

    public func svg(width: Double = 720, height: Double = 400) -> String {
        let xs = series.flatMap { $0.points.map(\.x) + $0.band.map(\.x) }
        let ys = series.flatMap { $0.points.map(\.y) + $0.band.flatMap { [$0.low, $0.high] } } + yInclude
        let listed = series.enumerated().filter { $0.element.inLegend }
        let columns = listed.contains { $0.element.name.count > 30 } ? 2 : 3
        let frame = ChartFrame(width: width, height: height, xs: xs, ys: ys, legendEntries: listed.count + (note.isEmpty ? 0 : columns), columns: columns)
        var body = frame.axes(title: title, xLabel: xLabel, yLabel: yLabel, yPercent: yPercent)
        for (k, s) in series.enumerated() {
            let colour = ChartFrame.colour(s.colour ?? k)
            if !s.band.isEmpty {
                let band = s.band.sorted { $0.x < $1.x }
                let upper = band.map { frame.point($0.x, $0.high) }, lower = band.reversed().map { frame.point($0.x, $0.low) }
                body += "<path class=\"band\" d=\"\(ChartFrame.path(upper + lower))Z\" fill=\"\(colour)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
            }
            let points = s.points.sorted { $0.x < $1.x }.map { frame.point($0.x, $0.y) }
            switch s.style {
            case .line, .dashed:
                let dash = s.style == .dashed ? " stroke-dasharray=\"6 4\"" : ""
                body += "<path class=\"line\" d=\"\(ChartFrame.path(points))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>\n"
            case .markers:
                for p in s.band { body += frame.errorBar(x: p.x, low: p.low, high: p.high, colour: colour) }
                for p in points { body += "<circle class=\"marker\" cx=\"\(ChartFrame.f(p.x))\" cy=\"\(ChartFrame.f(p.y))\" r=\"3.5\" fill=\"\(colour)\"/>\n" }
            }
        }
        body += frame.legend(listed.map { (ChartFrame.colour($0.element.colour ?? $0.offset), $0.element.name, $0.element.style) }, note: note)
        return ChartFrame.document(body, title: title, width: width, height: height)
    }
}

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

    public init(title: String, xLabel: String, yLabel: String, xValues: [String], yValues: [String], cells: [[Double?]], percent: Bool) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xValues = xValues
        self.yValues = yValues
        self.cells = cells
        self.percent = percent
    }

    public func svg(width: Double = 720, height: Double = 420) -> String {
        let left = 110.0, top = 44.0, right = 30.0, bottom = 60.0
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
                let t = hi > lo ? (value - lo) / (hi - lo) : 0.5
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

/// The plotting area of a chart with numeric axes: data to pixels, axes, legend.
struct ChartFrame {
    let width: Double, height: Double
    let left = 70.0, right = 20.0, top = 40.0
    let bottom: Double
    let xTicks: [Double], yTicks: [Double]

    /// Legend entries a row.
    let columns: Int

    init(width: Double, height: Double, xs: [Double], ys: [Double], legendEntries: Int, columns: Int) {
        self.width = width
        self.height = height
        self.columns = columns
        bottom = 56 + 18 * Double((legendEntries + columns - 1) / columns)
        // The x axis spans the data exactly (weeks 1 to 104, not 0 to 125); ticks fall inside.
        let (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1)
        let inside = ChartFrame.ticks(x0, x1).filter { $0 >= x0 - 1e-9 && $0 <= x1 + 1e-9 }
        xTicks = x1 > x0 ? [x0] + inside.filter { abs($0 - x0) > (x1 - x0) * 0.04 && abs($0 - x1) > (x1 - x0) * 0.04 } + [x1]
            : ChartFrame.ticks(x0, x1)
        yTicks = ChartFrame.ticks(ys.filter(\.isFinite).min() ?? 0, ys.filter(\.isFinite).max() ?? 1)
    }

    func point(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        let (x0, x1, y0, y1) = (xTicks.first!, xTicks.last!, yTicks.first!, yTicks.last!)
        return (left + (x - x0) / (x1 - x0) * (width - left - right), height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom))
    }

    func axes(title: String, xLabel: String, yLabel: String, yPercent: Bool) -> String {
        var out = ChartFrame.heading(title, width: width)
        let base = height - bottom
        for t in yTicks {
            let y = point(xTicks[0], t).y
            out += "<line x1=\"\(ChartFrame.f(left))\" y1=\"\(ChartFrame.f(y))\" x2=\"\(ChartFrame.f(width - right))\" y2=\"\(ChartFrame.f(y))\" stroke=\"#e3e3e3\"/>\n"
            out += "<text x=\"\(ChartFrame.f(left - 6))\" y=\"\(ChartFrame.f(y + 4))\" text-anchor=\"end\" font-size=\"12\">\(ChartFrame.label(t, percent: yPercent, ticks: yTicks))</text>\n"
        }
        for t in xTicks {
            let x = point(t, yTicks[0]).x
            out += "<line x1=\"\(ChartFrame.f(x))\" y1=\"\(ChartFrame.f(base))\" x2=\"\(ChartFrame.f(x))\" y2=\"\(ChartFrame.f(base + 5))\" stroke=\"#333\"/>\n"
            out += "<text x=\"\(ChartFrame.f(x))\" y=\"\(ChartFrame.f(base + 19))\" text-anchor=\"middle\" font-size=\"12\">\(ChartFrame.plain(t))</text>\n"
        }
        out += "<line x1=\"\(ChartFrame.f(left))\" y1=\"\(ChartFrame.f(base))\" x2=\"\(ChartFrame.f(width - right))\" y2=\"\(ChartFrame.f(base))\" stroke=\"#333\"/>\n"
        out += "<line x1=\"\(ChartFrame.f(left))\" y1=\"\(ChartFrame.f(top))\" x2=\"\(ChartFrame.f(left))\" y2=\"\(ChartFrame.f(base))\" stroke=\"#333\"/>\n"
        out += "<text x=\"\(ChartFrame.f((left + width - right) / 2))\" y=\"\(ChartFrame.f(base + 38))\" text-anchor=\"middle\" font-size=\"13\">\(ChartFrame.escape(xLabel))</text>\n"
        out += "<text transform=\"translate(16 \(ChartFrame.f((top + base) / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">\(ChartFrame.escape(yLabel))</text>\n"
        return out
    }

    func errorBar(x: Double, low: Double, high: Double, colour: String) -> String {
        let a = point(x, low), b = point(x, high)
        return "<line class=\"errorbar\" x1=\"\(ChartFrame.f(a.x))\" y1=\"\(ChartFrame.f(a.y))\" x2=\"\(ChartFrame.f(b.x))\" y2=\"\(ChartFrame.f(b.y))\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>\n"
    }

    func legend(_ entries: [(colour: String, name: String, style: ChartSeries.Style)], note: String) -> String {
        var out = ""
        let columnWidth = (width - left - right) / Double(columns)
        if !note.isEmpty {
            let y = height - bottom + 56 + 18 * Double((entries.count + columns - 1) / columns)
            out += "<text x=\"\(ChartFrame.f(left))\" y=\"\(ChartFrame.f(y))\" font-size=\"12\" fill=\"#555\">\(ChartFrame.escape(note))</text>\n"
        }
        for (k, e) in entries.enumerated() {
            let x = left + columnWidth * Double(k % columns), y = height - bottom + 56 + 18 * Double(k / columns)
            switch e.style {
            case .markers:
                out += "<circle cx=\"\(ChartFrame.f(x + 11))\" cy=\"\(ChartFrame.f(y - 4))\" r=\"3.5\" fill=\"\(e.colour)\"/>\n"
            case .line, .dashed:
                let dash = e.style == .dashed ? " stroke-dasharray=\"6 4\"" : ""
                out += "<line x1=\"\(ChartFrame.f(x))\" y1=\"\(ChartFrame.f(y - 4))\" x2=\"\(ChartFrame.f(x + 22))\" y2=\"\(ChartFrame.f(y - 4))\" stroke=\"\(e.colour)\" stroke-width=\"2\"\(dash)/>\n"
            }
            out += "<text x=\"\(ChartFrame.f(x + 28))\" y=\"\(ChartFrame.f(y))\" font-size=\"12\">\(ChartFrame.escape(e.name))</text>\n"
        }
        return out
    }

    /// A whole SVG document: white paper, a title for screen readers, the body.
    static func document(_ body: String, title: String, width: Double, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\" role=\"img\">\n"
            + "<title>\(escape(title))</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n"
    }

    /// The chart's title, centred at the top.
    static func heading(_ title: String, width: Double) -> String {
        "<text x=\"\(f(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">\(escape(title))</text>\n"
    }

    /// About five round ticks covering [lo, hi].
    static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
        var (lo, hi) = (lo, hi)
        if !(hi > lo) { (lo, hi) = (lo - 0.5 * max(abs(lo), 1e-3), hi + 0.5 * max(abs(hi), 1e-3)) }
        let raw = (hi - lo) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let first = floor(lo / step) * step, last = ceil(hi / step) * step
        return stride(from: first, through: last + step / 2, by: step).map { ($0 / step).rounded() * step }
    }

    static func label(_ v: Double, percent: Bool, ticks: [Double]) -> String {
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let scaled = percent ? 100 * v : v, scaledStep = percent ? 100 * step : step
        // Enough decimals for the step (0.025 needs 3), none for whole steps.
        let decimals = (0...6).first { d in
            let scaled = scaledStep * pow(10, Double(d))
            return abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled)
        } ?? 6
        return String(format: "%.\(decimals)f", scaled == 0 ? 0 : scaled) + (percent ? " %" : "")
    }

    /// A value with as few decimals as it needs (at most 4).
    static func plain(_ v: Double) -> String {
        let d = (0...4).first { d in
            let scaled = v * pow(10, Double(d))
            return abs(scaled - scaled.rounded()) < 1e-6 * max(1, abs(scaled))
        } ?? 4
        return String(format: "%.\(d)f", v)
    }

    static func path(_ points: [(x: Double, y: Double)]) -> String {
        points.enumerated().map { ($0.offset == 0 ? "M" : "L") + f($0.element.x) + " " + f($0.element.y) }.joined(separator: " ")
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func colour(_ k: Int) -> String {
        ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"][k % 7]
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
