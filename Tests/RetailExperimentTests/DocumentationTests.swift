import Foundation
import XCTest

/// The README's worked example and the committed Results are what the current
/// code prints: a change that moves the numbers must update them.
final class DocumentationTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    private var binary: URL { builtTool(beside: DocumentationTests.self) }

    func testReadmeExampleAndResultsMatchTheCurrentCode() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-doc-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "--replicates", "5", "--seed", "1", "--out", out.path, "--quiet"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        // Everything but the last line, which names the output folder.
        func table(_ text: String) -> [String] {
            Array(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).prefix { !$0.hasPrefix("wrote ") })
        }
        let committed = try String(contentsOf: root.appendingPathComponent("Results/baseline/summary.txt"), encoding: .utf8)
        XCTAssertEqual(table(printed), table(committed), "Results/baseline is stale: bash Experiments/scripts/baseline.sh")
        for name in ["summary.json", "weekly.csv", "members.csv", "retailers.csv", "waits.csv", "scenario.json"] {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(name)),
                           try Data(contentsOf: root.appendingPathComponent("Results/baseline/\(name)")), "Results/baseline/\(name) is stale")
        }
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssertTrue(readme.contains(table(printed).joined(separator: "\n")), "README's worked example is stale")
    }
}
