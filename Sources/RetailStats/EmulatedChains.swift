import Foundation

/// Chains of random-walk Metropolis on the emulated posterior and what
/// they yield: where the plausible space is a thin share of the inputs'
/// box, draws in the box seldom land in it, and a chain started in it
/// stays there.
public struct EmulatedChains: Sendable {
    /// The chains' kept states, each weighing the same.
    public var sample: WeightedSample
    /// Each chain's share of proposals accepted after its burn-in.
    public var acceptance: [Double]
    /// The sample's effective size: the smallest over the inputs of the
    /// chains' kept states over their integrated autocorrelation time.
    public var effectiveSize: Double
}

extension HistoryMatching {
    /// The posterior over the unit cube given the figures on `emulators`
    /// (the log likelihood of `posterior(...)`, emulator variance included)
    /// times `logPrior` (uniform when nil), zero where `screen` says no:
    /// one chain from each of `starts`, on its own stream, `steps` steps of
    /// which the first `burnIn` adapt the step (to an acceptance near a
    /// quarter) and are left out, every `thin`-th state kept. Chains run on
    /// `threads` threads; each is a function of its start and stream alone.
    public static func chains(starts: [[Double]], emulators: [Emulator], figures: [CalibrationFigure],
                              logPrior: (@Sendable ([Double]) -> Double)? = nil, screen: (@Sendable ([Double]) -> Bool)? = nil,
                              steps: Int, burnIn: Int, thin: Int, threads: Int, streams: [RandomStream]) -> EmulatedChains {
        precondition(starts.count == streams.count && steps > burnIn && thin >= 1)
        @Sendable func logTarget(_ x: [Double]) -> Double {
            guard x.allSatisfy({ $0 >= 0 && $0 <= 1 }), screen?(x) ?? true else { return -.infinity }
            var logLikelihood = 0.0
            for (e, z) in zip(emulators, figures) {
                let p = e.predict(x)
                let v = p.variance + z.variance, gap = z.gap(p.mean)
                logLikelihood += -0.5 * (gap * gap / v + log(v))
            }
            return logLikelihood + (logPrior?(x) ?? 0)
        }
        let runs = (try? WorkQueue.map(count: starts.count, workers: threads) { c -> (kept: [[Double]], acceptance: Double) in
            let draw = streams[c]
            var x = starts[c], current = logTarget(x), scale = 0.01
            var kept: [[Double]] = [], accepted = 0, acceptedNow = 0
            for step in 1...steps {
                let y = x.map { $0 + draw.normal(sd: scale) }
                let proposed = logTarget(y)
                if proposed.isFinite, log(draw.uniform()) < proposed - current {
                    (x, current) = (y, proposed)
                    acceptedNow += 1
                    if step > burnIn { accepted += 1 }
                }
                if step <= burnIn, step % 100 == 0 {
                    // Robbins-Monro-like: widen when most proposals pass, narrow when few do.
                    let rate = Double(acceptedNow) / 100
                    scale *= rate > 0.35 ? 1.3 : rate < 0.15 ? 0.7 : 1
                    acceptedNow = 0
                }
                if step > burnIn, (step - burnIn) % thin == 0 { kept.append(x) }
            }
            return (kept, Double(accepted) / Double(steps - burnIn))
        }) ?? []
        let points = runs.flatMap(\.kept)
        let d = starts.first?.count ?? 0
        let size = points.isEmpty ? 0 : (0..<d).map { k in runs.reduce(0.0) { $0 + effectiveSize($1.kept.map { $0[k] }) } }.min() ?? 0
        return EmulatedChains(sample: WeightedSample(points: points, weights: [Double](repeating: 1 / Double(max(points.count, 1)), count: points.count)),
                              acceptance: runs.map(\.acceptance), effectiveSize: size)
    }

    /// A series' effective size: its length over the integrated
    /// autocorrelation time, the autocorrelations summed in pairs while the
    /// pairs are positive (Geyer's initial positive sequence).
    static func effectiveSize(_ x: [Double]) -> Double {
        let n = x.count
        guard n > 2 else { return Double(n) }
        let mean = x.reduce(0, +) / Double(n)
        let centred = x.map { $0 - mean }
        let variance = centred.reduce(0) { $0 + $1 * $1 } / Double(n)
        guard variance > 0 else { return 1 }
        func rho(_ lag: Int) -> Double {
            var s = 0.0
            for i in 0..<(n - lag) { s += centred[i] * centred[i + lag] }
            return s / Double(n) / variance
        }
        var tau = -1.0, lag = 0
        while lag + 1 < n {
            let pair = rho(lag) + rho(lag + 1)
            if pair <= 0 { break }
            tau += 2 * pair
            lag += 2
        }
        return Double(n) / max(tau, 1)
    }
}
