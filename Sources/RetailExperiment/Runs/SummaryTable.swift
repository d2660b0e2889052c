import Foundation
import RetailModel

/// The table printed at the end of a run: each option's spend share with its
/// 95 % CI (on a posterior, its 90 % posterior interval), the derived shares, the grocery category's levels (when trips
/// can be grocery), and membership.
public enum SummaryTable {
    public static func render(_ result: RunResult, folder: String?) throws -> String {
        let s = result.scenario
        let agents = s.model.geography.kind == .us ? "households" : "shoppers"
        let summaries = try MetricSummary.all(result.metrics)
        let byName = Dictionary(uniqueKeysWithValues: summaries.map { ($0.name, $0) })
        func pct(_ x: Double) -> String { String(format: "%6.2f %%", 100 * x) }
        // On a posterior each replicate is a draw: where 90 % of them fall is the answer's uncertainty.
        let onPosterior = s.drawsFromPosterior
        func ci(_ m: MetricSummary) -> String {
            if onPosterior && m.count > 1 { return String(format: "[%6.2f, %6.2f]", 100 * m.q05, 100 * m.q95) }
            return m.ci95.map { String(format: "[%6.2f, %6.2f]", 100 * $0.lowerBound, 100 * $0.upperBound) } ?? "(one replicate)"
        }
        func row(_ label: String, _ m: MetricSummary) -> String {
            label.padding(toLength: 34, withPad: " ", startingAt: 0) + pct(m.mean) + "   " + ci(m)
        }
        var lines = [
            "RetailSim \(RetailSimVersion.string) · scenario \(s.name) · seed \(s.run.seed)",
            "\(s.run.replicates) replicate(s) × \(s.model.population.shoppers) \(agents) × \(s.run.weeks) weeks "
                + "(first \(s.run.warmupWeeks) left out)",
        ]
        if onPosterior { lines.append("each replicate at its own draw of the posterior \(s.run.posterior)") }
        if let stop = result.stoppedAt {
            lines.append("STOPPED at replicate \(stop.replicate), week \(stop.week) (Ctrl-C): the figures rest on the "
                         + "\(result.replicates.count) replicate(s) and weeks done")
        }
        lines += [
            "",
            "share of spend".padding(toLength: 34, withPad: " ", startingAt: 0) + (onPosterior ? "  mean     90 % posterior" : "  mean     95 % CI"),
        ]
        for o in Option.allCases {
            lines.append(row("  \(o.code.padding(toLength: 3, withPad: " ", startingAt: 0)) \(o.title)", byName["spendShare.\(o.code)"]!))
        }
        lines.append(row("  online \(Option.sum(Option.online))", byName["onlineShare"]!))
        lines.append(row("  Walmart-like \(Option.sum(Option.sold(by: .walmart)))", byName["walmartShareOfAll"]!))
        lines.append("share of online spend")
        for r in RetailerID.allCases { lines.append(row("  \(r.title)", byName["\(r.name)ShareOfOnline"]!)) }
        if s.model.choice.grocery.tripShare > 0 {
            // The grocery category's levels, the calibration's category targets among them.
            lines.append("groceries")
            lines.append(row("  grocery's share of Walmart-like", byName["groceryShareOfWalmart"]!))
            lines.append(row("  Walmart-like share of grocery", byName["walmartShareOfGrocery"]!))
            lines.append(row("  online share of grocery", byName["onlineShareOfGrocery"]!))
            lines.append(row("  pickup's share of online grocery", byName["pickupShareOfOnlineGrocery"]!))
            lines.append(row("  shipped share of online grocery", byName["shippedShareOfOnlineGrocery"]!))
            lines.append(row("  Walmart-like share of delivered", byName["walmartShareOfGroceryDelivery"]!))
        }
        lines.append("members, share of \(agents)")
        lines.append(row("  Prime-like", byName["primeShare"]!))
        lines.append(row("  Walmart+-like", byName["plusShare"]!))
        lines += densityLines(result)
        lines.append(String(format: s.model.geography.kind == .us ? "(each simulated household stands for %.0f US households)"
                                : "(each simulated shopper stands for %.0f people)", s.model.agentScale))
        if let folder {
            lines.append("")
            // The optional files present were written by this run: `RunOutput.write` retires older ones.
            let optional = RunOutput.optionalFileNames.filter {
                FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0))
            }
            lines.append("wrote \(folder)/: " + (RunOutput.fileNames + optional).joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Where each strategy wins, by density class, means over replicates at
    /// their end (regions.csv has every state).
    static func densityLines(_ result: RunResult) -> [String] {
        let outcomes = result.replicates.compactMap { $0.last?.regions }
        guard !outcomes.isEmpty else { return [] }
        func mean(_ f: (RegionOutcome, Int) -> Double, _ name: String) -> String {
            let values = outcomes.compactMap { g in g.group(name).map { f(g, $0) } }
            return String(format: "%9.2f %%", 100 * values.reduce(0, +) / Double(max(1, values.count)))
        }
        let classes = Segment.allCases.map(\.name)
        var lines = ["by density class, at the end".padding(toLength: 34, withPad: " ", startingAt: 0)
                     + classes.map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined()]
        let rows: [(String, (RegionOutcome, Int) -> Double)] = [
            ("  Amazon-like share of online", { g, k in
                let online = g.onlineShare(k)
                return online > 0 ? g.spendShare(k, .amazon) / online : 0 }),
            ("  Walmart-like share of spend", { g, k in Option.sold(by: .walmart).reduce(0) { $0 + g.spendShare(k, $1) } }),
            ("  online share of spend", { g, k in g.onlineShare(k) }),
            ("  Prime-like members", { g, k in g.memberShare(k, .prime) }),
            ("  Walmart+-like members", { g, k in g.memberShare(k, .plus) }),
        ]
        for (label, f) in rows {
            lines.append(label.padding(toLength: 32, withPad: " ", startingAt: 0) + classes.map { mean(f, $0) }.joined())
        }
        return lines
    }
}
