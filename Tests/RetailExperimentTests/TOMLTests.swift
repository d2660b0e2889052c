import Foundation
import RetailExperiment
import RetailSimTestSupport
import XCTest

/// RetailSim's TOML reader reads what Python's tomllib reads, the same way,
/// and refuses what it refuses: every shipped file and a corpus of edge cases.
final class TOMLTests: XCTestCase {
    private let root = repositoryRoot

    /// Edge cases: line endings, strings, escapes, numbers, keys, tables.
    static let corpus: [String] = [
        "# Windows\r\n[amazon.strategy]\r\nruralSitesPerQuarter = 0\r\n",
        "# old Mac\r[amazon.strategy]\rruralSitesPerQuarter = 0\r",
        "a = 1\r\nb = 2\rc = 3\n", "a = 1\r\n\r", "a = 1\r",
        "\u{FEFF}a = 1\n",
        "[a]\nx = 1\n[a]\ny = 2\n",
        "[a.b]\nx = 1\n[a]\ny = 2\n",
        "a.b = 1\n[a]\nc = 2\n",
        "[a]\nb.c = 1\n[a.b]\nd = 2\n",
        "[a.b.c]\nx = 1\n[a]\nb.d = 2\n",
        "a = 1\na.b = 2\n",
        "a.b = 1\na = 2\n",
        "x = .5\n", "x = 5.\n", "x = 1_.0_1\n", "x = 1__000\n", "x = _1\n", "x = 1_\n", "x = 007\n", "x = 0x1p3\n",
        "x = 1_000\n", "x = 3.5e6\n", "x = -0.0\n", "x = +12\n", "x = 1E-3\n", "x = 6.02e+23\n", "x = 1e400\n",
        "x = 0x_1\n", "x = 0xDEAD_beef\n", "x = 0o17\n", "x = 0b1010\n", "x = +0x1\n", "x = 9223372036854775807\n", "x = 9223372036854775808\n",
        "x = inf\n", "x = +inf\n", "x = -inf\n", "x = nan\n", "x = -nan\n", "x = Inf\n", "x = NaN\n",
        "x = 1\u{00A0}\n", "x =\u{3000}1\n", "x = 1 # comment\n", "x = 1# comment\n", "x = 1 2\n",
        "name = \"a\" \"b\"\n", "name = \"a\"b\"\n", "name = \"a\\x\"\n", "name = \"a\\tb\"\n", "name = \"\\u00e9\"\n",
        "name = \"\\U0001F600\"\n", "name = \"\\uD800\"\n", "name = \"\"\"x\"\"\"\n", "name = '''x'''\n", "name = 'a\\tb'\n",
        "name = \"a # not a comment\" # a comment\n", "name = \"unclosed\n", "name = \"tab\there\"\n",
        "\"run.weeks\" = 5\n", "run . weeks = 5\n", "'run'.\"weeks\" = 5\n", "\"\" = 1\n", "a..b = 1\n", "a. = 1\n",
        "[ run ]\nweeks = 5\n", "[run\nweeks = 5\n", "[[run]]\nweeks = 5\n", "x = [1, 2]\n", "x = {a = 1}\n",
        "d = 1979-05-27\n", "t = 07:32:00\n", "x = true\n", "x = True\n", "x = truex\n", "x =\n", "= 1\n", "x 1\n",
        "x = 1 # ctrl \u{07} in comment\n", "x = 1\n\n\n# end", "",
        "a = 1\n[[timeline]]\nweek = 3\npath = \"x\"\n[[timeline]]\nweek = 4\n[b]\nc = 1\n", "[[timeline]]\nweek = 1\nweek = 2\n",
        "[[timeline]]\nx = 1\n[timeline]\ny = 2\n", "[timeline]\nx = 1\n[[timeline]]\ny = 2\n", "timeline = 1\n[[timeline]]\nx = 1\n",
        "[[ timeline ]]\nweek = 1\n", "[[timeline]\nweek = 1\n", "[[timeline]]\nv.w = 1\n[timeline.v]\nz = 1\n",
    ]

    func testReadsAsTomllibDoes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-toml-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [URL] = []
        for (k, text) in TOMLTests.corpus.enumerated() {
            let url = folder.appendingPathComponent("case-\(k).toml")
            try Data(text.utf8).write(to: url)
            files.append(url)
        }
        let shipped = FileManager.default.enumerator(at: root.appendingPathComponent("Experiments"), includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "toml" }
        XCTAssertGreaterThan(shipped.count, 10)
        files += shipped

