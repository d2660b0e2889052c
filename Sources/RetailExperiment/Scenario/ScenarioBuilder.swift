import Foundation
import RetailModel

extension Scenario {
    /// Applies assignments in order (later ones win), then checks the whole.
    /// The path `name` sets the scenario's name; every other path must be in
    /// the parameter catalogue.
    public mutating func apply(_ assignments: [Assignment]) throws(InputError) {
        for a in assignments {
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

    /// Checks what no single parameter's range can: relations between parameters.
    public func validate() throws(InputError) {
        let m = model
        func fail(_ path: String, _ value: String, _ problem: String) -> InputError {
            InputError(source: "scenario", path: path, value: value, problem: problem)
        }
        if run.warmupWeeks >= run.weeks {
            throw fail("run.warmupWeeks", "\(run.warmupWeeks)", "must be less than run.weeks (\(run.weeks)) so that some weeks are summarised")
        }
        if m.amazon.strategy.priceFloor > m.amazon.strategy.priceCeiling {
            throw fail("amazon.strategy.priceFloor", "\(m.amazon.strategy.priceFloor)", "must not exceed amazon.strategy.priceCeiling (\(m.amazon.strategy.priceCeiling))")
        }
        if m.amazon.strategy.enabled && m.amazon.strategy.dynamicPricing
            && !(m.amazon.strategy.priceFloor...m.amazon.strategy.priceCeiling).contains(m.amazon.priceIndex) {
            throw fail("amazon.priceIndex", "\(m.amazon.priceIndex)",
                       "lies outside [priceFloor, priceCeiling] = [\(m.amazon.strategy.priceFloor), \(m.amazon.strategy.priceCeiling)] while dynamic pricing is on")
        }
        if m.amazon.fulfillmentCenters > m.geography.cities {
            throw fail("amazon.fulfillmentCenters", "\(m.amazon.fulfillmentCenters)", "must not exceed geography.cities (\(m.geography.cities)): one a city")
        }
        if m.amazon.sameDaySites > m.geography.cities {
            throw fail("amazon.sameDaySites", "\(m.amazon.sameDaySites)", "must not exceed geography.cities (\(m.geography.cities)): one a city")
        }
        if m.geography.towns == 0 && m.population.urbanShare < 1 && m.geography.remoteShare < 1 {
            throw fail("geography.towns", "0", "rural shoppers need towns unless geography.remoteShare is 1 or population.urbanShare is 1")
        }
        let grid = ShopperGrid.dimensions(widthKm: m.geography.widthKm, heightKm: m.geography.heightKm, cellKm: ShopperGrid.standardCellKm)
        if grid.columns * grid.rows > ShopperGrid.maximumCells {
            throw fail("geography.widthKm", "\(m.geography.widthKm)",
                       "with geography.heightKm = \(m.geography.heightKm) gives \(grid.columns * grid.rows) grid cells of 10 km; "
                       + "allowed: at most \(ShopperGrid.maximumCells) (e.g. 40,000 km x 40,000 km)")
        }
        let meanTrips = m.shoppers.tripsPerWeek.shape * m.shoppers.tripsPerWeek.scale
        if meanTrips > 20 {
            throw fail("shoppers.tripsPerWeek.scale", "\(m.shoppers.tripsPerWeek.scale)",
                       "gives \(meanTrips) trips a week on average (shape x scale); allowed: at most 20")
        }
        if m.population.people / m.walmart.peoplePerStore > 10_000_000 {
            throw fail("walmart.peoplePerStore", "\(m.walmart.peoplePerStore)", "gives more than 10 million stores")
        }
    }

    /// Loads a scenario: the baseline, then the file (if any), then the
    /// command-line assignments in order; then checks it.
    public static func load(file: String?, assignments: [Assignment]) throws(InputError) -> Scenario {
        var scenario = Scenario.baseline
        if let file {
            scenario.name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            try scenario.apply(ScenarioFile.read(file))
        }
        try scenario.apply(assignments)
        try scenario.validate()
        return scenario
    }

    /// The whole resolved scenario as nested JSON, parameters in catalogue order:
    /// enough to run it again (`retailsim run scenario.json`).
    public func json() -> String {
        final class Node {
            var children: [(String, Node)] = []
            var value: String?
            func child(_ key: String) -> Node {
                if let found = children.first(where: { $0.0 == key }) { return found.1 }
                let made = Node()
                children.append((key, made))
                return made
            }
        }
        let root = Node()
        root.child("name").value = JSONText.string(name)
        for p in ParameterCatalog.all {
            var node = root
            for part in p.path.split(separator: ".") { node = node.child(String(part)) }
            node.value = p.value(in: self).text(for: .json)
        }
        func write(_ node: Node, depth: Int) -> String {
            if let v = node.value { return v }
            let indent = String(repeating: "  ", count: depth + 1)
            let members = node.children.map { indent + JSONText.string($0.0) + ": " + write($0.1, depth: depth + 1) }
            return "{\n" + members.joined(separator: ",\n") + "\n" + String(repeating: "  ", count: depth) + "}"
        }
        return write(root, depth: 0) + "\n"
    }
}

/// JSON text for numbers and strings, written the same way on every run.
enum JSONText {
    /// Whole numbers (below 2^53, where doubles are exact) without a
    /// fraction, others in Swift's shortest round-trip form, non-finite as null.
    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) <= 9_007_199_254_740_992 { return String(Int64(d)) }
        return String(d)
    }

    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

extension Scenario {
    /// The whole resolved scenario as a TOML file that `run` reads back:
    /// `comment` lines first, then every parameter as `path = value`, in
    /// catalogue order, with `# note` after the paths in `notes`.
    public func toml(comment: [String], notes: [String: String] = [:]) -> String {
        var out = comment.map { "# " + $0 }.joined(separator: "\n") + "\n"
        out += "name = \(JSONText.string(name))\n\n"
        for p in ParameterCatalog.all {
            let text = p.value(in: self).text(for: .toml)
            out += "\(p.path) = \(text)" + (notes[p.path].map { "    # " + $0 } ?? "") + "\n"
        }
        return out
    }
}
