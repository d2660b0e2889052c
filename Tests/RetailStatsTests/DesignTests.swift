import CGSL
import RetailStats
import XCTest

/// Quasi-random and stratified designs, and the Sobol sensitivity estimator.
final class DesignTests: XCTestCase {
    /// SobolSequence gives GSL's sequence point for point, starting at the centre.
    func testSobolSequenceIsGSLs() throws {
        let points = try SobolSequence.points(200, dimensions: 5)
        XCTAssertEqual(points[0], [0.5, 0.5, 0.5, 0.5, 0.5])
        XCTAssertEqual(Array(points[1].prefix(3)), [0.75, 0.25, 0.75])
        let q = gsl_qrng_alloc(retailsim_qrng_sobol(), 5)!
        defer { gsl_qrng_free(q) }
        var x = [Double](repeating: 0, count: 5)
        for k in 0..<200 {
            XCTAssertEqual(x.withUnsafeMutableBufferPointer { gsl_qrng_get(q, $0.baseAddress) }, 0)
            XCTAssertEqual(points[k], x, "point \(k)")
        }
        XCTAssertThrowsError(try SobolSequence(dimensions: 0))
        XCTAssertThrowsError(try SobolSequence(dimensions: SobolSequence.maxDimensions + 1))
        // Low discrepancy: 256 points put 64 in each quarter of every axis, give
        // or take the one that GSL's start at the centre instead of the corner shifts.
        let many = try SobolSequence.points(256, dimensions: 3)
        for axis in 0..<3 {
            var quarters = [0, 0, 0, 0]
            for p in many { quarters[Int(p[axis] * 4)] += 1 }
            XCTAssertTrue(quarters.allSatisfy { abs($0 - 64) <= 1 }, "axis \(axis): \(quarters)")
        }
    }

    /// Every stratum of every dimension holds exactly one point; the same key
    /// gives the same sample.
    func testLatinHypercubeStrata() throws {
        let key = StreamKey(seed: 3, replicate: 0, purpose: .design)
        for (n, d) in [(1, 1), (7, 3), (50, 4), (333, 2)] {
            let sample = LatinHypercube.sample(points: n, dimensions: d, stream: try RandomStream(key: key))
            XCTAssertEqual(sample.count, n)
            for k in 0..<d {
                let strata = sample.map { Int($0[k] * Double(n)) }.sorted()
                XCTAssertEqual(strata, Array(0..<n), "n \(n), dimension \(k)")
                XCTAssertTrue(sample.allSatisfy { $0[k] >= 0 && $0[k] < 1 })
            }
            XCTAssertEqual(sample, LatinHypercube.sample(points: n, dimensions: d, stream: try RandomStream(key: key)))
        }
        // Dimensions are paired at random, not in step.
        let s = LatinHypercube.sample(points: 50, dimensions: 2, stream: try RandomStream(key: key))
        XCTAssertNotEqual(s.map { Int($0[0] * 50) }, s.map { Int($0[1] * 50) })
    }

    /// Saltelli's layout: A, B, then A with one coordinate from B.
    func testSaltelliDesignLayout() throws {
        let design = SaltelliDesign(baseSamples: 16, dimensions: 3)
        let points = try design.points()
        XCTAssertEqual(points.count, 16 * 5)
        let sobol = try SobolSequence.points(16, dimensions: 6)
        for j in 0..<16 {
            let a = points[j * 5], b = points[j * 5 + 1]
            XCTAssertEqual(a + b, sobol[j])
            for i in 0..<3 {
                var expected = a
                expected[i] = b[i]
                XCTAssertEqual(points[j * 5 + 2 + i], expected)
            }
        }
    }

    private func indices(of f: ([Double]) -> Double, over box: ClosedRange<Double>, dimensions: Int, baseSamples: Int) throws -> [SobolIndex] {
        let design = SaltelliDesign(baseSamples: baseSamples, dimensions: dimensions)
        let outputs = try design.points().map { u in f(u.map { box.lowerBound + (box.upperBound - box.lowerBound) * $0 }) }
        return try design.indices(outputs: outputs, bootstrapSamples: 500,
                                  stream: try RandomStream(key: StreamKey(seed: 1, replicate: 0, purpose: .design)))
    }

    /// The Ishigami function's indices are known in closed form (a = 7, b = 0.1):
    /// S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    func testIshigamiIndices() throws {
        let a = 7.0, b = 0.1
        let ishigami: ([Double]) -> Double = { x in sin(x[0]) + a * pow(sin(x[1]), 2) + b * pow(x[2], 4) * sin(x[0]) }
        // Closed forms (Ishigami and Homma 1990; Sobol' and Levitan 1999).
        let v1 = 0.5 * pow(1 + b * pow(Double.pi, 4) / 5, 2)
        let v2 = a * a / 8
        let v13 = b * b * pow(Double.pi, 8) * (1.0 / 18 - 1.0 / 50)
        let v = v1 + v2 + v13
        let first = [v1 / v, v2 / v, 0], total = [(v1 + v13) / v, v2 / v, v13 / v]
        XCTAssertEqual(first[0], 0.3139, accuracy: 1e-4)
        XCTAssertEqual(total[2], 0.2437, accuracy: 1e-4)

        let found = try indices(of: ishigami, over: -Double.pi...Double.pi, dimensions: 3, baseSamples: 8192)
        for i in 0..<3 {
            XCTAssertEqual(found[i].firstOrder, first[i], accuracy: 0.03, "S\(i + 1)")
            XCTAssertEqual(found[i].total, total[i], accuracy: 0.03, "ST\(i + 1)")
            XCTAssertTrue(found[i].firstOrderCI95.contains(found[i].firstOrder))
            XCTAssertLessThan(found[i].firstOrderCI95.upperBound - found[i].firstOrderCI95.lowerBound, 0.2)
            XCTAssertTrue(found[i].totalCI95.lowerBound - 0.01 <= total[i] && total[i] <= found[i].totalCI95.upperBound + 0.01, "ST\(i + 1) interval")
        }
    }

    /// An additive function's first-order and total indices agree and follow
    /// its coefficients: f = x1 + 2 x2 + 0 x3 on the unit cube gives 1/5, 4/5, 0.
    func testAdditiveFunctionIndices() throws {
        let found = try indices(of: { $0[0] + 2 * $0[1] + 0 * $0[2] }, over: 0...1, dimensions: 3, baseSamples: 4096)
        for (i, expected) in [0.2, 0.8, 0.0].enumerated() {
            XCTAssertEqual(found[i].firstOrder, expected, accuracy: 0.02)
            XCTAssertEqual(found[i].total, expected, accuracy: 0.02)
        }
        XCTAssertEqual(found[2].total, 0, accuracy: 1e-12)
    }

    func testConstantOutputIsRefused() throws {
        XCTAssertThrowsError(try indices(of: { _ in 1 }, over: 0...1, dimensions: 2, baseSamples: 64))
    }
}
