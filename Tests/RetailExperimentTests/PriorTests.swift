import Foundation
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// The Bayesian calibration's priors (issue 26): the committed file, the
/// distributions' draws and densities, and bad files refused by line.
final class PriorTests: XCTestCase {
    /// The committed priors cover what the issue names, and the built-in
    /// baseline lies inside every box: a box that left it out would rule the
    /// present fit out before a single target was read.
    func testCommittedPriorsHoldTheBaselineAndWhatTheIssueNames() throws {
        let set = try PriorSet.read(repositoryRoot.appendingPathComponent("Experiments/targets/us-priors.toml").path)
        let paths = Set(set.priors.flatMap(\.paths))
        for p in FreeParameter.standard.map(\.name) + FreeParameter.responseParameters.map(\.name)
            + ["choice.habitWeight", "choice.habitDecay", "membership.valueWeight", "membership.churnValueWeight",
               "amazon.personalization.max", "walmart.serviceWeight", "shoppers.priceSensitivity.sigma", "shoppers.onlineAffinity.sigma",
               "trend.onlineUtilityPerYear", "trend.walmartOnlineUtilityPerYear", "trend.primeBenefitGrowthPerYear"] {
            XCTAssertTrue(paths.contains(p), "no prior on \(p)")
        }
        for prior in set.priors {
            for path in prior.paths {
                guard case .number(let v) = ParameterCatalog.parameter(path)!.value(in: .baseline) else { return XCTFail(path) }
                XCTAssertTrue(prior.lower <= v && v <= prior.upper, "\(path) = \(v) outside \(prior.lower) to \(prior.upper)")
            }
            XCTAssertGreaterThan(prior.source.count, 20, prior.name)
        }
        // A figure's error is its observation and the model's discrepancy together.
        XCTAssertEqual(set.variance(tolerance: 2), 4 * (0.25 + 0.25), accuracy: 1e-12)
        // A draw at the middle of every prior sets the scenario, theta and phi together.
        let middle = try set.apply(set.coordinates(quantiles: set.priors.map { _ in 0.5 }), to: .baseline)
        XCTAssertEqual(middle.model.membership.valueWeight, middle.model.membership.churnValueWeight)
        XCTAssertEqual(middle.model.membership.innovation, 0.0025, accuracy: 1e-5)
    }

