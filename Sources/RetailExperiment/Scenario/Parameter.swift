import Foundation
import RetailModel

/// The values a numeric parameter may take.
public struct Bounds: Sendable, Equatable {
    public var lower: Double?
    public var lowerInclusive = true
    public var upper: Double?
    public var upperInclusive = true

    public static let finite = Bounds()
    public static let nonNegative = Bounds(lower: 0)
    /// [0, 1]: shares and probabilities.
    public static let unit = Bounds(lower: 0, upper: 1)
    public static func atLeast(_ x: Double) -> Bounds { Bounds(lower: x) }
    public static func between(_ a: Double, _ b: Double) -> Bounds { Bounds(lower: a, upper: b) }
    /// (b / 10^15, b]: positive, with a ceiling past which the model's arithmetic
    /// would overflow, and a floor fifteen decades below it. The model works in
    /// single precision (up to 3.4e38), and positive parameters are divided by
    /// and into one another (a fee into a value weight, an income into the
    /// reference income): a tiny positive value overflows there later, as
    /// `shoppers.referenceIncome = 1e-320` did. Fifteen decades each keep any
    /// quotient or product of two within range.
    public static func positiveUpTo(_ b: Double) -> Bounds {
        Bounds(lower: b / Bounds.positiveDecades, lowerInclusive: false, upper: b)
    }

    /// How far below its ceiling a positive parameter may go (`positiveUpTo`).
    public static let positiveDecades = 1e15

    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        if let lower, lowerInclusive ? x < lower : x <= lower { return false }
        if let upper, upperInclusive ? x > upper : x >= upper { return false }
        return true
    }

    func text(_ noun: String) -> String {
        func f(_ x: Double) -> String { ScenarioValue.number(x).description }
        switch (lower, upper) {
        case (nil, nil): return "a finite \(noun)"
        case (let a?, nil): return "\(noun == "number" ? "a number" : "an integer") \(lowerInclusive ? ">=" : ">") \(f(a))"
        case (nil, let b?): return "\(noun == "number" ? "a number" : "an integer") \(upperInclusive ? "<=" : "<") \(f(b))"
        case (let a?, let b?):
            return "\(noun == "number" ? "a number" : "an integer") in \(lowerInclusive ? "[" : "(")\(f(a)), \(f(b))\(upperInclusive ? "]" : ")")"
        }
    }
}

/// One named, typed, bounded parameter of a scenario (docs/MODEL.md section 10).
/// `@unchecked Sendable`: it holds only key paths and non-capturing closures, all immutable.
public struct Parameter: @unchecked Sendable {
    public enum Domain {
        case real(Bounds)
        case integer(Bounds)
        case boolean
        case choice([String])
        /// Free text (a file path), at most 4,096 characters.
        case text
        /// A calendar date, YYYY-MM-DD from 1900-01-01 to 2199-12-31.
        case date
    }

    enum Access {
        case real(WritableKeyPath<Scenario, Double>)
        case integer(WritableKeyPath<Scenario, Int>)
        case boolean(WritableKeyPath<Scenario, Bool>)
        case choice(get: (Scenario) -> String, set: (inout Scenario, String) -> Void)
        case text(WritableKeyPath<Scenario, String>)
        /// Days since 1970-01-01.
        case date(WritableKeyPath<Scenario, Int>)
    }

    /// Dotted path, stable: scripts and sweeps depend on it.
    public let path: String
    public let domain: Domain
    /// Unit of the value (`km`, `dollars`, `hours`), or "" for pure numbers.
    public let unit: String
    /// What the value means.
    public let meaning: String
    let access: Access

    /// What is allowed, in words.
    public var allowed: String {
        switch domain {
        case .real(let b): return b.text("number")
        case .integer(let b): return b.text("integer")
        case .boolean: return "true or false"
        case .choice(let names): return "one of " + names.map { "\"\($0)\"" }.joined(separator: ", ")
        case .text: return "a text of at most 4,096 characters (a file path; \"\" for the built-in)"
        case .date: return "a date YYYY-MM-DD from 1900-01-01 to 2199-12-31"
        }
    }

    /// The Swift key path the parameter reads and writes, as text
    /// (`\Scenario.model.amazon.prime.monthlyFee`); nil for a choice, which goes
    /// through its enum's raw value. A test holds it equal to the path.
    public var keyPathText: String? {
        switch access {
        case .real(let k): k.debugDescription
        case .integer(let k): k.debugDescription
        case .boolean(let k): k.debugDescription
        case .choice: nil
        case .text(let k): k.debugDescription
        case .date(let k): k.debugDescription
        }
    }

    /// The value in `scenario`.
    public func value(in scenario: Scenario) -> ScenarioValue {
        switch access {
        case .real(let k): return .number(scenario[keyPath: k])
        case .integer(let k): return .number(Double(scenario[keyPath: k]))
        case .boolean(let k): return .boolean(scenario[keyPath: k])
        case .choice(let get, _): return .text(get(scenario))
        case .text(let k): return .text(scenario[keyPath: k])
        case .date(let k): return .text(WeekCalendar.text(day: scenario[keyPath: k]))
        }
    }

    /// Sets the parameter, or throws naming the path, the value and what is allowed.
    public func set(_ value: ScenarioValue, in scenario: inout Scenario, source: String) throws(InputError) {
        func refuse(_ why: String) -> InputError {
            InputError(source: source, path: path, value: value.description, problem: "\(why); allowed: \(allowed)")
        }
        switch (access, domain, value) {
        case (.real(let k), .real(let b), .number(let d)):
            guard d.isFinite else { throw refuse("not a finite number") }
            guard b.contains(d) else { throw refuse("out of range") }
            scenario[keyPath: k] = d
        case (.integer(let k), .integer(let b), .number(let d)):
            guard d.isFinite else { throw refuse("not a finite number") }
            // Every integer parameter's bounds lie within +-2^53, where doubles are exact.
            guard b.contains(d) else { throw refuse("out of range") }
            guard d == d.rounded() else { throw refuse("not a whole number") }
            scenario[keyPath: k] = Int(d)
        case (.boolean(let k), _, .boolean(let v)):
            scenario[keyPath: k] = v
        case (.choice(_, let assign), .choice(let names), .text(let t)):
            guard names.contains(t) else { throw refuse("not a known choice") }
            assign(&scenario, t)
        case (.text(let k), .text, .text(let t)):
            guard t.count <= 4096 else { throw refuse("too long") }
            guard !t.contains("\0") else { throw refuse("holds a NUL character") }
            scenario[keyPath: k] = t
        case (.date(let k), .date, .text(let t)):
            guard let day = WeekCalendar.day(text: t) else { throw refuse("not a date") }
            scenario[keyPath: k] = day
        default:
            throw refuse("wrong type")
        }
    }
}
