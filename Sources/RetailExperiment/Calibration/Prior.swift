import Foundation
import RetailModel
import RetailStats

/// What a Bayesian calibration believes about one parameter before it reads
/// a target (issue 26): a distribution over a box, on the coordinate the
/// search moves (the value's log for the log ones, so a positive parameter
/// stays positive and a factor counts alike at every size).
public struct Prior: Sendable, Equatable {
    public enum Distribution: String, Sendable, CaseIterable {
        case uniform, logUniform, normal, logNormal

        /// Whether the coordinate is the value's log.
        public var onLogScale: Bool { self == .logUniform || self == .logNormal }
    }

    public var name: String
    /// The parameters one coordinate sets (usually one; theta and phi move together).
    public var paths: [String]
    public var distribution: Distribution
    /// Mean (normal) or median (logNormal), in the parameter's units; nil for the uniform ones.
    public var centre: Double?
    /// sd (normal) or the sd of the log (logNormal); nil for the uniform ones.
    public var spread: Double?
    /// The box the calibration searches, in the parameter's units.
    public var lower: Double
    public var upper: Double
    /// Where the centre and the spread come from.
    public var source: String

    public init(name: String, paths: [String], distribution: Distribution, centre: Double? = nil, spread: Double? = nil,
                lower: Double, upper: Double, source: String) {
        (self.name, self.paths, self.distribution, self.centre, self.spread) = (name, paths, distribution, centre, spread)
        (self.lower, self.upper, self.source) = (lower, upper, source)
    }

    public func coordinate(_ value: Double) -> Double { distribution.onLogScale ? log(value) : value }
    public func value(_ coordinate: Double) -> Double { distribution.onLogScale ? exp(coordinate) : coordinate }
    /// The box in coordinates.
    public var box: (lower: Double, upper: Double) { (coordinate(lower), coordinate(upper)) }

    /// The normal or log-normal prior's Gaussian in coordinates.
    private var gaussian: (mean: Double, sd: Double)? {
        guard let centre, let spread else { return nil }
        return (coordinate(centre), spread)
    }

    /// The log density of a coordinate, up to a constant; -infinity outside the box.
    public func logDensity(_ x: Double) -> Double {
        let b = box
        guard x >= b.lower, x <= b.upper else { return -.infinity }
        guard let g = gaussian else { return 0 }
        let z = (x - g.mean) / g.sd
        return -0.5 * z * z
    }

    /// The prior's probability of a coordinate's lying in the box, before truncation.
    var massInBox: Double {
        guard let g = gaussian else { return 1 }
        let b = box
        return StandardNormal.cdf((b.upper - g.mean) / g.sd) - StandardNormal.cdf((b.lower - g.mean) / g.sd)
    }

    /// The coordinate at probability `u` of the prior truncated to its box:
    /// a uniform `u` gives a draw, a quasi-random one a design.
    public func coordinate(quantile u: Double) -> Double {
        let b = box
        guard let g = gaussian else { return b.lower + u * (b.upper - b.lower) }
        let low = StandardNormal.cdf((b.lower - g.mean) / g.sd), high = StandardNormal.cdf((b.upper - g.mean) / g.sd)
        let x = g.mean + g.sd * StandardNormal.quantile(low + u * (high - low))
        return min(max(x, b.lower), b.upper)
    }

    /// The probability at which the truncated prior reaches coordinate `x`
    /// (the inverse of `coordinate(quantile:)`); nil outside the box.
    public func quantile(coordinate x: Double) -> Double? {
        let b = box
        guard x >= b.lower, x <= b.upper else { return nil }
        guard let g = gaussian else { return (x - b.lower) / (b.upper - b.lower) }
        let low = StandardNormal.cdf((b.lower - g.mean) / g.sd), high = StandardNormal.cdf((b.upper - g.mean) / g.sd)
        return min(max((StandardNormal.cdf((x - g.mean) / g.sd) - low) / (high - low), 0), 1)
    }

    /// Sets each of its parameters to the coordinate's value.
    public func apply(_ coordinate: Double, to scenario: inout Scenario) throws(InputError) {
        for path in paths {
            try ParameterCatalog.parameter(path)!.set(.number(value(coordinate)), in: &scenario, source: "prior \(name)")
        }
    }
}

