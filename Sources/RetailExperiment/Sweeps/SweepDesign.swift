import RetailStats

/// How a sweep places its points in the space of the varied parameters.
public enum SweepDesign: Sendable, Equatable, CustomStringConvertible {
    /// Every combination of every factor's values (a full factorial).
    case grid
    /// `points` points, each factor's range cut into that many strata with one point in each.
    case latinHypercube(points: Int)
    /// Saltelli's design on Sobol's sequence: `baseSamples x (factors + 2)`
    /// points, ready for `retailsim sensitivity`.
    case sobol(baseSamples: Int)
    /// Exactly the points of a CSV file whose columns are parameter paths
    /// (a design made elsewhere: SALib, EMA Workbench, pyDOE). The plan keeps
    /// the points, so the file is read once, when the sweep is planned.
    case external(file: String)

    var isExternal: Bool { if case .external = self { return true } else { return false } }

    /// The most points a design may have (a sweep holds them all in memory).
    public static let maximumPoints = 1_000_000

    /// Parses `grid`, `lhs:N` or `sobol:N`.
    public init(parsing text: String) throws(InputError) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        func count() throws(InputError) -> Int {
            guard parts.count == 2, let n = Int(parts[1]), (1...1_000_000).contains(n) else {
                throw InputError(source: "--design", value: text, problem: "needs a count of points from 1 to 1000000, e.g. \(parts[0]):256")
            }
            return n
        }
        switch parts.first ?? "" {
        case "grid" where parts.count == 1: self = .grid
        case "points" where parts.count == 2 && !parts[1].isEmpty: self = .external(file: parts[1])
        case "lhs": self = .latinHypercube(points: try count())
        case "sobol": self = .sobol(baseSamples: try count())
        default:
            throw InputError(source: "--design", value: text,
                             problem: "unknown design; allowed: grid, lhs:N (Latin hypercube), sobol:N (Saltelli on Sobol) or points:FILE.csv (your own points)")
        }
    }

    public var description: String {
        switch self {
        case .grid: return "grid"
        case .latinHypercube(let n): return "lhs:\(n)"
        case .sobol(let n): return "sobol:\(n)"
        case .external(let file): return "points:\(file)"
        }
    }

    /// The factors and points of a points file: a header of parameter paths,
    /// then one row a point. Each value is checked as `--vary`'s are, and
    /// refused with the file's line and the path.
    /// `lines[k]` is the file's line number of point k (blank lines skipped, not renumbered).
    public static func readPoints(_ file: String) throws(InputError) -> (factors: [SweepFactor], points: [[ScenarioValue]], lines: [Int]) {
        let text = try InputError.readText(file)
        let numbered = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .enumerated().map { ($0.offset + 1, String($0.element)) }.filter { !$0.1.trimmingCharacters(in: .whitespaces).isEmpty }
        let lines = numbered.map(\.1)
        guard let header = lines.first else { throw InputError(source: file, problem: "empty; allowed: a header of parameter paths, then one row a point") }
        let paths = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        let headerLine = "\(file):\(numbered[0].0)"
        for path in paths {
            if let why = SweepFactor.reserved[path] { throw InputError(source: headerLine, path: path, problem: "cannot be varied: \(why)") }
            guard ParameterCatalog.parameter(path) != nil else { throw InputError.unknownParameter(path, value: nil, source: headerLine) }
            guard seen.insert(path).inserted else { throw InputError(source: headerLine, path: path, problem: "a column given twice") }
        }
        guard lines.count > 1 else { throw InputError(source: file, problem: "has a header and no points") }
        guard lines.count - 1 <= maximumPoints else {
            throw InputError(source: file, problem: "has \(lines.count - 1) points; allowed: at most \(maximumPoints)")
        }
        var points: [[ScenarioValue]] = []
        var scratch = Scenario.baseline
        for (number, line) in numbered.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == paths.count else {
                throw InputError(source: "\(file):\(number)", problem: "\(cells.count) values, the header has \(paths.count) paths")
            }
            let values = cells.map { ScenarioValue(commandLine: $0) }
            for (path, value) in zip(paths, values) {
                try ParameterCatalog.parameter(path)!.set(value, in: &scratch, source: "\(file):\(number)")
            }
            points.append(values)
        }
        let factors = paths.enumerated().map { j, path in
            var unique: [ScenarioValue] = [], known = Set<ScenarioValue>()
            for p in points where known.insert(p[j]).inserted { unique.append(p[j]) }
            return SweepFactor(path: path, list: unique)
        }
        return (factors, points, numbered.dropFirst().map(\.0))
    }

    /// The file's line of each point of a points design.
    func pointLines() throws(InputError) -> [Int] {
        guard case .external(let file) = self else { return [] }
        return try SweepDesign.readPoints(file).lines
    }

    /// The points' values, factor by factor. Latin hypercube draws come from
    /// a stream keyed by the sweep's seed.
    func points(_ factors: [SweepFactor], seed: Int) throws(InputError) -> [[ScenarioValue]] {
        guard !factors.isEmpty else {
            throw InputError(source: "--vary", problem: "a sweep needs at least one --vary path=values")
        }
        if self != .grid, !isExternal, let gridRange = factors.first(where: { if case .range(_, _, _?) = $0.values { return true } else { return false } }) {
            throw InputError(source: "--vary", path: gridRange.path, value: gridRange.spec,
                                problem: "lo:hi:n is a grid's range; a \(self) design takes lo:hi (or a list a,b,c)")
        }
        switch self {
        case .grid:
            // Counted before any point is built: a grid too large to hold is refused, not allocated.
            let columns = try factors.map { factor throws(InputError) in try factor.gridValues() }
            var count = 1
            for values in columns {
                let (product, overflow) = count.multipliedReportingOverflow(by: values.count)
                guard !overflow, product <= SweepDesign.maximumPoints else {
                    throw InputError(source: "--vary", problem: "the grid has more than \(SweepDesign.maximumPoints) points; use fewer values or --design lhs:N")
                }
                count = product
            }
            var points: [[ScenarioValue]] = [[]]
            points.reserveCapacity(count)
            for values in columns { points = points.flatMap { head in values.map { head + [$0] } } }
            return points
        case .latinHypercube(let n):
            let stream: RandomStream
            do {
                stream = try RandomStream(key: StreamKey(seed: UInt64(seed), replicate: 0, purpose: .design))
            } catch {
                throw InputError(source: "--design", value: description, problem: "\(error)")
            }
            return LatinHypercube.sample(points: n, dimensions: factors.count, stream: stream).map { unit in
                zip(factors, unit).map { $0.value(at: $1) }
            }
        case .sobol(let n):
            guard factors.count <= SaltelliDesign.maxDimensions else {
                throw InputError(source: "--vary", value: "\(factors.count) factors",
                                    problem: "a Sobol design takes at most \(SaltelliDesign.maxDimensions) varied parameters")
            }
            guard n * (factors.count + 2) <= SweepDesign.maximumPoints else {
                throw InputError(source: "--design", value: description, problem: "gives \(n) x (\(factors.count) + 2) = \(n * (factors.count + 2)) points; "
                                 + "allowed: at most \(SweepDesign.maximumPoints)")
            }
            let unit: [[Double]]
            do {
                unit = try SaltelliDesign(baseSamples: n, dimensions: factors.count).points()
            } catch {
                throw InputError(source: "--design", value: description, problem: "\(error)")
            }
            return unit.map { zip(factors, $0).map { $0.value(at: $1) } }
        case .external(let file):
            return try SweepDesign.readPoints(file).points
        }
    }
}
