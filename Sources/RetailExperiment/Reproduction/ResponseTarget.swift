import Foundation
import RetailModel
import RetailStats

/// How the market responds, as a target (`Experiments/targets/us-responses.toml`):
/// an intervention against a reference on common random numbers, the
/// quantity measured, the published value with its tolerance and use. A
/// figure the model cannot produce yet has no `form`: `requires` says what
/// it lacks, and it is reported as a miss.
public struct ResponseTarget: Sendable {
    public enum Use: String, Sendable, CaseIterable {
        /// Fitted beside the levels.
        case calibration
        /// Held out: only compared.
        case validation
        /// A constraint on the model's form, not a number to fit.
        case structure
    }

    /// What is made of the quantity Q of the two arms.
    public enum Form: String, Sendable, CaseIterable {
        /// ln(Q_on / Q_off) / ln(x_on / x_off), x the `elasticityOf` parameter.
        case elasticity
        /// 100 (Q_on / Q_off - 1).
        case percentChange
        /// Q of the reference runs (no intervention).
        case level
    }

    public var name: String
    public var intervention: String
    public var measure: String
    public var value: Double
    public var tolerance: Double
    public var use: Use
    public var comparison: Target.Comparison
    public var source: String
    public var note: String
    /// nil: not measurable yet (`requires`).
    public var form: Form?
    public var quantity: ResponseQuantity?
    public var elasticityOf: String
    /// Settings of the intervention's arm and of its reference (both on top of the experiment's own).
    public var on: [Assignment]
    public var off: [Assignment]
    public var requires: String

    public func passes(_ model: Double) -> Bool { comparison.agrees(model, value: value, tolerance: tolerance) }
}

/// What a response measures in each replicate, from its weekly records.
public enum ResponseQuantity: Sendable, Equatable, CustomStringConvertible {
    /// Bought from these options, dollars at reference prices (spend over the
    /// option's price index) a household-week: the quantity, not the spend,
    /// since the demand studies measure quantities; of one category only when
    /// `category` is given.
    case bought([Option], category: Category?)
    /// Walmart-like online orders (WO + WP), or spend on them, a week of a
    /// Walmart+-like member over a non-member's (`plusOrderRatio`, `plusSpendRatio`).
    case plusRatio(PlusMeasure)
    /// A metric of the catalogue (docs/METRICS.md) over the summarised weeks,
    /// such as a category's level.
    case metric(String)

    /// What a member's ratio counts: orders or dollars.
    public enum PlusMeasure: String, Sendable, CaseIterable {
        case plusOrderRatio, plusSpendRatio
    }

    /// A category of trips (docs/MODEL.md section 5): a response may measure
    /// what one category buys (`category = "general"` beside option codes).
    public enum Category: String, Sendable, CaseIterable {
        case grocery, general
    }

    /// `plusOrderRatio`, a metric's name, or option codes joined by `+`
    /// (`WS+WO`), of all trips or of `category`'s.
    package init?(_ text: String, category: Category? = nil) {
        if category == nil, let m = PlusMeasure(rawValue: text) { self = .plusRatio(m); return }
        if category == nil, MetricCatalog.metric(text) != nil { self = .metric(text); return }
        var options: [Option] = []
        for code in text.split(separator: "+", omittingEmptySubsequences: false) {
            guard let o = Option.allCases.first(where: { $0.code == code.trimmingCharacters(in: .whitespaces) }), !options.contains(o) else { return nil }
            options.append(o)
        }
        self = .bought(options, category: category)
    }

    static let allowed = "option codes joined by + (" + Option.allCases.map(\.code).joined(separator: ", ") + ", e.g. WS+WO), plusOrderRatio, plusSpendRatio, or a metric's name (docs/METRICS.md, e.g. onlineShareOfGrocery)"

    public var description: String {
        switch self {
        case .bought(let options, let category):
            options.map(\.code).joined(separator: "+") + (category.map { " (\($0.rawValue))" } ?? "")
        case .plusRatio(let m): m.rawValue
        case .metric(let name): name
        }
    }

