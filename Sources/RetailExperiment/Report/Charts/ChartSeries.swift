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
