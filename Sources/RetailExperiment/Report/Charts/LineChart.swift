import Foundation

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
