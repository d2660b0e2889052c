import Foundation
import RetailExperiment

/// What the sweep commands print about a plan and its results.
enum SweepReport {
    static func head(_ plan: SweepPlan, folder: String) -> String {
        "RetailSim \(RetailSimVersion.string) · sweep \(folder) · scenario \(plan.base.name) · seed \(plan.base.run.seed) · design \(plan.design)\n"
            + "\(plan.points.count) point(s) × \(plan.replicates) replicate(s) = \(plan.runCount) runs of "
            + "\(plan.base.model.population.shoppers) shoppers × \(plan.base.run.weeks) weeks (\(plan.seeding.rawValue) seeds)"
    }

    /// Headline metrics per point (mean and 95 % CI half-width), for up to
    /// 40 points; an evidence sweep's first four figures, where a point
    /// whose runs did not measure one shows a dash.
    static func table(_ plan: SweepPlan, _ merged: SweepMerge.Outcome) -> String {
        guard plan.points.count <= 40 else { return "(\(plan.points.count) points: see summary.csv)\n" }
        let shares = plan.evidence == nil
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
                    let half = s.ci95.map { String(format: shares ? " ± %.2f" : " ± %.3g", scale * ($0.upperBound - $0.lowerBound) / 2) } ?? ""
                    cell = String(format: shares ? "%.2f %%" : "%.4g", scale * s.mean) + half
                }
                out += cell.padding(toLength: max(22, name.count + 2), withPad: " ", startingAt: 0)
            }
            out += "\n"
        }
        return out + (shares ? "(shares in %, mean ± half the 95 % CI over replicates; every metric in summary.csv)\n"
                             : "(figures as measured, mean ± half the 95 % CI over replicates; every figure in summary.csv)\n")
    }
}