    /// Draws by the quantile follow each distribution truncated to its box.
    func testDrawsFollowTheTruncatedDistributions() {
        let n = 20_000
        let u = (0..<n).map { (Double($0) + 0.5) / Double(n) }
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        func sd(_ xs: [Double]) -> Double { let m = mean(xs); return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count)).squareRoot() }

        // A normal truncated at its mean: a half-normal, mean sd * sqrt(2 / pi) above it.
        let half = Prior(name: "h", paths: ["choice.habitWeight"], distribution: .normal, centre: 1, spread: 0.5, lower: 1, upper: 20, source: "")
        XCTAssertEqual(mean(u.map(half.coordinate(quantile:))), 1 + 0.5 * (2 / Double.pi).squareRoot(), accuracy: 1e-3)
        // A log-normal in a box symmetric in the log: its median at u = 1/2, the log's sd close to sigma.
        let logNormal = Prior(name: "l", paths: ["membership.innovation"], distribution: .logNormal, centre: 0.0025, spread: 0.4,
                              lower: 0.0025 / 100, upper: 0.0025 * 100, source: "")
        XCTAssertEqual(logNormal.value(logNormal.coordinate(quantile: 0.5)), 0.0025, accuracy: 1e-9)
        XCTAssertEqual(sd(u.map(logNormal.coordinate(quantile:))), 0.4, accuracy: 2e-3)
        // A log-uniform: uniform in the log, so a decade a third of the draws over three decades.
        let logUniform = Prior(name: "g", paths: ["membership.innovation"], distribution: .logUniform, lower: 0.001, upper: 1, source: "")
        let values = u.map { logUniform.value(logUniform.coordinate(quantile: $0)) }
        XCTAssertEqual(Double(values.filter { $0 < 0.01 }.count) / Double(n), 1.0 / 3, accuracy: 1e-3)
        XCTAssertTrue(values.allSatisfy { $0 >= 0.001 && $0 <= 1 })
        // Densities: flat inside a uniform box, nothing outside it; a normal's falls off by z^2 / 2.
        XCTAssertEqual(logUniform.logDensity(log(0.5)), 0)
        XCTAssertEqual(logUniform.logDensity(log(2)), -.infinity)
        XCTAssertEqual(half.logDensity(2) - half.logDensity(1), -2, accuracy: 1e-12)
        XCTAssertEqual(half.logDensity(0.9), -.infinity)
    }

    /// A priors file is checked by field, with the line and what is allowed.
    func testRefusesBadPriors() {
        let head = "observationSdPerTolerance = 0.5\ndiscrepancySdPerTolerance = 0.5\n"
        let good = "[priors.a]\npath = \"choice.habitWeight\"\ndistribution = \"uniform\"\nlower = 0\nupper = 3\nsource = \"a rule\"\n"
        func refusal(_ text: String) -> String {
            do { _ = try PriorSet.parse(text, name: "p.toml"); return "" } catch { return error.description }
        }
        XCTAssertEqual(refusal(head + good), "")
        let cases: [(String, String)] = [
            (head + good.replacingOccurrences(of: "habitWeight", with: "habitWeigh"), "p.toml:4: priors.a.path = choice.habitWeigh: not a numeric parameter"),
            (head + good.replacingOccurrences(of: "choice.habitWeight", with: "choice.distanceDecay"), "not a numeric parameter"),
            (head + good.replacingOccurrences(of: "\"uniform\"", with: "\"beta\""), "allowed: \"uniform\", \"logUniform\", \"normal\", \"logNormal\""),
            (head + good.replacingOccurrences(of: "upper = 3", with: "upper = 0"), "p.toml:7: priors.a.upper = 0: the box is empty"),
            (head + good.replacingOccurrences(of: "\"uniform\"", with: "\"logUniform\""), "priors.a.lower = 0: a logUniform prior is on the log scale; allowed: a number > 0"),
            (head + good + "mean = 1\n", "a uniform prior takes only lower and upper"),
            (head + good.replacingOccurrences(of: "\"uniform\"", with: "\"normal\"") + "mean = 1\n", "priors.a.sd: missing"),
            (head + good.replacingOccurrences(of: "\"uniform\"", with: "\"normal\"") + "mean = 1\nsd = 0\n", "priors.a.sd = 0: expected a number > 0"),
            (head + good.replacingOccurrences(of: "\"uniform\"", with: "\"normal\"") + "median = 1\nsigma = 1\n", "a normal prior takes mean and sd"),
            (head + good.replacingOccurrences(of: "\"uniform\"", with: "\"normal\"") + "mean = 100\nsd = 1\n", "holds less than 0.1 % of the normal prior's mass"),
            (head + good.replacingOccurrences(of: "choice.habitWeight", with: "choice.walmartNest").replacingOccurrences(of: "upper = 3", with: "upper = 2"),
             "outside what choice.walmartNest allows; allowed: a number in [0.01, 1]"),
            (head + good + good.replacingOccurrences(of: "priors.a", with: "priors.b"), "priors.b.path = choice.habitWeight: already set by priors.a"),
            (head + good.replacingOccurrences(of: "source = \"a rule\"\n", with: ""), "priors.a.source: missing"),
            (head + good + "colour = 1\n", "priors.a.colour: unknown field"),
            (good, "observationSdPerTolerance: missing"),
            (head.replacingOccurrences(of: "0.5", with: "0") + good, "with no observation error either"),
            (head.replacingOccurrences(of: "= 0.5\nd", with: "= -1\nd") + good, "observationSdPerTolerance = -1: expected a number >= 0"),
            (head, "no [priors.NAME] tables"),
        ]
        for (text, expected) in cases {
            let message = refusal(text)
            XCTAssertTrue(message.contains(expected), "expected \(expected), got \(message)")
        }
    }
}

