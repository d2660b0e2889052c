import Foundation
import RetailModel
import RetailStats

/// A quantity by replicate and week, summarised across replicates week by
/// week: the mean line and the 95 % Student-t band of a chart.
struct WeeklyBand {
    /// values[replicate][week index]
    var values: [[Double]]
    var weeks: [Int]

    func series(_ name: String, style: ChartSeries.Style = .line) throws -> ChartSeries {
        var points: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = []
        for (k, week) in weeks.enumerated() {
            let s = Summary(values.map { $0[k] })
            points.append((Double(week), s.mean))
            if let ci = try s.confidenceInterval(level: 0.95) { band.append((Double(week), ci.lowerBound, ci.upperBound)) }
        }
        return ChartSeries(name: name, style: style, points: points, band: band)
    }
}
