import Foundation
import RetailExperiment
import RetailSimTestSupport
import XCTest

/// What a paper needs: a licence, a citation that parses and names this
/// version, and an ODD description with every section of the protocol.
final class PublishingTests: XCTestCase {
    private let root = repositoryRoot

    /// CITATION.cff parses as YAML (with Python's PyYAML, as GitHub's and
    /// Zenodo's readers are YAML readers) and carries the fields CFF 1.2 requires.
    func testCitationParsesAndNamesThisVersion() throws {
        let (status, data) = try runPython(["-c", """
            import json, sys, yaml
            print(json.dumps(yaml.safe_load(open(sys.argv[1])), default=str))
            """, root.appendingPathComponent("CITATION.cff").path])
        XCTAssertEqual(status, 0, "CITATION.cff does not parse as YAML (python3 with PyYAML)")
        let cff = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(cff["cff-version"] as? String, "1.2.0")
        for field in ["message", "title", "authors", "version", "license", "date-released"] { XCTAssertNotNil(cff[field], field) }
        XCTAssertEqual(cff["version"] as? String, RetailSimVersion.string, "CITATION.cff names another version")
        XCTAssertEqual(cff["license"] as? String, "GPL-3.0-or-later")
        XCTAssertFalse((cff["authors"] as? [Any] ?? []).isEmpty)
    }

    func testLicenceAndODD() throws {
        let licence = try String(contentsOf: root.appendingPathComponent("LICENSE"), encoding: .utf8)
        XCTAssertTrue(licence.contains("GNU GENERAL PUBLIC LICENSE") && licence.contains("Version 3, 29 June 2007"))
        let odd = try String(contentsOf: root.appendingPathComponent("docs/ODD.md"), encoding: .utf8)
        for section in ["## 1. Purpose and patterns", "## 2. Entities, state variables and scales", "## 3. Process overview and scheduling",
                        "## 4. Design concepts", "## 5. Initialisation", "## 6. Input data", "## 7. Submodels"] {
            XCTAssertTrue(odd.contains(section), section)
        }
        XCTAssertTrue(odd.contains("RetailSim \(RetailSimVersion.string)"), "docs/ODD.md names another version")
        // Every file of the submodel table exists.
        let files = odd.components(separatedBy: "`").filter { $0.hasSuffix(".swift") }
        XCTAssertGreaterThan(files.count, 8)
        let sources = FileManager.default.enumerator(atPath: root.appendingPathComponent("Sources").path)!.compactMap { $0 as? String }
        for f in files.map({ $0.replacingOccurrences(of: "Sources/", with: "") }) {
            XCTAssertTrue(sources.contains { $0.hasSuffix(f) }, "docs/ODD.md names \(f), which is not in Sources")
        }
    }
}
