import CGSL
import RetailStats
import XCTest

final class RandomStreamTests: XCTestCase {
    /// GSL's own test suite (rng/test.c): the 10,000th output of taus2 seeded
    /// with 1 and the 1,000th of mt19937 seeded with 4357.
    func testGeneratorsMatchGSLReferenceValues() throws {
        let taus = try RandomStream(algorithm: .taus2, seed: 1)
        var last: UInt = 0
        for _ in 0..<10_000 { last = taus.nextRaw() }
        XCTAssertEqual(last, 2_733_957_125)

        let mt = try RandomStream(algorithm: .mt19937, seed: 4357)
        for _ in 0..<1_000 { last = mt.nextRaw() }
        XCTAssertEqual(last, 1_186_927_261)
    }

    /// The inlined buffer fill is GSL's taus2, draw for draw.
    func testFastFillEqualsGSLUniform() throws {
        let key = StreamKey(seed: 7, replicate: 3, purpose: .weekly, chunk: 11)
        let a = try RandomStream(key: key), b = try RandomStream(key: key)
        var buffer = [Double](repeating: 0, count: 10_000)
        buffer.withUnsafeMutableBufferPointer { a.fillUniform($0) }
        for k in 0..<buffer.count {
            XCTAssertEqual(buffer[k], b.uniform(), "draw \(k)")
            if buffer[k] != buffer[k] { break }
        }
        // And the two stay in step after the fill.
        XCTAssertEqual(a.uniform(), b.uniform())
    }

    func testKeyedStreamsAreReproducibleAndDistinct() throws {
        func first(_ key: StreamKey) throws -> [Double] {
            let s = try RandomStream(key: key)
            return (0..<8).map { _ in s.uniform() }
        }
        let base = StreamKey(seed: 1, replicate: 1, purpose: .weekly, chunk: 0)
        XCTAssertEqual(try first(base), try first(base))
        var keys = [base]
        keys.append(StreamKey(seed: 2, replicate: 1, purpose: .weekly, chunk: 0))
        keys.append(StreamKey(seed: 1, replicate: 2, purpose: .weekly, chunk: 0))
        keys.append(StreamKey(seed: 1, replicate: 1, purpose: .attributes, chunk: 0))
        keys.append(StreamKey(seed: 1, replicate: 1, purpose: .weekly, chunk: 1))
        let sequences = try keys.map(first)
        XCTAssertEqual(Set(sequences.map { $0.description }).count, keys.count, "every key gives its own stream")
    }

    /// Sample moments of 200,000 draws within 5 standard errors of the truth.
    func testSampleMomentsOfLargeDraws() throws {
        let s = try RandomStream(key: StreamKey(seed: 42, replicate: 1, purpose: .attributes))
        let n = 200_000
        var buffer = [Double](repeating: 0, count: n)

        buffer.withUnsafeMutableBufferPointer { s.fillNormal($0, mean: 1.5, sd: 2) }
        var m = Summary(buffer)
        XCTAssertEqual(m.mean, 1.5, accuracy: 5 * 2 / sqrt(Double(n)))
        XCTAssertEqual(m.variance!, 4, accuracy: 5 * 4 * sqrt(2 / Double(n)))

        buffer.withUnsafeMutableBufferPointer { s.fillGamma($0, shape: 4, scale: 0.4) }
        m = Summary(buffer)
        XCTAssertEqual(m.mean, 1.6, accuracy: 5 * 0.8 / sqrt(Double(n)))
        XCTAssertEqual(m.variance!, 0.64, accuracy: 0.02)

        buffer.withUnsafeMutableBufferPointer { s.fillLogNormal($0, median: 45, sigma: 0.5) }
        m = Summary(buffer)
        XCTAssertEqual(m.quantile(0.5), 45, accuracy: 0.5)
        XCTAssertEqual(m.mean, 45 * exp(0.125), accuracy: 0.3)

        buffer.withUnsafeMutableBufferPointer { s.fillUniform($0) }
        m = Summary(buffer)
        XCTAssertEqual(m.mean, 0.5, accuracy: 5 * sqrt(1.0 / 12 / Double(n)))
        XCTAssertTrue(buffer.allSatisfy { $0 >= 0 && $0 < 1 })
    }

    /// Poisson by inversion has the Poisson distribution: its frequencies match
    /// the probability mass function (and GSL's own sampler's mean).
    func testPoissonByInversionHasPoissonFrequencies() throws {
        let s = try RandomStream(key: StreamKey(seed: 5, replicate: 1, purpose: .weekly))
        let n = 400_000
        for mean: Float in [0.3, 1.6, 6.0] {
            var counts = [Int](repeating: 0, count: 60)
            var gslTotal = 0
            for _ in 0..<n {
                counts[min(poissonByInversion(mean: mean, uniform: s.uniform()), 59)] += 1
                gslTotal += s.poisson(mean: Double(mean))
            }
            let lambda = Double(mean)
            var pmf = exp(-lambda)
            for k in 0..<15 {
                let expected = Double(n) * pmf
                if expected > 50 {
                    let se = sqrt(expected * (1 - pmf))
                    XCTAssertEqual(Double(counts[k]), expected, accuracy: 5 * se, "mean \(mean), k = \(k)")
                }
                pmf *= lambda / Double(k + 1)
            }
            XCTAssertEqual(Double(gslTotal) / Double(n), lambda, accuracy: 5 * sqrt(lambda / Double(n)))
            var batch = [Int32](repeating: 0, count: n)
            batch.withUnsafeMutableBufferPointer { s.fillPoisson($0, mean: lambda) }
            let m = Summary(batch.map(Double.init))
            XCTAssertEqual(m.mean, lambda, accuracy: 5 * sqrt(lambda / Double(n)))
            XCTAssertEqual(m.variance!, lambda, accuracy: 0.03 * lambda)
        }
    }

