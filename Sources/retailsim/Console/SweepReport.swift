import Foundation
import RetailExperiment

/// What the sweep commands print about a plan and its results.
enum SweepReport {
    static func head(_ plan: SweepPlan, folder: String) -> String {
        "RetailSim \(RetailSimVersion.string) · sweep \(folder) · scenario \(plan.base.name) · seed \(plan.base.run.seed) · design \(plan.design)\n"
            + "\(plan.points.count) point(s) × \(plan.replicates) replicate(s) = \(plan.runCount) runs of "
            + "\(plan.base.model.population.shoppers) shoppers × \(plan.base.run.weeks) weeks (\(plan.seeding.rawValue) seeds)"
    }

    /// Headline metrics per point (mean and 95 % CI half-width; on a
    /// posterior the mean and the 90 % posterior interval), for up to
    /// 40 points; an evidence sweep's first four figures, where a point
    /// whose runs did not measure one shows a dash.
    static func table(_ plan: SweepPlan, _ merged: SweepMerge.Outcome) -> String {
        guard plan.points.count <= 40 else { return "(\(plan.points.count) points: see summary.csv)\n" }
        let shares = plan.evidence == nil, posterior = plan.base.drawsFromPosterior
        let metrics = shares ? ["amazonShareOfOnline", "walmartShareOfOnline", "onlineShare", "primeShare"] : Array(plan.evidence!.columns.prefix(4))
        let widths = plan.factors.map { max($0.path.count, 8) + 2 }
        var out = "\npoint  " + zip(plan.factors, widths).map { $0.path.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined()
            + metrics.map { $0.padding(toLength: max(22, $0.count + 2), withPad: " ", startingAt: 0) }.joined() + "\n"
        for p in plan.points.indices {
            out += String(p).padding(toLength: 7, withPad: " ", startingAt: 0)
                + zip(plan.points[p], widths).map { $0.csvText.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined()
            for name in metrics {
                var cell = "-"
                if let s = merged.summaries[p].first(where: { $0.name == name }) {
                    let scale = shares ? 100.0 : 1
                    if posterior {
                        cell = String(format: shares ? "%.2f [%.2f, %.2f]" : "%.4g [%.4g, %.4g]", scale * s.mean, scale * s.q05, scale * s.q95)
                    } else {
                        let half = s.ci95.map { String(format: shares ? " ± %.2f" : " ± %.3g", scale * ($0.upperBound - $0.lowerBound) / 2) } ?? ""
                        cell = String(format: shares ? "%.2f %%" : "%.4g", scale * s.mean) + half
                    }
                }
                out += cell.padding(toLength: max(22, name.count + 2), withPad: " ", startingAt: 0)
            }
            out += "\n"
        }
        let spread = posterior ? "mean [90 % posterior interval] over replicates, each a draw" : "mean ± half the 95 % CI over replicates"
        return out + (shares ? "(shares in %, \(spread); every metric in summary.csv)\n"
                             : "(figures as measured, \(spread); every figure in summary.csv)\n")
    }
}
