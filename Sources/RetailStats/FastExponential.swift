/// exp and log in single precision written with plain arithmetic and bit
/// operations, so that a loop over a block of shoppers compiles to vector
/// instructions (a call to libm's expf or logf in a loop cannot be vectorised).
/// Accuracy: within 2e-7 relative of the exact value for exp on [-87, 88]
/// (inputs beyond are clamped, so exp never overflows or goes subnormal), and
/// within 3e-7 absolute for log on normal positive inputs; RetailStatsTests
/// checks both against Foundation. Both are single-precision-rounded already,
/// so these cost no reported figure anything.
public enum FastExponential {
    /// e^x for x clamped to [-87, 88].
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let x = Swift.min(Swift.max(x, -87), 88)
        // n = round(x / ln 2) by the 1.5 * 2^23 trick: its bits also give n as an integer.
        let shifted = x * 1.442695041 + 12_582_912
        let n = shifted - 12_582_912
        let nBits = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
        // r = x - n ln 2 in two parts (Cody and Waite), |r| <= ln 2 / 2.
        let r = (x - n * 0.693_145_751_953_125) - n * 1.428_606_765_330_187e-6
        // e^r by its Taylor series to r^7 / 7!: error below 2e-8 on |r| <= 0.347.
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let scale = Float(bitPattern: UInt32(bitPattern: (nBits &+ 127) &<< 23))
        return p * scale
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