/// A priors file (`Experiments/targets/us-priors.toml`): one prior a
/// coordinate, and the Gaussian error a figure is allowed from the model's
/// expectation, as multiples of the figure's tolerance.
public struct PriorSet: Sendable {
    public var name: String
    public var priors: [Prior]
    /// The observation's sd: a tolerance spans the sources' spread.
    public var observationSdPerTolerance: Double
    /// The model discrepancy's sd: what no parameter of this model can match.
    public var discrepancySdPerTolerance: Double

    /// The variance of a figure's gap from the model's expectation: observation and discrepancy.
    public func variance(tolerance: Double) -> Double {
        tolerance * tolerance * (observationSdPerTolerance * observationSdPerTolerance + discrepancySdPerTolerance * discrepancySdPerTolerance)
    }

    /// The joint prior's log density (independent coordinates), up to a constant.
    public func logDensity(_ x: [Double]) -> Double {
        zip(priors, x).reduce(0) { $0 + $1.0.logDensity($1.1) }
    }

    /// The coordinates at probabilities `u`, one a prior.
    public func coordinates(quantiles u: [Double]) -> [Double] {
        zip(priors, u).map { $0.coordinate(quantile: $1) }
    }

    /// The probabilities at which the priors hold the committed fits'
    /// values: each prior's first path in `present`, but the history's
    /// drivers (`trend.*`, which act before the present only and are fitted
    /// on the history) in `past`; or an error naming the first prior whose
    /// box does not hold its value.
    public func quantiles(present: Scenario, past: Scenario) -> Result<[Double], InputError> {
        var u: [Double] = []
        for prior in priors {
            let parameter = ParameterCatalog.parameter(prior.paths[0])!
            let value = parameter.value(in: prior.paths[0].hasPrefix("trend.") ? past : present)
            guard case .number(let v) = value, v > 0 || !prior.distribution.onLogScale,
                  let q = prior.quantile(coordinate: prior.coordinate(v)) else {
                return .failure(InputError(source: "prior \(prior.name)", path: prior.paths[0], value: "\(value)",
                                           problem: "the committed value lies outside the prior's box \(prior.lower)...\(prior.upper)"))
            }
            u.append(q)
        }
        return .success(u)
    }

    /// A scenario with every prior's parameters set from `x`.
    public func apply(_ x: [Double], to scenario: Scenario) throws(InputError) -> Scenario {
        var s = scenario
        for (prior, coordinate) in zip(priors, x) { try prior.apply(coordinate, to: &s) }
        try s.validate()
        return s
    }

    static let fields = ["path", "distribution", "lower", "upper", "mean", "sd", "median", "sigma", "source"]
    static let errorSizes = ["observationSdPerTolerance", "discrepancySdPerTolerance"]

    public static func read(_ path: String) throws(InputError) -> PriorSet {
        try parse(try InputError.readText(path), name: path)
    }

