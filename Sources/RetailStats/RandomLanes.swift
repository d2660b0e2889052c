import CGSL
import CLanes

/// Eight GSL taus2 generators stepped together, one in each lane of a vector:
/// the weekly loop's source of uniforms, eight households at a time.
///
/// Lane j is GSL's own taus2 (L'Ecuyer 1996, `taus.c`), seeded by GSL from
/// `key.lane(j)`: `nextRaw()[j]` is, draw for draw, what `gsl_rng_get` returns
/// on that stream (RetailStatsTests checks it). The step is 32-bit integer
/// arithmetic only, so every instruction set gives the same bits.
public struct RandomLanes: Sendable {
    /// Lanes a draw fills.
    public static let width = 8

    public typealias Words = SIMD8<UInt32>
    public typealias Uniforms = SIMD8<Float>

    /// The three Tausworthe components' state, one word a lane.
    public var s1: Words, s2: Words, s3: Words

    /// Lane j seeded as `RandomStream(key: key.lane(j))`.
    public init(key: StreamKey) throws(GSLError) {
        var a = Words(), b = Words(), c = Words()
        for j in 0..<RandomLanes.width {
            let stream = try RandomStream(key: key.lane(j))
            var x: UInt32 = 0, y: UInt32 = 0, z: UInt32 = 0
            guard retailsim_taus2_state(stream.generator, &x, &y, &z) == 1 else {
                throw GSLError(status: Int32(GSL_EINVAL), context: "taus2 state of \(key.lane(j))")
            }
            a[j] = x
            b[j] = y
            c[j] = z
        }
        s1 = a
        s2 = b
        s3 = c
    }

    /// The next output of every lane, as `gsl_rng_get`.
    @inlinable @inline(__always)
    public mutating func nextRaw() -> Words {
        // taus.c: ((s & c) << d) ^ (((s << a) ^ s) >> b), the words being 32 bits.
        s1 = ((s1 & 4_294_967_294) &<< 12) ^ (((s1 &<< 13) ^ s1) &>> 19)
        s2 = ((s2 & 4_294_967_288) &<< 4) ^ (((s2 &<< 2) ^ s2) &>> 25)
        s3 = ((s3 & 4_294_967_280) &<< 17) ^ (((s3 &<< 3) ^ s3) &>> 11)
        return s1 ^ s2 ^ s3
    }

    /// The next uniform of every lane on [0, 1), in single precision: the top
    /// 24 bits of the output, so every value is exact and 1 is never reached
    /// (docs/PERFORMANCE.md gives the precision analysis).
    @inlinable @inline(__always)
    public mutating func next() -> Uniforms {
        let top = unsafeBitCast(nextRaw() &>> 8, to: SIMD8<Int32>.self)
        return retailsim_float(top) * (1 / 16_777_216)
    }

    /// `count` successive `next()` draws into `buffer`: a loop of nothing but
    /// the generator, which compiles to whole-vector instructions (stepped
    /// inside a larger loop, the compiler has been seen to split the lanes).
    public mutating func fill(_ buffer: UnsafeMutablePointer<Uniforms>, count: Int) {
        for i in 0..<count { buffer[i] = next() }
    }
}
