import Foundation

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
