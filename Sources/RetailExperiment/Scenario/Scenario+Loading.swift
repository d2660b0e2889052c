import Foundation
import RetailModel

extension Scenario {
    /// Applies assignments in order (later ones win), then checks the whole.
    /// The path `name` sets the scenario's name; every other path must be in
    /// the parameter catalogue.
    public mutating func apply(_ assignments: [Assignment]) throws(InputError) {
        // The timeline's entries (`timeline.[k].week`, ...) are changes during the run, added in the order given.
        // So are `[[facility]]`'s (`facility.[k].action`, ...): facilities opened or closed at a place.
        let isTimeline = { (a: Assignment) in a.path.hasPrefix("timeline.") }
        let isFacility = { (a: Assignment) in a.path.hasPrefix("facility.") }
        timeline += try Scenario.timelineChanges(assignments.filter(isTimeline))
        facilityChanges += try Scenario.facilityEntries(assignments.filter(isFacility))
        for a in assignments where !isTimeline(a) && !isFacility(a) {
            if a.path == "name" {
                guard case .text(let t) = a.value, !t.isEmpty else {
                    throw InputError(source: a.source, path: "name", value: a.value.description, problem: "wrong type; allowed: a non-empty string")
                }
                name = t
                continue
            }
            guard let parameter = ParameterCatalog.parameter(a.path) else {
                throw InputError.unknownParameter(a.path, value: a.value.description, source: a.source)
            }
            try parameter.set(a.value, in: &self, source: a.source)
        }
    }

    /// Parses `path=value` as given to `--set`.
    public static func commandLineAssignment(_ text: String) throws(InputError) -> Assignment {
        guard let eq = text.firstIndex(of: "=") else {
            throw InputError(source: "--set", value: text, problem: "expected path=value, e.g. --set amazon.priceIndex=1.02")
        }
        let path = text[..<eq].trimmingCharacters(in: .whitespaces)
        return Assignment(path: path, value: ScenarioValue(commandLine: String(text[text.index(after: eq)...])), source: "--set")
    }

    /// Loads a scenario: the baseline, then the file (if any), then the
    /// command-line assignments in order; then checks it.
    public static func load(file: String?, assignments: [Assignment], arm: [Assignment] = []) throws(InputError) -> Scenario {
        guard let file else { return try load(base: [], name: Scenario.baseline.name, assignments: assignments, arm: arm) }
        return try load(base: try ScenarioFile.read(file), name: ((file as NSString).lastPathComponent as NSString).deletingPathExtension,
                        assignments: assignments, arm: arm)
    }

    /// Loads a scenario: the baseline, then `base` (a file's assignments,
    /// the file named `name`; a `name` among them wins), then `assignments`,
    /// then an experiment's `arm` (which a posterior's draw leaves as set); then checks it.
    public static func load(base fileAssignments: [Assignment], name: String, assignments: [Assignment],
                            arm: [Assignment] = []) throws(InputError) -> Scenario {
        var scenario = Scenario.baseline
        scenario.name = name
        try scenario.apply(fileAssignments)
        try scenario.apply(assignments + arm)
        scenario.armPaths = Set(arm.map(\.path))
        var sources: [String: String] = [:]
        for a in fileAssignments + assignments + arm { sources[a.path] = a.source }
        try scenario.validate(sources: sources)
        // The posterior draws over the file's values, but what is set after the file must not be drawn (an arm's lever holds over it).
        try scenario.refuseDrawn(assignments.map(\.path).filter { !scenario.armPaths.contains($0) }) { p in assignments.last { $0.path == p }!.source }
        return scenario
    }
}
