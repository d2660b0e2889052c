import Dispatch
import Foundation

/// One figure a calibration is to reproduce: its published value and the
/// variance of the gap allowed between it and the model's expectation
/// (observation error and model discrepancy together).
public struct CalibrationFigure: Sendable {
    /// Which side of the figure the model may not cross: both, or only above
    /// (a ceiling) or only below (a floor); a one-sided figure says nothing
    /// about a model on its allowed side.
    public enum Bound: Sendable { case both, ceiling, floor }

    public var observed: Double
    public var variance: Double
    public var bound: Bound

    public init(observed: Double, variance: Double, bound: Bound = .both) {
        precondition(variance > 0 && observed.isFinite, "a figure needs a finite value and a positive variance")
        (self.observed, self.variance, self.bound) = (observed, variance, bound)
    }

    /// The gap between the figure and an expectation `mean` that counts: the
    /// whole gap for a two-sided figure, only a crossing for a bound.
    public func gap(_ mean: Double) -> Double {
        switch bound {
        case .both: return observed - mean
        case .ceiling: return min(0, observed - mean)
        case .floor: return max(0, observed - mean)
        }
    }
}

/// Points with weights: a posterior sample.
public struct WeightedSample: Sendable {
    public var points: [[Double]]
    /// Normalised to sum to 1.
    public var weights: [Double]

    public init(points: [[Double]], weights: [Double]) {
        (self.points, self.weights) = (points, weights)
    }

    /// Kish's effective sample size, 1 / sum(w^2).
    public var effectiveSize: Double { 1 / weights.reduce(0) { $0 + $1 * $1 } }

    /// The weighted mean of each coordinate.
    public var mean: [Double] {
        guard let d = points.first?.count else { return [] }
        var m = [Double](repeating: 0, count: d)
        for (x, w) in zip(points, weights) { for k in 0..<d { m[k] += w * x[k] } }
        return m
    }

    /// The weighted covariance (d x d, row-major).
    public var covariance: [Double] {
        let m = mean, d = m.count
        var c = [Double](repeating: 0, count: d * d)
        for (x, w) in zip(points, weights) {
            for i in 0..<d { for j in 0..<d { c[i * d + j] += w * (x[i] - m[i]) * (x[j] - m[j]) } }
        }
        return c
    }
}

/// History matching and the posterior it leads to, on emulators (Vernon,
/// Goldstein and Bower 2010): an input is implausible when an emulator's
/// expectation there is further from its figure than `cutoff` standard
/// deviations (emulator, observation and discrepancy together); the space
/// left is searched in rounds, each drawing candidates in the box that holds
/// the last round's plausible points; the posterior over what is left
/// weights each candidate by the prior and the figures' Gaussian likelihood
/// given the emulators, so it carries the emulators' own uncertainty.
public enum HistoryMatching {
    /// What rules a point out: a second figure beyond `cutoff` (one figure
    /// the model misses everywhere does not rule out the whole space), or
    /// one beyond `oneFigureCutoff`.
    public struct Rule: Sendable, Equatable {
        public var cutoff: Double
        public var oneFigureCutoff: Double

        public init(cutoff: Double, oneFigureCutoff: Double) {
            self.cutoff = cutoff
            self.oneFigureCutoff = oneFigureCutoff
        }

        /// Whether `implausibilities` rule the point out; a lazy sequence is
        /// read only until they do.
        public func rulesOut(_ implausibilities: some Sequence<Double>) -> Bool {
            var beyond = 0
            for i in implausibilities {
                if i > oneFigureCutoff { return true }
                if i > cutoff {
                    beyond += 1
                    if beyond == 2 { return true }
                }
            }
            return false
        }
    }

    /// Each figure's implausibility at `x`: |z - E f(x)| / sqrt(Var f(x) + Var z).
    public static func implausibility(_ x: [Double], emulators: [Emulator], figures: [CalibrationFigure]) -> [Double] {
        precondition(emulators.count == figures.count, "one emulator per figure")
        return zip(emulators, figures).map { e, z in
            let p = e.predict(x)
            return abs(z.gap(p.mean)) / (p.variance + z.variance).squareRoot()
        }
    }

