import Foundation
import RetailModel
import RetailStats

/// A quantity by replicate and week, summarised across replicates week by
/// week: the mean line and the 95 % Student-t band of a chart or, when the
/// replicates are posterior draws, their 90 % interval (what a user asks of
/// a posterior is where the answer lies, not where its mean does).
struct WeeklyBand {
    /// values[replicate][week index]
    var values: [[Double]]
    var weeks: [Int]
    var posterior = false

    func series(_ name: String, style: ChartSeries.Style = .line) throws -> ChartSeries {
        var points: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = []
        for (k, week) in weeks.enumerated() {
            let s = Summary(values.map { $0[k] })
            points.append((Double(week), s.mean))
            if posterior {
                if s.count > 1 { band.append((Double(week), s.quantile(0.05), s.quantile(0.95))) }
            } else if let ci = try s.confidenceInterval(level: 0.95) {
                band.append((Double(week), ci.lowerBound, ci.upperBound))
            }
        }
        return ChartSeries(name: name, style: style, points: points, band: band)
    }
}

extension WeeklyBand {
    /// Whether a run's replicates are posterior draws: its scenario.json names a posterior (`run.posterior`).
    static func drawsFromPosterior(scenarioJSON path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path),
              let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let run = top["run"] as? [String: Any],
              let posterior = run["posterior"] as? String else { return false }
        return !posterior.isEmpty
    }

    /// The caption of a run's charts of `replicates` replicates.
    static func caption(replicates: Int, posterior: Bool) -> String {
        guard replicates > 1 else { return "One replicate: no interval (run more replicates for bands)." }
        return posterior ? "Lines: mean of \(replicates) replicates, each a posterior draw; bands: 90 % posterior intervals."
            : "Lines: mean of \(replicates) replicates; bands: 95 % Student-t intervals."
    }
}
