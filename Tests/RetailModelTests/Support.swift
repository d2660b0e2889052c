import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport

/// A scenario from the baseline and `path=value` settings, as `--set` takes them,
/// in the synthetic country unless the settings name one: the model's
/// invariants and closed forms are stated for it (the real country's tests
/// say `geography.kind=us`).
func scenario(_ settings: [String]) throws -> Scenario {
    let country = settings.contains { $0.hasPrefix("geography.kind=") } ? [] : ["geography.kind=synthetic"]
    return try scenario(settings: country + settings)
}

/// Runs a market for `weeks` weeks and returns it with its records.
func simulate(_ s: Scenario, weeks: Int, replicate: Int = 1, threads: Int = 2) throws -> (Market, [WeekRecord]) {
    let market = try Market(parameters: s.model, calendar: s.calendar, seed: UInt64(s.run.seed), replicate: replicate, threads: threads)
    let records = (0..<weeks).map { _ in market.advanceWeek() }
    return (market, records)
}

/// Trip shares by option over the records.
func tripShares(_ records: [WeekRecord]) -> (shares: [Double], trips: Double) {
    var counts = [Double](repeating: 0, count: Option.count)
    for r in records { for o in Option.allCases { counts[o.rawValue] += Double(r.trips(o)) } }
    let total = counts.reduce(0, +)
    return (counts.map { $0 / total }, total)
}

func spendShare(_ records: [WeekRecord], _ option: Option) -> Double {
    let all = records.reduce(0.0) { acc, r in acc + Option.allCases.reduce(0.0) { $0 + r.revenue($1) } }
    return records.reduce(0.0) { $0 + $1.revenue(option) } / all
}

/// The nested logit of docs/MODEL.md section 5 written out apart from the
/// model, in double precision, from utilities in `Option` order: nests
/// {WS, WO} ({WS, WO, WP} with `pickup`; without it WP has no chance) and
/// {A, OO} with lambdas `walmart` and `online`, OS alone.
/// P_j = exp(I_n - L) exp((V_j - I_n) / lambda_n), I_n = lambda_n ln sum_(k in n)
/// exp(V_k / lambda_n), L = ln sum_n exp I_n, the log-sum.
func nestedLogit(_ v: [Double], walmart: Double, online: Double, pickup: Bool = false) -> (p: [Double], logSum: Double) {
    let nests = [(walmart, pickup ? [1, 2, 5] : [1, 2]), (online, [0, 4]), (1.0, [3])]
    let top = nests.flatMap(\.1).map { v[$0] }.max()!
    let inclusive = nests.map { lambda, members in top + lambda * log(members.map { exp((v[$0] - top) / lambda) }.reduce(0, +)) }
    let logSum = top + log(inclusive.map { exp($0 - top) }.reduce(0, +))
    var p = [Double](repeating: 0, count: v.count)
    for ((lambda, members), i) in zip(nests, inclusive) {
        for j in members { p[j] = exp(i - logSum) * exp((v[j] - i) / lambda) }
    }
    return (p, logSum)
}

/// `nestedLogit` with a scenario's own lambdas.
func nestedLogit(_ v: [Double], _ c: ChoiceParameters) -> (p: [Double], logSum: Double) {
    nestedLogit(v, walmart: c.walmartNest, online: c.onlineNest)
}

/// `nestedLogit` with a scenario's own lambdas and pickup.
func nestedLogit(_ v: [Double], _ p: ModelParameters) -> (p: [Double], logSum: Double) {
    nestedLogit(v, walmart: p.choice.walmartNest, online: p.choice.onlineNest, pickup: p.walmart.pickup.offered)
}