    /// The quantity over `weeks` (the summarised weeks of one replicate) of `households` households.
    package func value(_ weeks: ArraySlice<WeekRecord>, households: Int) -> Double {
        switch self {
        case .bought(let options, let category):
            var dollars = 0.0
            for w in weeks {
                for o in options {
                    let price = switch o.retailer { case .amazon: w.amazon.priceIndex; case .walmart: w.walmart.priceIndex; case nil: 1.0 }
                    let revenue = switch category {
                    case nil: w.revenue(o)
                    case .grocery: w.groceryRevenue(o)
                    case .general: w.revenue(o) - w.groceryRevenue(o)
                    }
                    dollars += revenue / price
                }
            }
            return dollars / (Double(households) * Double(weeks.count))
        case .plusRatio(let measure):
            var memberTotal = 0.0, memberWeeks = 0.0, otherTotal = 0.0, otherWeeks = 0.0
            for w in weeks {
                let members = Double(w.members(.plus))
                let (byMembers, all) = switch measure {
                case .plusOrderRatio: (Double(w.plusOrders), Double(w.trips(.walmartOnline) + w.trips(.walmartPickup)))
                case .plusSpendRatio: (w.plusSpend, w.revenue(.walmartOnline) + w.revenue(.walmartPickup))
                }
                memberTotal += byMembers
                memberWeeks += members
                otherTotal += all - byMembers
                otherWeeks += Double(households) - members
            }
            let member = memberTotal / memberWeeks, other = otherTotal / otherWeeks
            return memberWeeks > 0 && otherWeeks > 0 && other > 0 ? member / other : .nan
        case .metric(let name):
            // Every week given is summarised (none is warm-up here).
            return MetricCatalog.metric(name)!.value(ReplicateTotals(weeks: Array(weeks), warmupWeeks: 0, shoppers: households))
        }
    }
}

/// The response targets of one file.
public struct ResponseTargetSet: Sendable {
    public var name: String
    /// Applied to both arms of every response (`[settings]`): what the
    /// responses are measured under, such as frozen strategies.
    public var settings: [Assignment]
    public var responses: [ResponseTarget]

    static let textFields = ["intervention", "measure", "use", "source", "note", "comparison", "form", "quantity", "category", "elasticityOf", "requires"]
    static let numberFields = ["value", "tolerance"]

    public static func read(_ path: String) throws(InputError) -> ResponseTargetSet {
        try parse(try InputError.readText(path), name: path)
    }

