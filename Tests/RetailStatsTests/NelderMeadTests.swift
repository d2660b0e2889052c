import RetailStats
import XCTest

final class NelderMeadTests: XCTestCase {
    /// Rosenbrock's banana valley: the minimum is at (1, 1), hard to reach
    /// along the curved floor.
    func testFindsRosenbrocksMinimum() throws {
        let result = try NelderMead.minimize(start: [-1.2, 1], steps: [0.5, 0.5], sizeTolerance: 1e-7, maxIterations: 5000) { x in
            100 * pow(x[1] - x[0] * x[0], 2) + pow(1 - x[0], 2)
        }
        XCTAssertTrue(result.converged)
        XCTAssertEqual(result.x[0], 1, accuracy: 1e-4)
        XCTAssertEqual(result.x[1], 1, accuracy: 1e-4)
        XCTAssertLessThan(result.value, 1e-8)
        XCTAssertGreaterThan(result.evaluations, result.iterations)
    }

    /// A quadratic bowl in six dimensions, the size of a calibration.
    func testFindsTheCentreOfASixDimensionalBowl() throws {
        let centre = [0.3, -1.2, 2.5, 0.0, -0.7, 1.1]
        let result = try NelderMead.minimize(start: [Double](repeating: 0, count: 6), steps: [Double](repeating: 0.5, count: 6),
                                             sizeTolerance: 1e-6, maxIterations: 10_000) { x in
            zip(x, centre).enumerated().reduce(0) { $0 + Double($1.offset + 1) * pow($1.element.0 - $1.element.1, 2) }
        }
        for (found, want) in zip(result.x, centre) { XCTAssertEqual(found, want, accuracy: 1e-4) }
    }

    /// An objective that fails ends the search with its own error, not a GSL abort.
    func testRethrowsTheObjectivesError() {
        struct Refused: Error {}
        var calls = 0
        XCTAssertThrowsError(try NelderMead.minimize(start: [0, 0], steps: [1, 1], sizeTolerance: 1e-6, maxIterations: 100) { x in
            calls += 1
            if calls == 5 { throw Refused() }
            return x[0] * x[0] + x[1] * x[1]
        }) { XCTAssertTrue($0 is Refused) }
        XCTAssertEqual(calls, 5)
    }

    /// The iteration limit stops the search and says it did not converge.
    func testStopsAtTheIterationLimit() throws {
        let result = try NelderMead.minimize(start: [5, 5], steps: [0.1, 0.1], sizeTolerance: 1e-12, maxIterations: 3) { x in
            x[0] * x[0] + x[1] * x[1]
        }
        XCTAssertFalse(result.converged)
        XCTAssertEqual(result.iterations, 3)
    }
}