    /// Reads `name`, the two error sizes and one `[priors.NAME]` table a
    /// coordinate; a path that is not a numeric parameter, or is set by two
    /// priors, a box outside what a parameter allows or empty, a missing or
    /// stray field, are refused by line.
    public static func parse(_ text: String, name fileName: String) throws(InputError) -> PriorSet {
        let assignments = try TOMLReader.assignments(text, name: fileName)
        var sizes: [String: Double] = [:]
        for a in assignments where errorSizes.contains(a.path) {
            guard case .number(let d) = a.value, d.isFinite, d >= 0 else {
                throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "expected a number >= 0 (a multiple of a figure's tolerance)")
            }
            sizes[a.path] = d
        }
        for key in errorSizes where sizes[key] == nil {
            throw InputError(source: fileName, path: key, problem: "missing; a figure's error is stated as a multiple of its tolerance")
        }
        let observation = sizes[errorSizes[0]]!, discrepancy = sizes[errorSizes[1]]!
        guard observation + discrepancy > 0 else {
            throw InputError(source: fileName, path: errorSizes[1], value: "0", problem: "with no observation error either, every figure would have to be met exactly; allowed: a number > 0 in one of the two")
        }
        let read = try TargetSet.tables(assignments.filter { !errorSizes.contains($0.path) }, fields: fields, table: "priors")
        guard !read.tables.isEmpty else { throw InputError(source: fileName, problem: "no [priors.NAME] tables") }
        var priors: [Prior] = []
        var setBy: [String: String] = [:]
        for (name, f) in read.tables {
            func missing(_ key: String) -> InputError {
                InputError(source: fileName, path: "priors.\(name).\(key)", problem: "missing")
            }
            func text(_ key: String) throws(InputError) -> (String, Assignment) {
                guard let a = f[key] else { throw missing(key) }
                guard case .text(let t) = a.value, !t.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "expected a non-empty quoted text")
                }
                return (t, a)
            }
            func number(_ key: String) throws(InputError) -> Double? {
                guard let a = f[key] else { return nil }
                guard case .number(let d) = a.value, d.isFinite else {
                    throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "expected a finite number")
                }
                return d
            }
            let (distributionText, distributionLine) = try text("distribution")
            guard let distribution = Prior.Distribution(rawValue: distributionText) else {
                throw InputError(source: distributionLine.source, path: distributionLine.path, value: distributionText,
                                 problem: "allowed: " + Prior.Distribution.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
            }
            guard let lower = try number("lower") else { throw missing("lower") }
            guard let upper = try number("upper") else { throw missing("upper") }
            let box = f["upper"]!
            guard lower < upper else {
                throw InputError(source: box.source, path: box.path, value: box.value.description, problem: "the box is empty; allowed: a number above lower (\(JSONText.number(lower)))")
            }
            if distribution.onLogScale, lower <= 0 {
                let a = f["lower"]!
                throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "a \(distribution.rawValue) prior is on the log scale; allowed: a number > 0")
            }
            // Each distribution takes its own two numbers, and no other's.
            let own: [String] = switch distribution {
            case .uniform, .logUniform: []
            case .normal: ["mean", "sd"]
            case .logNormal: ["median", "sigma"]
            }
            for key in ["mean", "sd", "median", "sigma"] where !own.contains(key) {
                if let a = f[key] {
                    throw InputError(source: a.source, path: a.path, value: a.value.description,
                                     problem: "a \(distribution.rawValue) prior takes " + (own.isEmpty ? "only lower and upper" : own.joined(separator: " and ")))
                }
            }
            var centre: Double?, spread: Double?
            if own.count == 2 {
                guard let c = try number(own[0]) else { throw missing(own[0]) }
                guard let s = try number(own[1]) else { throw missing(own[1]) }
                guard s > 0 else {
                    let a = f[own[1]]!
                    throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "expected a number > 0")
                }
                if distribution == .logNormal, c <= 0 {
                    let a = f[own[0]]!
                    throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "a median of a log-normal prior must be > 0")
                }
                (centre, spread) = (c, s)
            }
            let (pathText, pathLine) = try text("path")
            let paths = pathText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for path in paths {
                guard let p = ParameterCatalog.parameter(path), case .real(let bounds) = p.domain else {
                    throw InputError(source: pathLine.source, path: pathLine.path, value: path,
                                     problem: "not a numeric parameter; allowed: a path of `retailsim scenario show` whose values are numbers, or several separated by commas")
                }
                guard bounds.contains(lower), bounds.contains(upper) else {
                    throw InputError(source: box.source, path: "priors.\(name).lower, upper", value: "\(JSONText.number(lower)) to \(JSONText.number(upper))",
                                     problem: "outside what \(path) allows; allowed: \(p.allowed)")
                }
                if let other = setBy[path] {
                    throw InputError(source: pathLine.source, path: pathLine.path, value: path, problem: "already set by priors.\(other); one coordinate a parameter")
                }
                setBy[path] = name
            }
            let (source, _) = try text("source")
            let prior = Prior(name: name, paths: paths, distribution: distribution, centre: centre, spread: spread,
                              lower: lower, upper: upper, source: source)
            // A box far in a tail leaves the draws no room: the file would say something it does not mean.
            guard prior.massInBox > 1e-3 else {
                throw InputError(source: box.source, path: "priors.\(name).lower, upper", value: "\(JSONText.number(lower)) to \(JSONText.number(upper))",
                                 problem: "holds less than 0.1 % of the \(distribution.rawValue) prior's mass; allowed: a box around its centre")
            }
            priors.append(prior)
        }
        return PriorSet(name: read.name ?? (fileName as NSString).deletingPathExtension, priors: priors,
                        observationSdPerTolerance: observation, discrepancySdPerTolerance: discrepancy)
    }
}
