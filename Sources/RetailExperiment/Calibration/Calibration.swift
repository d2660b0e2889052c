import Foundation
import RetailModel
import RetailStats

/// How large and how long a calibration is.
public struct CalibrationSettings: Sendable, Equatable {
    /// Simulated households in each evaluation.
    public var shoppers = 20_000
    /// Replicates averaged in each evaluation; the same seeds every time
    /// (common random numbers), so the objective is a smooth function of the
    /// parameters rather than a noisy one.
    public var replicates = 2
    /// Nelder-Mead iterations at most.
    public var maxIterations = 500
    /// Stop when the simplex is this small (coordinates' units).
    public var sizeTolerance = 0.005
    /// Searches again from the best point after the simplex converges, at most
    /// this many times, while they improve the objective and iterations remain.
    public var restarts = 2
    /// A cheaper first search whose best point starts the main one
    /// (multi-fidelity): one replicate of `shoppers` households for at most
    /// `iterations`, on the same seeds. Nil: none.
    public var coarse: CoarseStage?

    public init() {}
}

/// The first, cheaper search of a calibration (`CalibrationSettings.coarse`).
public struct CoarseStage: Sendable, Equatable {
    public var shoppers: Int
    public var iterations: Int

    public init(shoppers: Int, iterations: Int) {
        self.shoppers = shoppers
        self.iterations = iterations
    }
}

/// What a calibration found.
public struct CalibrationResult: Sendable {
    public var base: Scenario
    public var fitted: Scenario
    public var settings: CalibrationSettings
    public var parameters: [FreeParameter]
    /// The fitted coordinates (each parameter's own value is `parameters[k].value(fitted)`).
    public var x: [Double]
    /// Every target (held-out ones too) at the fitted scenario, with the
    /// calibration's own seeds and size.
    public var comparisons: [TargetComparison]
    /// Every measurable response target (held-out ones too) at the fit, when
    /// the calibration was given a response file.
    public var responses: [ResponseComparison] = []
    /// Sum of the calibration targets' weighted squares.
    public var objective: Double
    public var evaluations: Int
    /// Of them, points where a fitted figure was undefined (a quantity zero), scored `Calibration.undefinedPenalty`.
    public var undefinedEvaluations: Int
    public var iterations: Int
    /// The coarse stage, its iterations and its best objective (at its own size), when it ran.
    public var coarse: (stage: CoarseStage, iterations: Int, objective: Double)?
    public var converged: Bool
    public var seconds: Double
    /// Iteration, best objective, simplex size.
    public var trace: [(iteration: Int, objective: Double, size: Double)]
    /// Identification: `sensitivity[k][t]` is how far calibration target t
    /// moves, in its tolerances, when parameter k's coordinate moves by its
    /// simplex step (a central difference at the fit, same seeds). A row of
    /// small numbers is a parameter the targets do not pin. The calibration
    /// targets come first, then the calibration responses.
    public var sensitivity: [[Double]]
}

/// Fits scenario parameters to published targets (docs/MODEL.md section 9's
/// calibration): minimises the weighted squared distance between the model's
/// figures and the calibration targets with GSL's Nelder-Mead simplex, every
/// evaluation on the same seeds. Given a response file, its calibration
/// responses join the objective alike, each measured on paired arms of the
/// evaluation's scenario (issue 23: responses are targets like levels).
public enum Calibration {
    /// The objective of a point where a fitted figure is undefined: finite,
    /// since GSL's simplex stops at a non-finite value, and far above any
    /// fit's (each figure adds its squared residual in tolerances).
    public static let undefinedPenalty = 1e9

    /// Fitted values are written with 4 decimals, and evaluated as written, so
    /// that the fitted scenario file reproduces the reported fit exactly.
    static func rounded(_ x: Double) -> Double { (x * 1e4).rounded() / 1e4 }

    /// x to 4 significant digits: a weight of 0.007 keeps its precision.
    static func significant(_ x: Double) -> Double {
        guard x != 0, x.isFinite else { return x }
        let scale = pow(10, 3 - floor(log10(abs(x))))
        return (x * scale).rounded() / scale
    }

    /// The scenario that one evaluation runs.
    static func evaluationScenario(_ base: Scenario, _ parameters: [FreeParameter], _ x: [Double],
                                   _ settings: CalibrationSettings) throws(InputError) -> Scenario {
        var s = base
        for (p, value) in zip(parameters, x) { p.apply(&s, base, value) }
        s.model.population.shoppers = settings.shoppers
        s.run.replicates = settings.replicates
        try s.validate()
        return s
    }

