import CLanes

/// exp and log in single precision written with plain arithmetic and bit
/// operations, so that a loop over a block of households compiles to vector
/// instructions (a call to libm's expf or logf in a loop cannot be vectorised).
/// Accuracy: exp within 3e-7 + 7e-8 |x| relative of the exact value on
/// [-86, 88] (the polynomial's 2e-7 and the rounding of x log2 e; inputs
/// beyond are clamped, so exp never overflows or goes subnormal), log within
/// 3e-7 absolute on normal positive inputs; RetailStatsTests checks both
/// against Foundation. The model's exponents are utility differences of a
/// few units, so a choice weight is off by about 1e-6 of itself at most,
/// far below any reported figure's sampling error (docs/PERFORMANCE.md).
public enum FastExponential {
    /// e^x for x clamped to [-86, 88], as 2^y with y = x log2 e: 2^n by the
    /// exponent bits, 2^f (|f| <= 1/2) by a degree-5 minimax polynomial.
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let y = Swift.min(Swift.max(x, -86), 88) * 1.442_695_04
        // n = round(y) by the 1.5 * 2^23 trick: the low bits of `shifted` are n.
        let shifted = y + 12_582_912
        let f = y - (shifted - 12_582_912)
        var p: Float = 0.001_326_472_731_307_149
        p = p * f + 0.009_671_512_991_189_957
        p = p * f + 0.055_507_335_811_853_41
        p = p * f + 0.240_222_424_268_722_53
        p = p * f + 0.693_147_003_650_665_3
        p = p * f + 1
        // Adding n to the exponent field multiplies by 2^n (wrapping arithmetic on the bits).
        return Float(bitPattern: p.bitPattern &+ (shifted.bitPattern &<< 23))
    }

    /// The natural logarithm of a normal positive x.
    @inlinable @inline(__always)
    public static func log(_ x: Float) -> Float {
        // x = m 2^e with m in [sqrt(1/2), sqrt(2)), then log m = 2 atanh(s), s = (m - 1) / (m + 1).
        let bits = Int32(bitPattern: x.bitPattern)
        let shifted = bits &- 0x3F35_04F3  // the bits of sqrt(1/2)
        let e = shifted &>> 23
        let m = Float(bitPattern: UInt32(bitPattern: bits &- (e &<< 23)))
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        // 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), |s| <= 0.172: terms to s^11.
        var p: Float = 2.0 / 11
        p = p * s2 + 2.0 / 9
        p = p * s2 + 2.0 / 7
        p = p * s2 + 2.0 / 5
        p = p * s2 + 2.0 / 3
        p = p * s2 + 2
        return Float(e) * 0.693_147_180_559_945 + s * p
    }
}

/// The same exp and log, eight lanes at a time, for the weekly loop's vector
/// code: operation for operation the scalar forms above, so a lane gives the
/// scalar's bits (RetailStatsTests checks it).
extension FastExponential {
    /// e^x in each lane, x clamped to [-86, 88].
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let y = retailsim_min(retailsim_max(x, SIMD8(repeating: -86)), SIMD8(repeating: 88)) * 1.442_695_04
        let shifted = y + 12_582_912
        let f = y - (shifted - 12_582_912)
        var p = SIMD8<Float>(repeating: 0.001_326_472_731_307_149)
        p = p * f + 0.009_671_512_991_189_957
        p = p * f + 0.055_507_335_811_853_41
        p = p * f + 0.240_222_424_268_722_53
        p = p * f + 0.693_147_003_650_665_3
        p = p * f + 1
        let bits = unsafeBitCast(p, to: SIMD8<UInt32>.self) &+ (unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &<< 23)
        return unsafeBitCast(bits, to: SIMD8<Float>.self)
    }

    /// The natural logarithm in each lane of normal positive x.
    @inlinable @inline(__always)
    public static func log(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
        let e = (bits &- 0x3F35_04F3) &>> 23
        let m = unsafeBitCast(bits &- (e &<< 23), to: SIMD8<Float>.self)
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var p = SIMD8<Float>(repeating: 2.0 / 11)
        p = p * s2 + 2.0 / 9
        p = p * s2 + 2.0 / 7
        p = p * s2 + 2.0 / 5
        p = p * s2 + 2.0 / 3
        p = p * s2 + 2
        return retailsim_float(e) * 0.693_147_180_559_945 + s * p
    }
}
