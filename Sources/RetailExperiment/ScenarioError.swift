/// Bad scenario input: names where it came from, the parameter, the value and
/// what is allowed. The command-line tool exits with status 2 on it.
public struct ScenarioError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Where the input came from: `file.toml:12`, `--set`, `--shoppers`.
    public var source: String
    /// The parameter path, when there is one.
    public var path: String?
    /// The value as given.
    public var value: String?
    /// What went wrong and what is allowed.
    public var problem: String

    public init(source: String, path: String? = nil, value: String? = nil, problem: String) {
        self.source = source
        self.path = path
        self.value = value
        self.problem = problem
    }

    public var description: String {
        var head = source
        if let path {
            head += ": \(path)"
            if let value { head += " = \(value)" }
        } else if let value {
            head += ": \(value)"
        }
        return "\(head): \(problem)"
    }
}
