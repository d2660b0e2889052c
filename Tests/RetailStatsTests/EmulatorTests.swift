import Foundation
import RetailStats
import XCTest

/// The Gaussian-process emulator history matching stands on.
final class EmulatorTests: XCTestCase {
    private func design(_ n: Int, _ d: Int, seed: UInt) throws -> [[Double]] {
        let stream = try RandomStream(seed: seed)
        return (0..<n).map { _ in (0..<d).map { _ in stream.uniform() } }
    }

    /// A smooth function without noise: the emulator passes through its
    /// runs, predicts between them closely, and is sure only where it has run.
    func testASmoothFunctionIsInterpolatedAndItsErrorBounded() throws {
        func f(_ x: [Double]) -> Double { sin(4 * x[0]) + x[1] * x[1] - 0.5 * x[0] * x[1] }
        let inputs = try design(40, 2, seed: 3)
        let e = try Emulator.fit(inputs: inputs, outputs: inputs.map(f), lower: [0, 0], upper: [1, 1])
        for x in inputs.prefix(10) {
            let p = e.predict(x)
            XCTAssertEqual(p.mean, f(x), accuracy: 1e-3, "at a run")
            XCTAssertLessThan(p.variance, 1e-4)
        }
        var inside = 0
        let tries = try design(200, 2, seed: 4)
        for x in tries {
            let p = e.predict(x)
            XCTAssertEqual(p.mean, f(x), accuracy: 0.05, "between runs")
            if abs(p.mean - f(x)) <= 3 * sqrt(p.variance) + 1e-6 { inside += 1 }
        }
        XCTAssertGreaterThan(inside, 190, "the error within 3 sd nearly everywhere")
        // Far from the runs it falls back on its linear mean and says it is unsure.
        XCTAssertGreaterThan(e.predict([3, 3]).variance, 100 * e.predict(tries[0]).variance)
    }

    /// A noisy simulation: the nugget takes its noise (variance 0.01), the
    /// emulator predicts the expectation, and its 95 % band about the
    /// expectation holds it at about 95 % of untried points.
    func testNoiseGoesToTheNuggetAndTheBandCoversTheExpectation() throws {
        func f(_ x: [Double]) -> Double { 2 + 3 * x[0] - x[1] + 0.8 * cos(5 * x[2]) }
        let inputs = try design(120, 3, seed: 7)
        let noise = try RandomStream(seed: 8)
        let e = try Emulator.fit(inputs: inputs, outputs: inputs.map { f($0) + noise.normal(sd: 0.1) }, lower: [0, 0, 0], upper: [1, 1, 1])
        XCTAssertEqual(e.noiseVariance, 0.01, accuracy: 0.005)
        let tries = try design(400, 3, seed: 9)
        let covered = tries.filter { x in
            let p = e.predict(x)
            return abs(p.mean - f(x)) <= 1.96 * sqrt(p.variance)
        }.count
        XCTAssertGreaterThan(covered, 340, "\(covered) of 400 inside the 95 % band")
        XCTAssertLessThan(tries.map { abs(e.predict($0).mean - f($0)) }.max()!, 0.25)
    }

