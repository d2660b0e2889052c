import Foundation
import RetailStats
import XCTest

/// The vectorisable exp and log the hot loop uses agree with Foundation's to
/// single precision over every input the model gives them.
final class FastExponentialTests: XCTestCase {
    func testExpIsWithinSinglePrecisionOfFoundation() {
        var worst = 0.0
        for k in 0...174_000 {
            let x = Float(-86 + Double(k) * 0.001)
            let exact = Foundation.exp(Double(x))
            // The bound of the doc comment: the polynomial's error and the rounding of x log2 e.
            worst = max(worst, abs(Double(FastExponential.exp(x)) - exact) / exact / (3e-7 + 7e-8 * abs(Double(x))))
        }
        XCTAssertLessThan(worst, 1)
        // Clamped, never infinite or subnormal.
        XCTAssertEqual(FastExponential.exp(-1000), FastExponential.exp(-86))
        XCTAssertTrue(FastExponential.exp(-1000).isNormal)
        XCTAssertTrue(FastExponential.exp(1000).isFinite)
        XCTAssertEqual(FastExponential.exp(0), 1)
    }

    /// The eight-lane forms give each lane the scalar form's bits.
    func testLanesGiveTheScalarBits() {
        var x: Float = -100
        while x < 100 {
            var v = SIMD8<Float>()
            for j in 0..<8 { v[j] = x + Float(j) * 0.0137 }
            let e = FastExponential.exp(v), l = FastExponential.log(FastExponential.exp(v))
            for j in 0..<8 {
                XCTAssertEqual(e[j].bitPattern, FastExponential.exp(v[j]).bitPattern)
                XCTAssertEqual(l[j].bitPattern, FastExponential.log(FastExponential.exp(v[j])).bitPattern)
            }
            x += 0.173
        }
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
