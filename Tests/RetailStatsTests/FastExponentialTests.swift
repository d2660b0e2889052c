import Foundation
import RetailStats
import XCTest

/// The vectorisable exp and log the hot loop uses agree with Foundation's to
/// single precision over every input the model gives them.
final class FastExponentialTests: XCTestCase {
    func testExpIsWithinSinglePrecisionOfFoundation() {
        var worst = 0.0
        for k in 0...175_000 {
            let x = Float(-87 + Double(k) * 0.001)
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(FastExponential.exp(x)) - exact) / exact)
        }
        XCTAssertLessThan(worst, 2.5e-7)
        // Clamped, never infinite or subnormal.
        XCTAssertEqual(FastExponential.exp(-1000), FastExponential.exp(-87))
        XCTAssertTrue(FastExponential.exp(1000).isFinite)
        XCTAssertEqual(FastExponential.exp(0), 1)
    }

    func testLogIsWithinSinglePrecisionOfFoundation() {
        var worst = 0.0
        var x: Float = 1e-30
        while x < 1e30 {
            worst = max(worst, abs(Double(FastExponential.log(x)) - Foundation.log(Double(x))))
            x *= 1.0137
        }
        XCTAssertLessThan(worst, 1e-5) // relative to |log x| up to 69
        for x: Float in [0.5, 0.70710677, 0.99, 1, 1.01, 1.4142135, 2, 3] {
            XCTAssertEqual(Double(FastExponential.log(x)), Foundation.log(Double(x)), accuracy: 3e-7, "log \(x)")
        }
    }
}