    /// Of eight inputs a figure depends on two: the forward selection finds
    /// them and stops, and the emulator that reads only them predicts from
    /// whole points, the others' effect (none) left to its nugget.
    func testActiveInputsAreTheOnesThatMatter() throws {
        func f(_ x: [Double]) -> Double { 2 * x[1] + sin(3 * x[5]) }
        let inputs = try design(80, 8, seed: 21)
        let noise = try RandomStream(seed: 22)
        let outputs = inputs.map { f($0) + noise.normal(sd: 0.02) }
        let active = Emulator.activeInputs(inputs: inputs, outputs: outputs, most: 5)
        XCTAssertEqual(Set(active.prefix(2)), [1, 5], "\(active)")
        XCTAssertLessThanOrEqual(active.count, 3, "stops when an input no longer pays: \(active)")
        let e = try Emulator.fit(inputs: inputs, outputs: outputs, lower: [Double](repeating: 0, count: 8),
                                 upper: [Double](repeating: 1, count: 8), active: [1, 5])
        XCTAssertEqual(e.active, [1, 5])
        for x in try design(50, 8, seed: 23) { XCTAssertEqual(e.predict(x).mean, f(x), accuracy: 0.05) }
        // The screens' shortcut: the mean alone is predict's mean, and a figure is beyond the
        // cutoff by the mean and the variance together exactly when predict says so.
        for (k, x) in try design(200, 8, seed: 24).enumerated() {
            let p = e.predict(x)
            XCTAssertEqual(e.mean(x), p.mean, accuracy: 1e-12)
            let z = CalibrationFigure(observed: f(x) + 0.02 * Double(k % 7 - 3), variance: 1e-4)
            XCTAssertEqual(HistoryMatching.isBeyond(x, emulator: e, figure: z, cutoff: 3),
                           abs(z.gap(p.mean)) > 3 * (p.variance + z.variance).squareRoot())
        }
        XCTAssertThrowsError(try Emulator.fit(inputs: inputs, outputs: outputs, lower: [0], upper: [1], active: [1])) {
            XCTAssertTrue("\($0)".contains("not distinct indices below 1"), "\($0)")
        }
    }

    /// A ceiling counts only a model above it, a floor only one below.
    /// History matching's rule: one figure may miss by up to the one-figure
    /// cutoff (a figure the model misses everywhere must not rule out the
    /// whole space); two beyond the cutoff, or one beyond the larger one, rule the point out.
    func testTheRuleAllowsOneMissButNotTwoNorAFarOne() {
        let rule = HistoryMatching.Rule(cutoff: 3, oneFigureCutoff: 4)
        XCTAssertFalse(rule.rulesOut([0.5, 2.9, 1]))
        XCTAssertFalse(rule.rulesOut([0.5, 3.9, 1]), "one figure between the cutoffs is allowed")
        XCTAssertTrue(rule.rulesOut([3.1, 0, 3.2]), "two beyond the cutoff")
        XCTAssertTrue(rule.rulesOut([0, 4.1]), "one beyond the one-figure cutoff")
        XCTAssertFalse(rule.rulesOut([Double]()))
        var read = 0
        XCTAssertTrue(rule.rulesOut([5.0, 0, 0, 0].lazy.map { read += 1; return $0 }))
        XCTAssertEqual(read, 1, "read only until the point is out")
    }

    func testABoundCountsOnlyACrossing() {
        let ceiling = CalibrationFigure(observed: 1, variance: 1, bound: .ceiling)
        let floor = CalibrationFigure(observed: 1, variance: 1, bound: .floor)
        XCTAssertEqual(ceiling.gap(0.2), 0)
        XCTAssertEqual(ceiling.gap(1.5), -0.5)
        XCTAssertEqual(floor.gap(1.5), 0)
        XCTAssertEqual(floor.gap(0.2), 0.8, accuracy: 1e-12)
        XCTAssertEqual(CalibrationFigure(observed: 1, variance: 1).gap(1.5), -0.5)
    }

    /// Inputs an emulator cannot be fitted to are refused by name, never a GSL abort.
    func testBadTrainingSetsAreRefused() throws {
        XCTAssertThrowsError(try Emulator.fit(inputs: [[0], [1]], outputs: [0, 1], lower: [0], upper: [1])) {
            XCTAssertTrue("\($0)".contains("needs at least 4"), "\($0)")
        }
        XCTAssertThrowsError(try Emulator.fit(inputs: [[0], [0.3], [0.6], [1]], outputs: [0, .nan, 1, 2], lower: [0], upper: [1])) {
            XCTAssertTrue("\($0)".contains("output 2 is nan"), "\($0)")
        }
        XCTAssertThrowsError(try Emulator.fit(inputs: [[0], [0.3], [0.6], [1]], outputs: [0, 1, 1, 2], lower: [1], upper: [0])) {
            XCTAssertTrue("\($0)".contains("lower bound below the upper"), "\($0)")
        }
    }
}