        let (status, output) = try runPython([root.appendingPathComponent("Tests/Fixtures/toml_values.py").path] + files.map(\.path))
        XCTAssertEqual(status, 0, "python3 with tomllib (3.11+) is needed")
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, files.count)
        var agreed = 0
        for (url, line) in zip(files, lines) {
            let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            let name = url.lastPathComponent
            let ours: [TOMLReader.Entry]?
            do { ours = try TOMLReader.read(text, name: name) } catch { ours = nil }
            let shown = url.path.hasPrefix(folder.path) ? String(reflecting: TOMLTests.corpus[Int(name.dropFirst(5).dropLast(5))!]) : url.path
            guard expected["ok"] as? Bool == true else {
                XCTAssertNil(ours, "tomllib refuses \(shown) (\(expected["error"] ?? "")); RetailSim read it")
                continue
            }
            let values = try XCTUnwrap(expected["values"] as? [String: [Any]])
            guard let ours else {
                // Allowed only for what scenarios do not use: arrays, inline tables, times and date-times, multi-line strings,
                // arrays of tables other than [[timeline]].
                let unsupported = values.values.contains { $0.first as? String == "unsupported" }
                    || text.contains("\"\"\"") || text.contains("'''") || text.contains("= {")
                    || (text.contains("[[") && !text.contains("[[timeline]]"))
                XCTAssertTrue(unsupported, "tomllib reads \(shown); RetailSim refused it")
                continue
            }
            XCTAssertEqual(Set(ours.map { $0.keys.joined(separator: "\u{1F}") }), Set(values.keys), "keys of \(shown)")
            for entry in ours {
                guard let v = values[entry.keys.joined(separator: "\u{1F}")] else { continue }
                switch (entry.value, v[0] as? String) {
                case (.number(let d), "number"):
                    let theirs = v[1] as! String
                    // Integers a double cannot hold exactly (beyond 2^53) are read one step further out, so integer bounds refuse them.
                    let beyond = abs(d) > 9_007_199_254_740_992 && (Double(theirs)?.nextUp == d || Double(theirs)?.nextDown == d)
                    XCTAssertTrue(theirs == "nan" ? d.isNaN : Double(theirs) == d || beyond, "\(shown): \(d) against \(theirs)")
                case (.boolean(let b), "boolean"): XCTAssertEqual(b, v[1] as? Bool, shown)
                case (.text(let t), "text"), (.text(let t), "date"): XCTAssertEqual(t, v[1] as? String, shown)
                default: XCTFail("\(shown): \(entry.value) against \(v)")
                }
            }
            agreed += 1
        }
        XCTAssertGreaterThan(agreed, 30)
    }

    /// The messages name the file and line: a CRLF file reads, a CR-only one is refused by line.
    func testLineEndingsAndMessages() throws {
        let crlf = try ScenarioFile.parseTOML("# Windows\r\n[amazon.strategy]\r\nruralSitesPerQuarter = 0\r\n", name: "w.toml")
        XCTAssertEqual(crlf.map(\.path), ["amazon.strategy.ruralSitesPerQuarter"])
        XCTAssertEqual(crlf.first?.source, "w.toml:3")
        XCTAssertThrowsError(try ScenarioFile.parseTOML("# Mac\r[run]\rweeks = 5\r", name: "m.toml")) { error in
            XCTAssertEqual("\(error)", "m.toml:1: a carriage return not followed by a line feed; allowed line endings: LF or CRLF")
        }
        XCTAssertThrowsError(try ScenarioFile.parseTOML("\"run.weeks\" = 5\n", name: "q.toml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("q.toml:1: run.weeks: the quoted key \"run.weeks\" is one TOML key"), "\(error)")
        }
        let deep = String(repeating: "a.", count: 10_000) + "b = 1\n"
        XCTAssertThrowsError(try ScenarioFile.parseTOML(deep, name: "d.toml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("d.toml:1: a key of more than 64 dotted parts"), "\(error)")
        }
        XCTAssertThrowsError(try ScenarioFile.parseTOML("[run]\nweeks = 5\n[run]\nseed = 2\n", name: "t.toml")) { error in
            XCTAssertEqual("\(error)", "t.toml:3: table [run] is defined twice")
        }
    }
}
