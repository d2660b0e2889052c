import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RetailExperiment
import RetailModel
import XCTest

/// `retailsim explore`: a live run is the run `retailsim run` makes, week for
/// week and byte for byte when kept; bad levers get the command line's
/// message; the server answers malformed requests with 4xx and stops on
/// Ctrl-C. (The page itself is driven in Chromium by make test-explore.)
final class ExploreTests: XCTestCase {
    private var binary: URL { builtTool(beside: ExploreTests.self) }

    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-explore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testKeptRunIsTheRunCommandsRun() throws {
        let settings = ["population.shoppers=6000", "run.weeks=15", "run.replicates=2", "amazon.prime.monthlyFee=17.5"]
        let session = try ExploreSession(id: "t", file: nil, assignments: [], settings: settings, threads: 2)
        var weeks = 0
        while let week = try session.step() {
            weeks += 1
            XCTAssertEqual(week.week, weeks)
            XCTAssertEqual(week.replicates.count, 2)
            let total = Option.allCases.reduce(0.0) { $0 + (week.replicates[0]["spendShare.\($1.code)"] ?? 0) }
            XCTAssertEqual(total, 1, accuracy: 1e-9)
            if weeks == 6 { break }
        }
        let root = try folder()
        let kept = root.appendingPathComponent("kept"), again = root.appendingPathComponent("again")
        try session.keep(to: kept.path)
        XCTAssertNil(try session.step(), "a kept run has run every week")
        let scenario = try Scenario.load(file: nil, assignments: try settings.map { try Scenario.commandLineAssignment($0) })
        try RunOutput.write(try Replicates.run(scenario, threads: 1), to: again.path)
        for name in ["weekly.csv", "members.csv", "retailers.csv", "waits.csv", "regions.csv", "summary.json", "scenario.json"] {
            XCTAssertEqual(try Data(contentsOf: kept.appendingPathComponent(name)), try Data(contentsOf: again.appendingPathComponent(name)), name)
        }
        XCTAssertEqual(session.command(folder: "runs/x"),
                       "retailsim run --set population.shoppers=6000 --set run.weeks=15 --set run.replicates=2 --set amazon.prime.monthlyFee=17.5 --write-facilities --out runs/x")
    }

    func testBadLeversGetTheCommandLinesMessage() throws {
        XCTAssertThrowsError(try ExploreSession(id: "t", file: nil, assignments: [], settings: ["amazon.prime.monthlyFee=-1"], threads: 1)) { error in
            XCTAssertEqual(String(describing: error), "--set: amazon.prime.monthlyFee = -1: out of range; allowed: a number in (0, 1000]")
        }
        XCTAssertThrowsError(try ExploreSession(id: "t", file: nil, assignments: [], settings: ["amazon.prime.fee=9"], threads: 1)) { error in
            XCTAssertTrue(String(describing: error).contains("amazon.prime.monthlyFee"), "suggests the nearest path: \(error)")
        }
    }

    /// The server on a free port: the page and its levers, a run created and
    /// refused, 4xx for what is malformed, and a clean stop on Ctrl-C.
    func testServerAnswersAndStopsCleanly() throws {
        let work = try folder()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["explore", "--port", "0"]
        process.currentDirectoryURL = work
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        let address = try XCTUnwrap(text.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\//).map { String($0.output) }, text)

        func request(_ method: String, _ path: String, _ body: String? = nil) throws -> (Int, String) {
            var r = URLRequest(url: try XCTUnwrap(URL(string: address + path.dropFirst())))
            r.httpMethod = method
            r.httpBody = body.map { Data($0.utf8) }
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var result = (0, "")
            URLSession.shared.dataTask(with: r) { data, response, _ in
                result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
                done.signal()
            }.resume()
            XCTAssertEqual(done.wait(timeout: .now() + 30), .success, path)
            return result
        }
        let page = try request("GET", "/")
        XCTAssertEqual(page.0, 200)
        XCTAssertTrue(page.1.contains("<script src=\"/explore.js\">"))
        XCTAssertFalse(try request("GET", "/explore.js").1.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"),
                       "the script fetches nothing from elsewhere (the SVG namespace is a name, not an address)")
        let levers = try request("GET", "/api/levers")
        XCTAssertTrue(levers.1.contains("\"path\": \"amazon.prime.monthlyFee\"") && levers.1.contains("dollars a month"))
        let bad = try request("POST", "/api/sessions", "{\"settings\": {\"amazon.prime.monthlyFee\": \"-2\"}}")
        XCTAssertEqual(bad.0, 400)
        XCTAssertTrue(bad.1.contains("out of range; allowed: a number in (0, 1000]"), bad.1)
        let made = try request("POST", "/api/sessions", "{\"settings\": {\"population.shoppers\": \"3000\", \"run.weeks\": \"5\"}}")
        XCTAssertEqual(made.0, 200, made.1)
        XCTAssertEqual(try request("POST", "/api/sessions", "{broken").0, 400)
        XCTAssertEqual(try request("POST", "/api/sessions", String(repeating: "x", count: 70_000)).0, 400)
        XCTAssertEqual(try request("GET", "/api/sessions/nope/map").0, 404)
        XCTAssertEqual(try request("GET", "/no/such/page").0, 404)
        XCTAssertEqual(try request("GET", "/").0, 200, "still serving after malformed requests")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "Ctrl-C stops the server cleanly")
    }
}
