import Foundation

/// A fixed, disjoint part of a sweep's runs, `index/count` as in `--shard 3/100`:
/// run k of the plan belongs to shard k mod count, so shards of a sweep are
/// about equal in size and cost. Shards are numbered from 0, as Slurm's array
/// task ids are.
public struct SweepShard: Hashable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// The whole sweep.
    public static let all = SweepShard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        precondition(count > 0 && (0..<count).contains(index))
        self.index = index
        self.count = count
    }

    /// Parses `i/n` with 0 <= i < n.
    public init(parsing text: String) throws(InputError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 1_000_000, (0..<n).contains(i) else {
            throw InputError(source: "--shard", value: text, problem: "allowed: i/n with shards numbered 0 to n-1, e.g. --shard 3/100")
        }
        self.init(index: i, count: n)
    }

    public func owns(run k: Int) -> Bool { k % count == index }

    public var description: String { "\(index)/\(count)" }

    /// The file that records this shard's finished runs, inside the sweep's `shards/` folder.
    public var fileName: String { "shard-\(index)-of-\(count).csv" }

    /// The shard a record file belongs to, from its name; nil for other files.
    init?(fileName: String) {
        guard fileName.hasPrefix("shard-"), fileName.hasSuffix(".csv") else { return nil }
        let parts = fileName.dropFirst(6).dropLast(4).components(separatedBy: "-of-")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else { return nil }
        self.init(index: i, count: n)
    }
}