    /// Reads `name = "..."` and one `[responses.NAME]` table a response, with
    /// its `[responses.NAME.on]` and `[responses.NAME.off]` settings. Every
    /// setting must be a parameter with an allowed value, and a measurable
    /// response must be measurable: the two arms differ, an elasticity's
    /// parameter differs between them and is not zero.
    public static func parse(_ text: String, name fileName: String) throws(InputError) -> ResponseTargetSet {
        var set = ResponseTargetSet(name: (fileName as NSString).deletingPathExtension, settings: [], responses: [])
        var tables: [(name: String, fields: [String: Assignment], on: [Assignment], off: [Assignment])] = []
        for a in try TOMLReader.assignments(text, name: fileName) {
            if a.path == "name" {
                guard case .text(let t) = a.value else { throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "expected a string") }
                set.name = t
                continue
            }
            if a.path.hasPrefix("settings.") {
                set.settings.append(Assignment(path: String(a.path.dropFirst("settings.".count)), value: a.value, source: a.source))
                continue
            }
            let parts = a.path.split(separator: ".", maxSplits: 3).map(String.init)
            guard parts.count >= 3, parts[0] == "responses" else {
                throw InputError(source: a.source, path: a.path, problem: "expected name = \"...\", a [settings] table or a field of a [responses.NAME] table")
            }
            if tables.last?.name != parts[1] {
                guard !tables.contains(where: { $0.name == parts[1] }) else {
                    throw InputError(source: a.source, path: a.path, problem: "response '\(parts[1])' is split over two tables")
                }
                tables.append((parts[1], [:], [], []))
            }
            let k = tables.count - 1
            if parts.count == 4, parts[2] == "on" || parts[2] == "off" {
                let setting = Assignment(path: parts[3], value: a.value, source: a.source)
                if parts[2] == "on" { tables[k].on.append(setting) } else { tables[k].off.append(setting) }
            } else if parts.count == 3, textFields.contains(parts[2]) || numberFields.contains(parts[2]) {
                tables[k].fields[parts[2]] = a
            } else {
                throw InputError(source: a.source, path: a.path, problem: "unknown field; allowed: " + (textFields + numberFields).joined(separator: ", ")
                                 + ", and the tables [responses.NAME.on] and [responses.NAME.off] of parameter settings")
            }
        }
        guard !tables.isEmpty else { throw InputError(source: fileName, problem: "no [responses.NAME] tables") }
        _ = try Scenario.load(file: nil, assignments: set.settings)
        for t in tables { set.responses.append(try response(t.name, t.fields, on: t.on, off: t.off, settings: set.settings, file: fileName)) }
        return set
    }

    private static func response(_ name: String, _ f: [String: Assignment], on: [Assignment], off: [Assignment],
                                 settings: [Assignment], file: String) throws(InputError) -> ResponseTarget {
        func text(_ key: String, required: Bool = true) throws(InputError) -> String {
            guard let a = f[key] else {
                if required { throw InputError(source: file, path: "responses.\(name).\(key)", problem: "missing") }
                return ""
            }
            guard case .text(let t) = a.value else { throw InputError(source: a.source, path: a.path, value: a.value.description, problem: "expected text in quotes") }
            return t
        }
        func number(_ key: String) throws(InputError) -> Double {
            guard let a = f[key] else { throw InputError(source: file, path: "responses.\(name).\(key)", problem: "missing") }
            guard case .number(let d) = a.value, d.isFinite, key != "tolerance" || d >= 0 else {
                throw InputError(source: a.source, path: a.path, value: a.value.description,
                                 problem: key == "tolerance" ? "expected a number >= 0" : "expected a finite number")
            }
            return d
        }
        func refuse(_ key: String, _ value: String, _ problem: String) -> InputError {
            InputError(source: f[key]?.source ?? file, path: "responses.\(name).\(key)", value: value, problem: problem)
        }
        let useText = try text("use")
        guard let use = ResponseTarget.Use(rawValue: useText) else {
            throw refuse("use", useText, "allowed: " + ResponseTarget.Use.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        let comparisonText = try text("comparison", required: false)
        guard let comparison = comparisonText.isEmpty ? .within : Target.Comparison(rawValue: comparisonText) else {
            throw refuse("comparison", comparisonText, "allowed: \"within\", \"atMost\" or \"atLeast\"")
        }
        var r = ResponseTarget(name: name, intervention: try text("intervention"), measure: try text("measure"), value: try number("value"),
                               tolerance: try number("tolerance"), use: use, comparison: comparison, source: try text("source"),
                               note: try text("note", required: false), form: nil, quantity: nil, elasticityOf: try text("elasticityOf", required: false),
                               on: on, off: off, requires: try text("requires", required: false))
        let formText = try text("form", required: false)
        if formText.isEmpty {
            guard !r.requires.isEmpty else { throw refuse("form", "(none)", "a response needs a form, or `requires` saying why it cannot be measured yet") }
            guard on.isEmpty, off.isEmpty, f["quantity"] == nil, f["category"] == nil else {
                throw refuse("requires", r.requires, "a response that cannot be measured yet has no quantity, [on] or [off]")
            }
            return r
        }
        guard let form = ResponseTarget.Form(rawValue: formText) else {
            throw refuse("form", formText, "allowed: " + ResponseTarget.Form.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        guard r.requires.isEmpty else { throw refuse("requires", r.requires, "a measurable response (it has a form) requires nothing") }
        let quantityText = try text("quantity"), categoryText = try text("category", required: false)
        var category: ResponseQuantity.Category?
        if !categoryText.isEmpty {
            guard let c = ResponseQuantity.Category(rawValue: categoryText) else {
                throw refuse("category", categoryText, "allowed: " + ResponseQuantity.Category.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
            }
            category = c
        }
        guard let quantity = ResponseQuantity(quantityText, category: category) else {
            throw refuse("quantity", quantityText, "allowed: " + (category == nil ? ResponseQuantity.allowed : "option codes joined by + (a category is bought from options)"))
        }
        (r.form, r.quantity) = (form, quantity)
        // Both arms must load, with every value checked as `--set` checks it.
        let scenarioOn = try Scenario.load(file: nil, assignments: settings + on), scenarioOff = try Scenario.load(file: nil, assignments: settings + off)
        switch form {
        case .level:
            guard on.isEmpty, off.isEmpty else { throw refuse("form", formText, "a level is measured on the reference: no [on] or [off]") }
        case .percentChange, .elasticity:
            guard scenarioOn.model != scenarioOff.model else {
                throw InputError(source: (on + off).first?.source ?? file, path: "responses.\(name).on",
                                 value: on.map { "\($0.path) = \($0.value)" }.joined(separator: ", "),
                                 problem: "an intervention that changes nothing: [on] and [off] give the same model")
            }
        }
        if form == .elasticity {
            guard let parameter = ParameterCatalog.parameter(r.elasticityOf) else {
                throw refuse("elasticityOf", r.elasticityOf, "a parameter path that [on] or [off] sets")
            }
            guard case .number(let x1) = parameter.value(in: scenarioOn), case .number(let x0) = parameter.value(in: scenarioOff),
                  x0 > 0, x1 > 0, x0 != x1 else {
                throw refuse("elasticityOf", r.elasticityOf, "a positive number that differs between [on] and [off] (an arc elasticity divides by ln(x_on / x_off))")
            }
        } else if !r.elasticityOf.isEmpty {
            throw refuse("elasticityOf", r.elasticityOf, "only for form = \"elasticity\"")
        }
        return r
    }
}

/// A response target beside the model's figure: the response in each
/// replicate, its mean and 95 % interval, and each arm's quantities.
public struct ResponseComparison: Sendable {
    public var target: ResponseTarget
    public var perReplicate: [Double]
    /// The quantity in each replicate of the reference (off) and intervention (on) arms; `on` is empty for a level.
    public var off: [Double]
    public var on: [Double]
    public var model: Double
    public var ci95: ClosedRange<Double>?

    public var residual: Double { model - target.value }
    /// (residual / tolerance)^2, as a level target's part of a calibration objective.
    public var weightedSquare: Double { pow(residual / target.tolerance, 2) }
    public var passes: Bool { target.passes(model) }
}

extension ResponseTargetSet {
    /// The responses that a calibration fits: use = "calibration" and measurable.
    public var calibration: [ResponseTarget] { responses.filter { $0.use == .calibration && $0.form != nil } }

    /// Measures `targets` (measurable ones of this file) from `base`: each arm
    /// is `base` with the file's settings and the response's `on` or `off`,
    /// run on `base`'s seeds (common random numbers), each distinct arm once.
    /// A response that is not defined in the runs (a quantity zero in a
    /// replicate) is refused by file and entry.
    public func measure(_ targets: [ResponseTarget], base: Scenario, threads: Int) throws -> [ResponseComparison] {
        try measure(targets, base: base, threads: threads, refusingUndefined: true)
    }

    /// The same, with a response that is not defined in the runs given the
    /// model figure NaN (no interval; it fails): a search that reaches such
    /// a point moves away from it, and a fit's report names it (`Calibration.fit`).
    public func measureMarkingUndefined(_ targets: [ResponseTarget], base: Scenario, threads: Int) throws -> [ResponseComparison] {
        try measure(targets, base: base, threads: threads, refusingUndefined: false)
    }

    private func measure(_ targets: [ResponseTarget], base: Scenario, threads: Int, refusingUndefined: Bool) throws -> [ResponseComparison] {
        var arms: [String: (Scenario, RunResult)] = [:]
        func arm(_ assignments: [Assignment]) throws -> (Scenario, RunResult) {
            let key = assignments.map { "\($0.path)=\($0.value)" }.joined(separator: "\n")
            if let done = arms[key] { return done }
            var scenario = base
            try scenario.apply(settings + assignments)
            // A posterior's draw leaves what the arm sets.
            scenario.armPaths.formUnion((settings + assignments).map(\.path))
            try scenario.validate()
            let made = (scenario, try Replicates.runConcurrently(scenario, threads: threads))
            arms[key] = made
            return made
        }
        var comparisons: [ResponseComparison] = []
        for r in targets {
            guard let form = r.form, let quantity = r.quantity else {
                throw InputError(source: name, path: "responses.\(r.name)", problem: "not measurable yet: \(r.requires)")
            }
            let (scenarioOff, off) = try arm(r.off)
            let (scenarioOn, on) = form == .level ? (scenarioOff, off) : try arm(r.on)
            let qOff = ResponseTargetSet.quantities(off, quantity), qOn = form == .level ? [] : ResponseTargetSet.quantities(on, quantity)
            let values: [Double]
            switch form {
            case .level: values = qOff
            case .percentChange: values = zip(qOn, qOff).map { 100 * ($0 / $1 - 1) }
            case .elasticity:
                let parameter = ParameterCatalog.parameter(r.elasticityOf)!
                guard case .number(let x1) = parameter.value(in: scenarioOn), case .number(let x0) = parameter.value(in: scenarioOff) else {
                    throw InputError(source: name, path: "responses.\(r.name).elasticityOf", value: r.elasticityOf, problem: "expected a number in both arms")
                }
                values = zip(qOn, qOff).map { log($0 / $1) / log(x1 / x0) }
            }
            guard values.allSatisfy(\.isFinite) else {
                guard refusingUndefined else {
                    comparisons.append(ResponseComparison(target: r, perReplicate: values, off: qOff, on: qOn, model: .nan, ci95: nil))
                    continue
                }
                throw InputError(source: name, path: "responses.\(r.name)", value: "\(values)",
                                 problem: "not measurable in these runs: a quantity is zero (too few households, or an option no one can choose)")
            }
            let s = Summary(values)
            comparisons.append(ResponseComparison(target: r, perReplicate: values, off: qOff, on: qOn, model: s.mean,
                                                  ci95: try s.confidenceInterval(level: 0.95)))
        }
        return comparisons
    }

    /// The quantity in each replicate, over its summarised weeks.
    static func quantities(_ result: RunResult, _ q: ResponseQuantity) -> [Double] {
        let warmup = result.scenario.run.warmupWeeks
        return result.replicates.map { weeks in
            q.value(weeks[(weeks.count > warmup ? warmup : 0)...], households: result.scenario.model.population.shoppers)
        }
    }
}
