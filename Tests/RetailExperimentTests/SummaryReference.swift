import Foundation
import RetailExperiment
import RetailSimTestSupport
import XCTest

/// A committed summary.json that a performance change must reproduce within
/// sampling error: the code before the change made it, the code after runs
/// the same scenario with other seeds.
struct SummaryReference {
    let folder: URL
    /// (mean, sd) of every metric, by name (options' metrics as "kind.code").
    let metrics: [String: (mean: Double, sd: Double)]
    let replicates: Double

    init(_ name: String, file: String = #filePath) throws {
        folder = repositoryRoot.appendingPathComponent("Results/\(name)")
        let data = try Data(contentsOf: folder.appendingPathComponent("summary.json"))
        let tree = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var out: [String: (Double, Double)] = [:]
        func stats(_ any: Any?) -> (Double, Double)? {
            guard let d = any as? [String: Any], let m = d["mean"] as? Double, let s = d["sd"] as? Double else { return nil }
            return (m, s)
        }
        for (name, value) in tree { if let s = stats(value) { out[name] = s } }
        for (code, value) in tree["options"] as? [String: [String: Any]] ?? [:] {
            for (kind, v) in value { if let s = stats(v) { out["\(kind).\(code)"] = s } }
        }
        metrics = out
        replicates = Double(try XCTUnwrap(tree["replicates"] as? Int))
    }

    /// Every metric of `runs` (one a replicate) within `limit`
    /// standard errors of the reference's mean, the replicate spread taken
    /// from the reference (more replicates estimate it better); returns the largest difference.
    @discardableResult
    func assertAgrees(with runs: [ReplicateMetrics], leaving skip: Set<String> = [], limit: Double = 5,
                      file: StaticString = #filePath, line: UInt = #line) -> (z: Double, name: String) {
        XCTAssertTrue(Set(metrics.keys).isSubset(of: Set(MetricCatalog.names)), "every reference metric is still computed", file: file, line: line)
        let n = Double(runs.count)
        var largest = (z: 0.0, name: "")
        for (k, name) in MetricCatalog.names.enumerated() {
            guard let (refMean, refSD) = metrics[name], !skip.contains(name) else { continue }
            let mean = runs.map { $0.values[k] }.reduce(0, +) / n
            let standardError = refSD * (1 / replicates + 1 / n).squareRoot()
            let z = abs(mean - refMean) / max(standardError, 1e-9)
            XCTAssertLessThan(z, limit, "\(name): \(mean) now against \(refMean) before (standard error \(standardError))", file: file, line: line)
            if z > largest.z { largest = (z, name) }
        }
        return largest
    }
}