    public static func fit(base: Scenario, targets: TargetSet, responses: ResponseTargetSet? = nil,
                           settings: CalibrationSettings = CalibrationSettings(),
                           parameters chosen: [FreeParameter]? = nil, threads: Int,
                           progress: ((_ iteration: Int, _ objective: Double, _ evaluations: Int) -> Void)? = nil) throws -> CalibrationResult {
        let parameters = chosen ?? FreeParameter.standard(for: base)
        let fitted = targets.calibration
        let fittedResponses = responses?.calibration ?? []
        guard !fitted.isEmpty else {
            throw InputError(source: targets.name, problem: "no target has use = \"calibration\"")
        }
        let clock = Date()
        var evaluations = 0, undefined = 0
        func objective(_ x: [Double], _ settings: CalibrationSettings) throws -> Double {
            evaluations += 1
            // Where the search starts every figure must be defined: otherwise the targets cannot be fitted at all.
            let starting = evaluations == 1
            let s = try evaluationScenario(base, parameters, x, settings)
            let metrics = try Replicates.runConcurrently(s, threads: threads).metrics
            let comparisons = try TargetComparison.compare(fitted, metrics)
            // An undefined figure (a ratio over zero) would let the simplex wander on NaN and write a "fit";
            // later in the search the point is one to move away from, so it scores the penalty.
            if let bad = comparisons.first(where: { !$0.weightedSquare.isFinite }) {
                guard !starting else {
                    throw InputError(source: targets.name, path: "targets.\(bad.target.name)", value: "\(bad.target.metric)",
                                     problem: "the model's figure is \(bad.model) at this scenario, so the target cannot be fitted; "
                                     + "use a metric that is defined here, or mark the target use = \"validation\"")
                }
                undefined += 1
                return Calibration.undefinedPenalty
            }
            var measured: [ResponseComparison] = []
            if let responses {
                if starting {
                    measured = try responses.measure(fittedResponses, base: s, threads: threads)
                } else {
                    measured = try responses.measureMarkingUndefined(fittedResponses, base: s, threads: threads)
                }
                if !starting, !measured.allSatisfy(\.weightedSquare.isFinite) {
                    undefined += 1
                    return Calibration.undefinedPenalty
                }
            }
            if let bad = measured.first(where: { !$0.weightedSquare.isFinite }) {
                throw InputError(source: responses?.name ?? "", path: "responses.\(bad.target.name)", problem: "undefined at this scenario (\(bad.model))")
            }
            return comparisons.reduce(0) { $0 + $1.weightedSquare } + measured.reduce(0) { $0 + $1.weightedSquare }
        }
        var trace: [(Int, Double, Double)] = []
        // A simplex can collapse on a ridge short of the minimum (more so with
        // ten coordinates): while iterations remain, search again from its best
        // point with fresh steps, until a restart no longer improves it.
        var best = (x: parameters.map { $0.start(base) }, value: Double.infinity, converged: false)
        var coarse: (stage: CoarseStage, iterations: Int, objective: Double)?
        if let stage = settings.coarse {
            // The cheap search finds the basin; its objective is at its own size, so it only hands over a start.
            var small = settings
            small.shoppers = stage.shoppers
            small.replicates = 1
            let found = try NelderMead.minimize(start: best.x, steps: parameters.map(\.step), sizeTolerance: settings.sizeTolerance,
                                                maxIterations: stage.iterations, objective: { try objective($0, small) }) { i, value, _ in
                progress?(i, value, evaluations)
            }
            best.x = found.x
            coarse = (stage, found.iterations, found.value)
        }
        var used = 0
        for _ in 0...settings.restarts where used < settings.maxIterations {
            let before = best.value
            let from = used
            let found = try NelderMead.minimize(start: best.x, steps: parameters.map(\.step), sizeTolerance: settings.sizeTolerance,
                                                maxIterations: settings.maxIterations - used, objective: { try objective($0, settings) }) { i, value, size in
                trace.append((from + i, value, size))
                progress?(from + i, value, evaluations)
            }
            used += found.iterations
            if found.value < best.value { best = (found.x, found.value, found.converged) } else { best.converged = found.converged }
            guard found.converged, before - found.value > 1e-3 else { break }
        }
        let minimum = (x: best.x, iterations: used, converged: best.converged)
        var scenario = try evaluationScenario(base, parameters, minimum.x, settings)
        let metrics = try Replicates.runConcurrently(scenario, threads: threads).metrics
        var sensitivity: [[Double]] = []
        for (k, p) in parameters.enumerated() {
            func figures(_ shift: Double) throws -> [Double] {
                var x = minimum.x
                x[k] += shift
                let s = try evaluationScenario(base, parameters, x, settings)
                let m = try Replicates.runConcurrently(s, threads: threads).metrics
                // A response undefined half a step away leaves its row of the identification table empty.
                let measured = try responses?.measureMarkingUndefined(fittedResponses, base: s, threads: threads).map(\.model) ?? []
                return try TargetComparison.compare(fitted, m).map(\.model) + measured
            }
            let (up, down) = (try figures(p.step / 2), try figures(-p.step / 2))
            let tolerances = fitted.map(\.tolerance) + fittedResponses.map(\.tolerance)
            sensitivity.append(tolerances.indices.map { (up[$0] - down[$0]) / tolerances[$0] })
        }
        let comparisons = try TargetComparison.compare(targets.targets, metrics)
        // At the fit an undefined response (a structure or held-out one the search never read) is reported as such, not fatal.
        let responseComparisons = try responses.map {
            try $0.measureMarkingUndefined($0.responses.filter { $0.form != nil }, base: scenario, threads: threads)
        } ?? []
        // The fitted scenario keeps the base's size; only the fitted values move.
        scenario.name = "calibrated"
        scenario.model.population.shoppers = base.model.population.shoppers
        scenario.run.replicates = base.run.replicates
        return CalibrationResult(base: base, fitted: scenario, settings: settings, parameters: parameters,
                                 x: minimum.x, comparisons: comparisons, responses: responseComparisons,
                                 objective: comparisons.filter { $0.target.use == .calibration }.reduce(0) { $0 + $1.weightedSquare }
                                    + responseComparisons.filter { $0.target.use == .calibration }.reduce(0) { $0 + $1.weightedSquare },
                                 evaluations: evaluations, undefinedEvaluations: undefined, iterations: minimum.iterations, coarse: coarse, converged: minimum.converged,
                                 seconds: Date().timeIntervalSince(clock), trace: trace, sensitivity: sensitivity)
    }
}
