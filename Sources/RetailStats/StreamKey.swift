/// Identifies one random stream: the run's seed, the replicate, what the stream
/// is for, and the chunk of households it serves. Streams are keyed by chunk and
/// never by thread, so results do not depend on how many threads run.
public struct StreamKey: Hashable, Sendable, CustomStringConvertible {
    /// What a stream is used for; each purpose gets streams of its own so that
    /// changing one part of the model does not shift the numbers of another.
    public enum Purpose: UInt64, Sendable {
        case geography = 1
        case placement = 2
        case attributes = 3
        case weekly = 4
        case facilities = 5
        /// A sweep's design (Latin hypercube strata).
        case design = 6
        /// A retailer's price tests (which chunks are tested each quarter).
        case pricing = 7
        /// Each household's taste for the Walmart-like retailer's online
        /// channels (its own stream: the other attributes' draws stay as they were).
        case walmartTaste = 8
        /// Which point of a posterior sample a replicate runs at (`run.posterior`).
        case posterior = 9
    }

    public var seed: UInt64
    public var replicate: UInt64
    public var purpose: Purpose
    public var chunk: UInt64
    /// Which of a chunk's eight vector lanes (`RandomLanes`) the stream is;
    /// nil for a chunk's single stream.
    public var lane: Int?

    public init(seed: UInt64, replicate: Int, purpose: Purpose, chunk: Int = 0) {
        self.seed = seed
        self.replicate = UInt64(replicate)
        self.purpose = purpose
        self.chunk = UInt64(chunk)
    }

    /// 128 well-mixed bits derived from the key (SplitMix64 finaliser, chained).
    public var bits: (UInt64, UInt64) {
        var h = StreamKey.mix(seed &+ 0x9E37_79B9_7F4A_7C15)
        h = StreamKey.mix(h ^ (replicate &* 0xD1B5_4A32_D192_ED03))
        h = StreamKey.mix(h ^ (purpose.rawValue &* 0x8CB9_2BA7_2F3D_8DD7))
        h = StreamKey.mix(h ^ (chunk &* 0x9FB2_1C65_1E98_DF25))
        // Keys without a lane keep the bits they had before lanes existed.
        if let lane { h = StreamKey.mix(h ^ ((UInt64(lane) &+ 1) &* 0xA076_1D64_78BD_642F)) }
        return (h, StreamKey.mix(h ^ 0x6A09_E667_F3BC_C909))
    }

    /// SplitMix64's finaliser: a bijection of 64 bits that mixes every input bit
    /// into every output bit, for deriving seeds from seeds.
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The key of lane `j` of this key's chunk.
    public func lane(_ j: Int) -> StreamKey {
        var key = self
        key.lane = j
        return key
    }

    public var description: String {
        "seed \(seed), replicate \(replicate), \(purpose), chunk \(chunk)" + (lane.map { ", lane \($0)" } ?? "")
    }
}