/// History matching's posterior on a problem whose posterior is known in
/// closed form: three figures linear in two inputs, Gaussian errors, a flat
/// prior over a box much wider than the posterior.
final class EmulatedPosteriorTests: XCTestCase {
    func testALinearGaussianPosteriorIsRecovered() throws {
        let a = [[1.0, 1.0], [1.0, -2.0], [0.5, 0.0]]
        let truth = [0.4, 0.3], variance = 0.01
        func f(_ x: [Double]) -> [Double] { a.map { $0[0] * x[0] + $0[1] * x[1] } }
        let stream = try RandomStream(seed: 11)
        let inputs = (0..<30).map { _ in [-2 + 4 * stream.uniform(), -2 + 4 * stream.uniform()] }
        let emulators = try (0..<3).map { j in
            try Emulator.fit(inputs: inputs, outputs: inputs.map { f($0)[j] + stream.normal(sd: 1e-4) }, lower: [-2, -2], upper: [2, 2])
        }
        let observed = f(truth).map { $0 + 0.05 }
        let figures = observed.map { CalibrationFigure(observed: $0, variance: variance) }
        let (sample, boxes) = HistoryMatching.posterior(lower: [-2, -2], upper: [2, 2], emulators: emulators, figures: figures,
                                                        rounds: 3, candidates: 20_000) { stream.uniform() }
        XCTAssertLessThan(boxes.last!.upper[0] - boxes.last!.lower[0], 1, "the rounds close in on the plausible inputs")
        XCTAssertGreaterThan(sample.effectiveSize, 1000)
        assertClosedForm(sample, a: a, observed: observed, variance: variance, within: 0.1)
        // Every figure the posterior's mean leaves within 3 sd is plausible there.
        XCTAssertLessThan(HistoryMatching.implausibility(sample.mean, emulators: emulators, figures: figures).max()!, 3)
    }

    /// Metropolis chains on the emulators recover the same closed form, in
    /// the unit cube, the same on one thread as on two.
    func testChainsRecoverALinearGaussianPosterior() throws {
        let a = [[1.0, 1.0], [1.0, -2.0], [0.5, 0.0]]
        let truth = [0.4, 0.3], variance = 0.01
        func f(_ x: [Double]) -> [Double] { a.map { $0[0] * x[0] + $0[1] * x[1] } }
        let stream = try RandomStream(seed: 12)
        let inputs = (0..<30).map { _ in [stream.uniform(), stream.uniform()] }
        let emulators = try (0..<3).map { j in
            try Emulator.fit(inputs: inputs, outputs: inputs.map { f($0)[j] + stream.normal(sd: 1e-4) }, lower: [0, 0], upper: [1, 1])
        }
        let observed = f(truth).map { $0 + 0.05 }
        let figures = observed.map { CalibrationFigure(observed: $0, variance: variance) }
        func run(threads: Int) throws -> EmulatedChains {
            let starts = [[0.35, 0.25], [0.45, 0.35], [0.5, 0.2], [0.3, 0.4]]
            return HistoryMatching.chains(starts: starts, emulators: emulators, figures: figures, steps: 6000, burnIn: 1500, thin: 5,
                                          threads: threads, streams: try starts.indices.map { try RandomStream(seed: UInt(100 + $0)) })
        }
        let chains = try run(threads: 2)
        XCTAssertEqual(chains.sample.points, try run(threads: 1).sample.points, "each chain a function of its start and stream")
        XCTAssertTrue(chains.acceptance.allSatisfy { $0 > 0.1 && $0 < 0.5 }, "\(chains.acceptance)")
        XCTAssertGreaterThan(chains.effectiveSize, 200)
        assertClosedForm(chains.sample, a: a, observed: observed, variance: variance, within: 0.15)
    }

