import RetailStats

/// The weekly random numbers of every chunk of households: eight taus2 lanes a
/// chunk, keyed by (seed, replicate, chunk, lane) and kept across weeks. The
/// weekly choice and the membership step of chunk c draw from chunk c's lanes
/// only, so results never depend on which thread works on which chunk.
final class WeeklyStreams: @unchecked Sendable {
    let count: Int
    private let lanes: UnsafeMutablePointer<RandomLanes>

    init(seed: UInt64, replicate: Int, chunks: Int) throws(GSLError) {
        count = chunks
        lanes = .allocate(capacity: chunks)
        for c in 0..<chunks {
            do {
                (lanes + c).initialize(to: try RandomLanes(key: StreamKey(seed: seed, replicate: replicate, purpose: .weekly, chunk: c)))
            } catch {
                lanes.deinitialize(count: c)
                lanes.deallocate()
                throw error
            }
        }
    }

    deinit {
        lanes.deinitialize(count: count)
        lanes.deallocate()
    }

    /// Chunk c's lanes, for the one task working on chunk c.
    func lanes(ofChunk c: Int) -> UnsafeMutablePointer<RandomLanes> {
        precondition(c >= 0 && c < count)
        return lanes + c
    }
}
