extension Scenario {
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
        // A scenario without a posterior reads as it did before run.posterior existed.
        for p in ParameterCatalog.all where p.path != "run.posterior" || drawsFromPosterior {
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
        var text = write(root, depth: 0)
        if !timeline.isEmpty {
            // The timeline after the parameters, one change a line.
            let changes = timeline.map { c in
                "    {\"\(c.timeField.0)\": \(c.timeField.1.text(for: .json)), \"path\": \(JSONText.string(c.path)), \"value\": \(c.value.text(for: .json))}"
            }
            text = String(text.dropLast(2)) + ",\n  \"timeline\": [\n" + changes.joined(separator: ",\n") + "\n  ]\n}"
        }
        if !facilityChanges.isEmpty {
            // The facility changes last, one a line.
            let entries = facilityChanges.map { e in
                "    {" + e.fields.map { "\(JSONText.string($0.0)): \($0.1.text(for: .json))" }.joined(separator: ", ") + "}"
            }
            text = String(text.dropLast(2)) + ",\n  \"facility\": [\n" + entries.joined(separator: ",\n") + "\n  ]\n}"
        }
        return text + "\n"
    }

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
        for c in timeline {
            out += "\n[[timeline]]\n\(c.timeField.0) = \(c.timeField.1.text(for: .toml))\npath = \(JSONText.string(c.path))\nvalue = \(c.value.text(for: .toml))\n"
        }
        for e in facilityChanges {
            out += "\n[[facility]]\n" + e.fields.map { "\($0.0) = \($0.1.text(for: .toml))\n" }.joined()
        }
        return out
    }
}