    /// Simulation-based calibration on the same problem: truths drawn from
    /// the flat prior on the cube, figures simulated at each with the stated
    /// error, the chains run again on the same emulators: each truth's rank
    /// among its posterior's draws is uniform, and its 90 % intervals hold
    /// about 90 % of truths, as `calibrate --recover` checks on the model.
    func testChainsAreCalibratedOverTruthsFromThePrior() throws {
        let a = [[1.0, 1.0], [1.0, -2.0], [0.5, 0.0]], variance = 0.01
        func f(_ x: [Double]) -> [Double] { a.map { $0[0] * x[0] + $0[1] * x[1] } }
        let stream = try RandomStream(seed: 13)
        let inputs = (0..<30).map { _ in [stream.uniform(), stream.uniform()] }
        let emulators = try (0..<3).map { j in
            try Emulator.fit(inputs: inputs, outputs: inputs.map { f($0)[j] + stream.normal(sd: 1e-4) }, lower: [0, 0], upper: [1, 1])
        }
        var ranks: [[Int]] = [[], []], covered = 0, cells = 0
        for k in 0..<80 {
            let truth = [stream.uniform(), stream.uniform()]
            let figures = f(truth).map { CalibrationFigure(observed: $0 + stream.normal(sd: variance.squareRoot()), variance: variance) }
            let starts = [[0.25, 0.25], [0.75, 0.75], [0.25, 0.75], [0.75, 0.25]]
            let chains = HistoryMatching.chains(starts: starts, emulators: emulators, figures: figures, steps: 2000, burnIn: 500, thin: 5,
                                                threads: 2, streams: try starts.indices.map { try RandomStream(seed: UInt(1000 + 10 * k + $0)) })
            let points = chains.sample.points
            let draws = (0..<99).map { points[$0 * points.count / 99] }
            for j in 0..<2 {
                ranks[j].append(draws.filter { $0[j] < truth[j] }.count)
                let sorted = points.map { $0[j] }.sorted()
                let (low, high) = (sorted[Int(0.05 * Double(sorted.count))], sorted[Int(0.95 * Double(sorted.count))])
                covered += low <= truth[j] && truth[j] <= high ? 1 : 0
                cells += 1
            }
        }
        for j in 0..<2 {
            var bins = [Int](repeating: 0, count: 5)
            for r in ranks[j] { bins[min(r * 5 / 100, 4)] += 1 }
            XCTAssertGreaterThan(ChiSquared.uniformity(bins), 0.001, "input \(j)'s ranks are uniform: \(bins)")
        }
        // 160 coordinates, 90 % expected: 3 sd of a binomial is 0.07.
        XCTAssertEqual(Double(covered) / Double(cells), 0.9, accuracy: 0.07)
    }

    /// A flat prior and figures z = A x + error of variance v: the posterior
    /// is Gaussian with precision A'A / v and mean P^-1 A'z / v.
    private func assertClosedForm(_ sample: WeightedSample, a: [[Double]], observed: [Double], variance: Double, within share: Double,
                                  file: StaticString = #filePath, line: UInt = #line) {
        var p = [[0.0, 0.0], [0.0, 0.0]], b = [0.0, 0.0]
        for (row, z) in zip(a, observed) {
            for i in 0..<2 {
                b[i] += row[i] * z / variance
                for j in 0..<2 { p[i][j] += row[i] * row[j] / variance }
            }
        }
        let det = p[0][0] * p[1][1] - p[0][1] * p[1][0]
        let cov = [[p[1][1] / det, -p[0][1] / det], [-p[1][0] / det, p[0][0] / det]]
        let mean = [cov[0][0] * b[0] + cov[0][1] * b[1], cov[1][0] * b[0] + cov[1][1] * b[1]]
        let c = sample.covariance
        for k in 0..<2 {
            let sd = cov[k][k].squareRoot()
            XCTAssertEqual(sample.mean[k], mean[k], accuracy: share * sd, "mean of input \(k)", file: file, line: line)
            XCTAssertEqual(c[k * 2 + k].squareRoot(), sd, accuracy: share * sd, "sd of input \(k)", file: file, line: line)
        }
        XCTAssertEqual(c[1] / (c[0] * c[3]).squareRoot(), cov[0][1] / (cov[0][0] * cov[1][1]).squareRoot(), accuracy: 0.05, "correlation",
                       file: file, line: line)
    }
}
