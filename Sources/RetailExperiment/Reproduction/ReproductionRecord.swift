import Foundation
import RetailModel
import RetailStats

/// One comparison an experiment makes: the reference (a closed form, a
/// published figure, a claim's direction), the model's figure, the tolerance,
/// and whether they agree.
public struct Check: Codable, Sendable, Equatable {
    public var name: String
    public var reference: String
    public var model: String
    public var tolerance: String
    public var pass: Bool

    public init(name: String, reference: String, model: String, tolerance: String, pass: Bool) {
        self.name = name
        self.reference = reference
        self.model = model
        self.tolerance = tolerance
        self.pass = pass
    }
}

/// What `reproduce` records of one experiment (`Results/<name>/result.json`):
/// enough to rebuild the Results/README.md table and to run it again.
public struct ReproductionRecord: Codable, Sendable {
    public var experiment: String
    public var title: String
    public var kind: String
    public var source: String
    public var claim: String
    public var command: String
    public var seed: Int
    public var version: String
    public var replicates: Int
    public var shoppers: Int
    public var weeks: Int
    public var checks: [Check]
    /// Why a check misses, by check name (from the experiment's file).
    public var why: [String: String]
    /// Files written, besides result.json.
    public var files: [String]
    /// The posterior its replicates drew from (`--posterior`); absent without one.
    public var posterior: String?

    public init(experiment: String, title: String, kind: String, source: String, claim: String, command: String, seed: Int,
                version: String, replicates: Int, shoppers: Int, weeks: Int, checks: [Check], why: [String: String], files: [String]) {
        self.experiment = experiment
        self.title = title
        self.kind = kind
        self.source = source
        self.claim = claim
        self.command = command
        self.seed = seed
        self.version = version
        self.replicates = replicates
        self.shoppers = shoppers
        self.weeks = weeks
        self.checks = checks
        self.why = why
        self.files = files
    }
}

/// How large to make the experiments: `nil` keeps each file's own size. Tests
/// shrink them; `reproduce` runs them as written.
public struct ReproductionSize: Sendable {
    public var shoppers: Int?
    public var replicates: Int?
    /// Calibration only.
    public var maxIterations: Int?

    public init(shoppers: Int? = nil, replicates: Int? = nil, maxIterations: Int? = nil) {
        self.shoppers = shoppers
        self.replicates = replicates
        self.maxIterations = maxIterations
    }
}
