import Foundation
import RetailModel

/// The real country on the model's own projection (docs/GEOGRAPHY.md): each
/// county's households as a dot (area in proportion, colour by the density
/// class most of them live in), the Walmart-like stores' express areas
/// (delivering stores, shaded) and stores, the Amazon-like fulfilment
/// centres and same-day sites, from a run's facilities.csv; dark stores
/// hollow, and stores whose slots bind coloured by their extra wait.
struct USMapChart {
    /// One row of facilities.csv.
    struct Site {
        var kind: String, x: Double, y: Double, radiusKm: Double, week: Int?
        /// Hours a store's orders wait beyond the hub wait (its slots bind when positive).
        var extraWaitHours = 0.0
    }
    /// Extra waits' classes: up to half a day, up to two days, more.
    static let waitColours = [(12.0, "#fdae6b"), (48.0, "#e6550d"), (Double.infinity, "#a50f15")]

    let title: String
    let us: USGeography
    let facilities: [Site]
    /// Lines under the map: the reach figures.
    let notes: [String]

    static let width = 740.0

    func svg() -> String {
        let scale = USMapChart.width / us.widthKm
        let top = 40.0, mapHeight = us.heightKm * scale
        let legendHeight = 26.0 * 4 + 18 + 18 * Double(notes.count) + 12
        let height = top + mapHeight + legendHeight
        func px(_ x: Double) -> String { ChartFrame.f(x * scale) }
        func py(_ y: Double) -> String { ChartFrame.f(top + (us.heightKm - y) * scale) }
        var out = ChartFrame.heading(title, width: USMapChart.width)
        // Express areas first, under everything.
        out += "<g class=\"express\" fill=\"#9ecae1\" fill-opacity=\"0.18\" stroke=\"none\">\n"
        for f in facilities where (f.kind == "store" || f.kind == "darkStore") && f.week != nil {
            out += "<circle cx=\"\(px(f.x))\" cy=\"\(py(f.y))\" r=\"\(ChartFrame.f(f.radiusKm * scale))\"/>\n"
        }
        out += "</g>\n"
        // Households by county, coloured by the density class of most of them.
        let dots = us.counties.filter { $0.households > 0 }
        let colours = ["#d62728", "#ff7f0e", "#2ca02c"]
        let largest = dots.map(\.households).max() ?? 1
        out += "<g class=\"households\" fill-opacity=\"0.55\" stroke=\"none\">\n"
        for d in dots {
            let radius = 12 * (d.households / largest).squareRoot()
            out += "<circle cx=\"\(px(Double(d.point.x)))\" cy=\"\(py(Double(d.point.y)))\" r=\"\(ChartFrame.f(max(radius, 0.6)))\" fill=\"\(colours[d.segment.rawValue])\"/>\n"
        }
        out += "</g>\n<g class=\"stores\" fill=\"#1f4e9c\">\n"
        for f in facilities where f.kind == "store" && f.extraWaitHours <= 0 {
            out += "<rect x=\"\(ChartFrame.f(f.x * scale - 0.6))\" y=\"\(ChartFrame.f(top + (us.heightKm - f.y) * scale - 0.6))\" width=\"1.2\" height=\"1.2\"/>\n"
        }
        out += "</g>\n<g class=\"dark-stores\" fill=\"none\" stroke=\"#1f4e9c\" stroke-width=\"0.6\">\n"
        for f in facilities where f.kind == "darkStore" && f.extraWaitHours <= 0 {
            out += "<rect x=\"\(ChartFrame.f(f.x * scale - 1.2))\" y=\"\(ChartFrame.f(top + (us.heightKm - f.y) * scale - 1.2))\" width=\"2.4\" height=\"2.4\"/>\n"
        }
        // Stores whose slots bind, on top, by their extra wait.
        out += "</g>\n<g class=\"slots-bind\" stroke=\"none\">\n"
        for f in facilities where (f.kind == "store" || f.kind == "darkStore") && f.extraWaitHours > 0 {
            let colour = USMapChart.waitColours.first { f.extraWaitHours <= $0.0 }!.1
            out += "<rect x=\"\(ChartFrame.f(f.x * scale - 1.1))\" y=\"\(ChartFrame.f(top + (us.heightKm - f.y) * scale - 1.1))\" width=\"2.2\" height=\"2.2\" fill=\"\(colour)\"/>\n"
        }
        out += "</g>\n<g class=\"sameday\" fill=\"none\" stroke=\"#7b3294\" stroke-width=\"1\">\n"
        for f in facilities where f.kind == "sameDay" {
            out += "<circle cx=\"\(px(f.x))\" cy=\"\(py(f.y))\" r=\"2.5\"/>\n"
        }
        out += "</g>\n<g class=\"fulfillment\" fill=\"#000\">\n"
        for f in facilities where f.kind == "fulfillment" {
            let x = f.x * scale, y = top + (us.heightKm - f.y) * scale
            out += "<path d=\"M\(ChartFrame.f(x)) \(ChartFrame.f(y - 3))L\(ChartFrame.f(x + 2.6)) \(ChartFrame.f(y + 1.5))L\(ChartFrame.f(x - 2.6)) \(ChartFrame.f(y + 1.5))Z\"/>\n"
        }
        out += "</g>\n"
        // Legend.
        let entries: [(String, String)] = [
            ("<circle cx=\"6\" cy=\"0\" r=\"5\" fill=\"#d62728\" fill-opacity=\"0.55\"/>", "households by county: mostly urban"),
            ("<circle cx=\"6\" cy=\"0\" r=\"5\" fill=\"#ff7f0e\" fill-opacity=\"0.55\"/>", "mostly suburban"),
            ("<circle cx=\"6\" cy=\"0\" r=\"5\" fill=\"#2ca02c\" fill-opacity=\"0.55\"/>", "mostly rural"),
            ("<rect x=\"4\" y=\"-2\" width=\"4\" height=\"4\" fill=\"#1f4e9c\"/>", "Walmart-like store"),
            ("<circle cx=\"6\" cy=\"0\" r=\"6\" fill=\"#9ecae1\" fill-opacity=\"0.5\"/>", "express (3-hour) area"),
            ("<path d=\"M6 -4L10 3L2 3Z\" fill=\"#000\"/>", "Amazon-like fulfilment centre"),
            ("<circle cx=\"6\" cy=\"0\" r=\"3\" fill=\"none\" stroke=\"#7b3294\"/>", "Amazon-like same-day site"),
            ("<rect x=\"3\" y=\"-3\" width=\"6\" height=\"6\" fill=\"none\" stroke=\"#1f4e9c\"/>", "dark store (delivers only)"),
            ("<rect x=\"3\" y=\"-3\" width=\"6\" height=\"6\" fill=\"\(USMapChart.waitColours[0].1)\"/>", "slots bind: extra wait up to 12 h"),
            ("<rect x=\"3\" y=\"-3\" width=\"6\" height=\"6\" fill=\"\(USMapChart.waitColours[1].1)\"/>", "12 to 48 h"),
            ("<rect x=\"3\" y=\"-3\" width=\"6\" height=\"6\" fill=\"\(USMapChart.waitColours[2].1)\"/>", "over 48 h"),
        ]
        var y = top + mapHeight + 18
        for (k, entry) in entries.enumerated() {
            let x = 10 + Double(k % 3) * 245
            if k > 0 && k % 3 == 0 { y += 26 }
            out += "<g transform=\"translate(\(ChartFrame.f(x)) \(ChartFrame.f(y)))\">\(entry.0)<text x=\"16\" y=\"4\" font-size=\"12\">\(ChartFrame.escape(entry.1))</text></g>\n"
        }
        y += 26
        for note in notes {
            out += "<text x=\"10\" y=\"\(ChartFrame.f(y))\" font-size=\"12\">\(ChartFrame.escape(note))</text>\n"
            y += 18
        }
        return ChartFrame.document(out, title: title, width: USMapChart.width, height: height)
    }
}
