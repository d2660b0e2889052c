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
