import Foundation
import RetailModel

/// The table printed at the end of a run: each option's spend share with its
/// 95 % CI, the derived shares, and membership.
public enum SummaryTable {
    public static func render(_ result: RunResult, folder: String?) throws -> String {
        let s = result.scenario
        let summaries = try MetricSummary.all(result.metrics)
        let byName = Dictionary(uniqueKeysWithValues: summaries.map { ($0.name, $0) })
        func pct(_ x: Double) -> String { String(format: "%6.2f %%", 100 * x) }
        func ci(_ m: MetricSummary) -> String {
            m.ci95.map { String(format: "[%6.2f, %6.2f]", 100 * $0.lowerBound, 100 * $0.upperBound) } ?? "(one replicate)"
        }
        func row(_ label: String, _ m: MetricSummary) -> String {
            label.padding(toLength: 34, withPad: " ", startingAt: 0) + pct(m.mean) + "   " + ci(m)
        }
        var lines = [
            "RetailSim \(RetailSimVersion.string) · scenario \(s.name) · seed \(s.run.seed)",
            "\(s.run.replicates) replicate(s) × \(s.model.population.shoppers) shoppers × \(s.run.weeks) weeks "
                + "(first \(s.run.warmupWeeks) left out)",
        ]
        if let stop = result.stoppedAt {
            lines.append("STOPPED at replicate \(stop.replicate), week \(stop.week) (Ctrl-C): the figures rest on the "
                         + "\(result.replicates.count) replicate(s) and weeks done")
        }
        lines += [
            "",
            "share of spend".padding(toLength: 34, withPad: " ", startingAt: 0) + "  mean     95 % CI",
        ]
        for o in Option.allCases {
            lines.append(row("  \(o.code.padding(toLength: 3, withPad: " ", startingAt: 0)) \(o.title)", byName["spendShare.\(o.code)"]!))
        }
        lines.append(row("  online (A + WO + OO)", byName["onlineShare"]!))
        lines.append(row("  Walmart-like (WS + WO)", byName["walmartShareOfAll"]!))
        lines.append("share of online spend")
        lines.append(row("  Amazon-like", byName["amazonShareOfOnline"]!))
        lines.append(row("  Walmart-like", byName["walmartShareOfOnline"]!))
        lines.append("members, share of shoppers")
        lines.append(row("  Prime-like", byName["primeShare"]!))
        lines.append(row("  Walmart+-like", byName["plusShare"]!))
        let scale = s.model.population.people / Double(s.model.population.shoppers)
        lines.append(String(format: "(each simulated shopper stands for %.0f people)", scale))
        if let folder {
            lines.append("")
            lines.append("wrote \(folder)/: " + RunOutput.fileNames.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