    /// Whether emulator `e` puts figure `z` beyond `cutoff` at `x`: the
    /// emulator's mean first, and its variance (an O(n^2) solve) only when
    /// the mean's gap passes the cutoff on the figure's own error alone.
    public static func isBeyond(_ x: [Double], emulator e: Emulator, figure z: CalibrationFigure, cutoff: Double) -> Bool {
        implausibility(x, emulator: e, figure: z, over: cutoff) > cutoff
    }

    /// Figure `z`'s implausibility at `x`, or 0 when the emulator's mean
    /// alone shows it within `cutoff` (the variance's solve skipped).
    public static func implausibility(_ x: [Double], emulator e: Emulator, figure z: CalibrationFigure, over cutoff: Double) -> Double {
        let gap = abs(z.gap(e.mean(x)))
        guard gap > cutoff * z.variance.squareRoot() else { return 0 }
        return gap / (e.predict(x).variance + z.variance).squareRoot()
    }

    /// The posterior over `lower`...`upper` given the figures, its prior's
    /// log density `logPrior` (uniform over the box when nil), from `rounds`
    /// rounds of `candidates` points drawn by `draw` (uniforms in [0, 1) for
    /// one coordinate each); a round keeps the points whose largest
    /// implausibility is within `cutoff`, and the next draws in their box,
    /// widened by a tenth. The last round's candidates carry the weights, so
    /// the posterior must lie within the box the rounds close in on (the
    /// cutoff of 3 leaves about 1 in 370 of a Gaussian figure's mass outside).
    /// `screen`, when given, rules points out before the emulators see them
    /// (earlier waves' implausibility, outside which these emulators were not trained).
    /// Candidates are drawn in order and judged on `threads` threads, so the
    /// sample does not depend on the thread count.
    public static func posterior(lower: [Double], upper: [Double], emulators: [Emulator], figures: [CalibrationFigure],
                                 logPrior: (@Sendable ([Double]) -> Double)? = nil, rounds: Int = 3, candidates: Int = 20_000,
                                 cutoff: Double = 3, screen: (@Sendable ([Double]) -> Bool)? = nil, threads: Int = 1,
                                 draw: () -> Double) -> (sample: WeightedSample, boxes: [(lower: [Double], upper: [Double])]) {
        precondition(rounds >= 1 && candidates >= 1 && lower.count == upper.count)
        let d = lower.count
        var box = (lower: lower, upper: upper)
        var boxes = [box]
        var points: [[Double]] = [], logWeights: [Double] = []
        for round in 1...rounds {
            let drawn = (0..<candidates).map { _ in (0..<d).map { box.lower[$0] + draw() * (box.upper[$0] - box.lower[$0]) } }
            // Each candidate: nil when screened out, else its log weight and whether it is plausible.
            let judged = (try? WorkQueue.map(count: drawn.count, workers: threads) { i -> (logWeight: Double, plausible: Bool)? in
                let x = drawn[i]
                if let screen, !screen(x) { return nil }
                var logLikelihood = 0.0, worst = 0.0
                for (e, z) in zip(emulators, figures) {
                    let p = e.predict(x)
                    let v = p.variance + z.variance, gap = z.gap(p.mean)
                    worst = max(worst, abs(gap) / v.squareRoot())
                    logLikelihood += -0.5 * (gap * gap / v + log(v))
                }
                return (logLikelihood + (logPrior?(x) ?? 0), worst <= cutoff)
            }) ?? []
            points = []
            logWeights = []
            var kept: [[Double]] = []
            for (x, j) in zip(drawn, judged) {
                guard let j else { continue }
                if j.plausible { kept.append(x) }
                points.append(x)
                logWeights.append(j.logWeight)
            }
            guard round < rounds, !kept.isEmpty else { break }
            // The next round draws in the box of the plausible points, widened a little and kept within the prior's.
            for k in 0..<d {
                let low = kept.map { $0[k] }.min()!, high = kept.map { $0[k] }.max()!
                let pad = 0.1 * max(high - low, 1e-9 * (upper[k] - lower[k]))
                box.lower[k] = max(lower[k], low - pad)
                box.upper[k] = min(upper[k], high + pad)
            }
            boxes.append(box)
        }
        let top = logWeights.max() ?? 0
        var weights = logWeights.map { $0.isFinite ? exp($0 - top) : 0 }
        let total = weights.reduce(0, +)
        guard total > 0 else { return (WeightedSample(points: [], weights: []), boxes) }
        weights = weights.map { $0 / total }
        return (WeightedSample(points: points, weights: weights), boxes)
    }
}
