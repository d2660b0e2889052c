import CGSL
import RetailStats
import XCTest

final class SummaryTests: XCTestCase {
    func testMomentsAndQuantilesOfAKnownSample() {
        let s = Summary([2, 4, 4, 4, 5, 5, 7, 9])
        XCTAssertEqual(s.count, 8)
        XCTAssertEqual(s.mean, 5)
        XCTAssertEqual(s.variance!, 32.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(s.quantile(0), 2)
        XCTAssertEqual(s.quantile(1), 9)
        XCTAssertEqual(s.quantile(0.5), 4.5)
        // GSL interpolates at (n - 1) p: 0.25 -> index 1.75 -> 4 + 0.75 * 0.
        XCTAssertEqual(s.quantile(0.25), 4)
        XCTAssertNil(Summary([3]).variance)
        XCTAssertNil(try Summary([3]).confidenceInterval())
    }

    /// Quantiles of Student's t from statistical tables.
    func testStudentTQuantiles() throws {
        XCTAssertEqual(try StudentT.quantile(0.975, degreesOfFreedom: 1), 12.706204736, accuracy: 1e-6)
        XCTAssertEqual(try StudentT.quantile(0.975, degreesOfFreedom: 4), 2.776445105, accuracy: 1e-6)
        XCTAssertEqual(try StudentT.quantile(0.975, degreesOfFreedom: 9), 2.262157163, accuracy: 1e-6)
        XCTAssertEqual(try StudentT.quantile(0.995, degreesOfFreedom: 30), 2.749995654, accuracy: 1e-6)
        XCTAssertEqual(try StudentT.quantile(0.975, degreesOfFreedom: 1e7), 1.959964, accuracy: 1e-5)
        XCTAssertEqual(StudentT.cdf(0, degreesOfFreedom: 5), 0.5, accuracy: 1e-12)
    }

    func testConfidenceIntervalIsStudentT() throws {
        let values = [0.31, 0.29, 0.30, 0.33, 0.28]
        let s = Summary(values)
        let ci = try XCTUnwrap(try s.confidenceInterval(level: 0.95))
        let half = 2.776445105 * s.standardDeviation! / sqrt(5)
        XCTAssertEqual(ci.lowerBound, s.mean - half, accuracy: 1e-9)
        XCTAssertEqual(ci.upperBound, s.mean + half, accuracy: 1e-9)
    }

    /// Bad arguments become Swift errors, never an abort inside GSL.
    func testBadArgumentsThrowInsteadOfAborting() {
        XCTAssertThrowsError(try StudentT.quantile(1.5, degreesOfFreedom: 3))
        XCTAssertThrowsError(try StudentT.quantile(0.5, degreesOfFreedom: 0))
        XCTAssertThrowsError(try StudentT.quantile(0.5, degreesOfFreedom: .nan))
        XCTAssertThrowsError(try GSL.check(Int32(GSL_EDOM), "a test"))
        XCTAssertNoThrow(try GSL.check(Int32(GSL_SUCCESS), "a test"))
        // With the abort handler off, GSL reports an error by its return value;
        // with it on, this call would abort the test process.
        _ = GSL.abortHandlerOff
        let weights: [Double] = [-1, 1]
        let table = weights.withUnsafeBufferPointer { gsl_ran_discrete_preproc(2, $0.baseAddress) }
        XCTAssertNil(table)
    }

    func testRunningMomentsAgreeWithSummary() {
        let values = (0..<1000).map { sin(Double($0)) * 3 + 1 }
        var running = RunningMoments()
        values.forEach { running.add($0) }
        let s = Summary(values)
        XCTAssertEqual(running.mean, s.mean, accuracy: 1e-12)
        XCTAssertEqual(running.variance, s.variance!, accuracy: 1e-10)
    }
}