    func testBinomialAndMultinomialDraws() throws {
        let s = try RandomStream(key: StreamKey(seed: 21, replicate: 1, purpose: .weekly))
        let n = 50_000
        var total = 0
        for _ in 0..<n { total += s.binomial(trials: 20, p: 0.3) }
        XCTAssertEqual(Double(total) / Double(n), 6, accuracy: 5 * sqrt(20 * 0.21 / Double(n)))

        let p = [0.5, 0.3, 0.15, 0.05]
        var counts = [UInt32](repeating: 0, count: 4)
        var sums = [Double](repeating: 0, count: 4)
        for _ in 0..<n {
            s.multinomial(trials: 10, probabilities: p, into: &counts)
            XCTAssertEqual(counts.reduce(0, +), 10)
            for k in 0..<4 { sums[k] += Double(counts[k]) }
        }
        for k in 0..<4 {
            XCTAssertEqual(sums[k] / Double(n * 10), p[k], accuracy: 5 * sqrt(p[k] * (1 - p[k]) / Double(n * 10)))
        }
    }

    func testDiscreteTableDrawsInProportion() throws {
        let s = try RandomStream(key: StreamKey(seed: 9, replicate: 1, purpose: .placement))
        let table = try DiscreteTable(weights: [1, 2, 7])
        var counts = [0, 0, 0]
        let n = 100_000
        for _ in 0..<n { counts[table.draw(s)] += 1 }
        for (k, p) in [0.1, 0.2, 0.7].enumerated() {
            XCTAssertEqual(Double(counts[k]) / Double(n), p, accuracy: 5 * sqrt(p * (1 - p) / Double(n)))
        }
        XCTAssertThrowsError(try DiscreteTable(weights: [1, -1]))
        XCTAssertThrowsError(try DiscreteTable(weights: []))
        XCTAssertThrowsError(try DiscreteTable(weights: [0, 0]))
    }
}

final class RandomLanesTests: XCTestCase {
    /// Every lane is GSL's taus2 on its own key, draw for draw.
    func testEachLaneIsGSLTaus2() throws {
        let key = StreamKey(seed: 42, replicate: 3, purpose: .weekly, chunk: 17)
        var lanes = try RandomLanes(key: key)
        let streams = try (0..<RandomLanes.width).map { try RandomStream(key: key.lane($0)) }
        for _ in 0..<10_000 {
            let raw = lanes.nextRaw()
            for j in 0..<RandomLanes.width { XCTAssertEqual(UInt(raw[j]), streams[j].nextRaw()) }
        }
        // Uniforms are the top 24 bits of the next output.
        let u = lanes.next()
        for j in 0..<RandomLanes.width {
            let raw = streams[j].nextRaw()
            XCTAssertEqual(u[j], Float(raw >> 8) / 16_777_216)
            XCTAssertLessThan(u[j], 1)
        }
    }

    /// Lanes and chunks are distinct streams, and a key without a lane keeps its stream.
    func testLanesAreDistinctStreams() throws {
        let key = StreamKey(seed: 1, replicate: 0, purpose: .weekly, chunk: 0)
        var lanes = try RandomLanes(key: key)
        let first = lanes.nextRaw()
        XCTAssertEqual(Set((0..<RandomLanes.width).map { first[$0] }).count, RandomLanes.width)
        var other = try RandomLanes(key: StreamKey(seed: 1, replicate: 0, purpose: .weekly, chunk: 1))
        XCTAssertNotEqual(other.nextRaw(), first)
        XCTAssertNotEqual(key.bits.0, key.lane(0).bits.0)
        XCTAssertEqual(key.bits.0, StreamKey(seed: 1, replicate: 0, purpose: .weekly, chunk: 0).bits.0)
    }

    /// Uniforms are flat: each of 16 bins within 4 % of its expected count in 8 x 100,000 draws.
    func testUniformsAreFlat() throws {
        var lanes = try RandomLanes(key: StreamKey(seed: 7, replicate: 0, purpose: .weekly, chunk: 2))
        var bins = [Int](repeating: 0, count: 16)
        for _ in 0..<100_000 {
            let u = lanes.next()
            for j in 0..<RandomLanes.width { bins[Int(u[j] * 16)] += 1 }
        }
        for b in bins { XCTAssertEqual(Double(b), 50_000, accuracy: 2_000) }
    }
}