/// What the Bayesian calibration compares the model with (issue 26): the
/// three files' fitted and held-out figures, and their values at a point.
final class EvidenceTests: XCTestCase {
    func evidence() throws -> Evidence {
        let root = repositoryRoot
        func path(_ p: String) -> String { root.appendingPathComponent(p).path }
        return try Evidence(levels: try TargetSet.read(path("Experiments/targets/us-2024.toml")),
                            responses: try ResponseTargetSet.read(path("Experiments/targets/us-responses.toml")),
                            history: try HistoryTargetSet.read(path("Experiments/targets/us-history.toml")),
                            marketGrowth: path("Experiments/history/market-growth.csv"))
    }

    /// Every kind holds fitted and held-out figures (the posterior's check is
    /// the held-out ones' coverage), and no margin or data check is evidence.
    func testEveryKindHasFittedAndHeldOutFiguresAndNoMargin() throws {
        let e = try evidence()
        for kind in [Evidence.Kind.level, .response, .history] {
            let of = e.figures.filter { $0.kind == kind }
            XCTAssertTrue(of.contains { $0.calibration }, "\(kind): nothing fitted")
            XCTAssertTrue(of.contains { !$0.calibration }, "\(kind): nothing held out")
        }
        for name in ["amazonResponseMargin", "walmartResponseMargin"] { XCTAssertFalse(e.figures.contains { $0.name == name }, name) }
        XCTAssertTrue(e.figures.allSatisfy { $0.tolerance > 0 && $0.value.isFinite })
    }

    /// At a point the figures are the runs' own, the same on the same seeds,
    /// and they move as the point does: a higher Amazon constant, a higher
    /// Amazon share of online today and a higher online share in the history.
    func testFiguresAtAPointMoveWithIt() throws {
        let e = try evidence()
        let small = ["population.shoppers=3000", "run.replicates=1", "run.weeks=26"]
        let present = try scenario(settings: small)
        var past = try Scenario.load(file: repositoryRoot.appendingPathComponent("Experiments/scenarios/us-history.toml").path,
                                     assignments: ["population.shoppers=3000", "run.replicates=1"].map { try Scenario.commandLineAssignment($0) })
        XCTAssertLessThan(e.historyWeeks(past), past.run.weeks + 1)
        let at = try e.measure(present: present, past: past, threads: 2)
        XCTAssertEqual(at.count, e.figures.count)
        let direct = try TargetComparison.compare(e.levels, try Replicates.runConcurrently(present, threads: 2).metrics).map(\.model)
        XCTAssertEqual(Array(at.prefix(direct.count)), direct)
        XCTAssertEqual(try e.measure(present: present, past: past, threads: 1).map(\.bitPattern), at.map(\.bitPattern))

        var higher = present
        higher.model.choice.constants[Option.amazon.rawValue] += 1
        past.model.choice.constants[Option.amazon.rawValue] += 1
        let moved = try e.measure(present: higher, past: past, threads: 2)
        func value(_ name: String, _ kind: Evidence.Kind, _ v: [Double]) throws -> Double {
            v[try XCTUnwrap(e.figures.firstIndex { $0.name == name && $0.kind == kind })]
        }
        let online = try XCTUnwrap(e.figures.first { $0.kind == .history && $0.name.hasPrefix("onlineShare") }).name
        XCTAssertGreaterThan(try value("amazonShareOfOnline", .level, moved), try value("amazonShareOfOnline", .level, at) + 0.02)
        XCTAssertGreaterThan(try value(online, .history, moved), try value(online, .history, at))
    }
}
