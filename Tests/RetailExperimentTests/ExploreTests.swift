import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RetailExperiment
import RetailModel
import RetailSimTestSupport
import XCTest

/// `retailsim explore`: a live run is the run `retailsim run` makes, week for
/// week and byte for byte when kept; bad levers get the command line's
/// message; the server answers malformed requests with 4xx and stops on
/// Ctrl-C. (The page itself is driven in Chromium by make test-explore.)
final class ExploreTests: XCTestCase {

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
        let repeated = try scenario(settings: settings)
        try RunOutput.write(try Replicates.run(repeated, threads: 1), to: again.path)
        for name in ["weekly.csv", "members.csv", "retailers.csv", "waits.csv", "regions.csv", "summary.json", "scenario.json"] {
            XCTAssertEqual(try Data(contentsOf: kept.appendingPathComponent(name)), try Data(contentsOf: again.appendingPathComponent(name)), name)
        }
        XCTAssertEqual(session.command(folder: "runs/x"),
                       "retailsim run --set population.shoppers=6000 --set run.weeks=15 --set run.replicates=2 --set amazon.prime.monthlyFee=17.5 --write-facilities --out runs/x")
    }

    func testBadLeversGetTheCommandLinesMessage() throws {
        XCTAssertThrowsError(try ExploreSession(id: "t", file: nil, assignments: [], settings: ["amazon.prime.monthlyFee=-1"], threads: 1)) { error in
            XCTAssertEqual(String(describing: error), "--set: amazon.prime.monthlyFee = -1: out of range; allowed: a number in (1e-12, 1000]")
        }
        XCTAssertThrowsError(try ExploreSession(id: "t", file: nil, assignments: [], settings: ["amazon.prime.fee=9"], threads: 1)) { error in
            XCTAssertTrue(String(describing: error).contains("amazon.prime.monthlyFee"), "suggests the nearest path: \(error)")
        }
    }

    /// The server on a free port: the page and its levers, a run created and
    /// refused, 4xx for what is malformed, and a clean stop on Ctrl-C.
    func testServerAnswersAndStopsCleanly() throws {
        let work = try folder()
        let (process, address) = try startServer(in: work)
        defer { if process.isRunning { process.terminate() } }

        func request(_ method: String, _ path: String, _ body: String? = nil) throws -> (Int, String) {
            var r = URLRequest(url: try XCTUnwrap(URL(string: address + path.dropFirst())))
            r.httpMethod = method
            r.httpBody = body.map { Data($0.utf8) }
            if method == "POST" { r.setValue("application/json", forHTTPHeaderField: "Content-Type") }
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
        // The page is its files, byte for byte (embedded by SwiftPM).
        for name in ["explore.html", "explore.js", "explore.css"] {
            let file = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/retailsim/Explore/page/\(name)"), encoding: .utf8)
            XCTAssertEqual(try request("GET", name == "explore.html" ? "/" : "/\(name)").1, file, name)
        }
        let levers = try request("GET", "/api/levers")
        XCTAssertTrue(levers.1.contains("\"path\": \"amazon.prime.monthlyFee\"") && levers.1.contains("dollars a month"))
        let bad = try request("POST", "/api/sessions", "{\"settings\": {\"amazon.prime.monthlyFee\": \"-2\"}}")
        XCTAssertEqual(bad.0, 400)
        XCTAssertTrue(bad.1.contains("out of range; allowed: a number in (1e-12, 1000]"), bad.1)
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

    /// F1, F2, F4, F9, F17 of the third hostile test (docs/EXPLORE.md,
    /// "Security"): only the server's own page is served (Host, Origin,
    /// JSON content type, the WebSocket handshake too); the API sets only the
    /// levers, as text, so no request names a file; every replicate built at
    /// once counts toward memory; keeps never overwrite one another.
    func testOnlyThePagesOwnRequestsAreServed() throws {
        let work = try folder()
        let (process, address) = try startServer(in: work)
        defer { if process.isRunning { process.terminate() } }
        let port = try XCTUnwrap(UInt16(address.split(separator: ":").last!.dropLast()))
        let host = "127.0.0.1:\(port)"
        func send(_ method: String, _ path: String, headers: [String] = [], body: String = "") throws -> (Int, String) {
            let head = ["\(method) \(path) HTTP/1.1"] + headers + ["Content-Length: \(body.utf8.count)", "Connection: close"]
            let reply = try rawHTTP(port: port, head.joined(separator: "\r\n") + "\r\n\r\n" + body)
            let status = Int(reply.split(separator: " ").dropFirst().first ?? "") ?? 0
            return (status, reply)
        }
        let json = "Content-Type: application/json"
        XCTAssertEqual(try send("GET", "/api/levers", headers: ["Host: \(host)"]).0, 200)
        XCTAssertEqual(try send("GET", "/api/levers", headers: ["Host: localhost:\(port)"]).0, 200)
        XCTAssertEqual(try send("GET", "/api/levers", headers: ["Host: evil.example"]).0, 403, "DNS rebinding: a foreign Host")
        XCTAssertEqual(try send("GET", "/api/levers", headers: ["Host: \(host)", "Origin: http://evil.example"]).0, 403, "a cross-site page")
        XCTAssertEqual(try send("POST", "/api/sessions", headers: ["Host: \(host)", "Content-Type: text/plain"], body: "{\"settings\":{}}").0, 415,
                       "a simple cross-site POST")
        let socket = try send("GET", "/api/sessions/0001/stream", headers: ["Host: \(host)", "Origin: http://evil.example", "Upgrade: websocket",
                                                                             "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                                                                             "Sec-WebSocket-Version: 13"])
        XCTAssertEqual(socket.0, 403, "cross-site WebSocket hijacking")
        let file = try send("POST", "/api/sessions", headers: ["Host: \(host)", json], body: "{\"settings\":{\"geography.regionsFile\":\"/etc/passwd\"}}")
        XCTAssertEqual(file.0, 400)
        XCTAssertFalse(file.1.contains("root:"), "no file's first line comes back")
        XCTAssertTrue(file.1.contains("is not one of the page's levers"), file.1)
        XCTAssertEqual(try send("POST", "/api/sessions", headers: ["Host: \(host)", json], body: "{\"settings\":{\"amazon.prime.monthlyFee\":true}}").0, 400,
                       "a JSON true is not a fee of $1")
        let many = try send("POST", "/api/sessions", headers: ["Host: \(host)", json],
                            body: "{\"settings\":{\"population.shoppers\":\"1\",\"run.replicates\":\"3000\",\"run.weeks\":\"1\"}}")
        XCTAssertEqual(many.0, 400, "3,000 replicates in lockstep do not fit")
        XCTAssertTrue(many.1.contains("run.replicates"), many.1)
        let made = try send("POST", "/api/sessions", headers: ["Host: \(host)", json],
                            body: "{\"settings\":{\"population.shoppers\":\"2000\",\"run.weeks\":\"3\"}}")
        XCTAssertEqual(made.0, 200, made.1)
        let id = try XCTUnwrap(made.1.firstMatch(of: /"id": "(\d+)"/)?.output.1)
        // A link planted at the predictable name is not followed; keeps never share a folder.
        try FileManager.default.createDirectory(at: work.appendingPathComponent("runs"), withIntermediateDirectories: true)
        let elsewhere = try folder()
        try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent("runs/explore-\(id)").path, withDestinationPath: elsewhere.path)
        var kept: [String] = []
        for _ in 0..<2 {
            let k = try send("POST", "/api/sessions/\(id)/keep", headers: ["Host: \(host)", json])
            XCTAssertEqual(k.0, 200, k.1)
            kept.append(try XCTUnwrap(k.1.firstMatch(of: /"folder": "([^"]+)"/).map { String($0.output.1) }))
        }
        XCTAssertEqual(kept, ["runs/explore-\(id)-2", "runs/explore-\(id)-3"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path), [], "nothing written through the link")
        for k in kept { XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent(k + "/summary.json").path)) }
    }

    /// The command that repeats a kept run is safe to paste (F18).
    func testRepeatCommandIsQuotedForTheShell() throws {
        let file = try folder().appendingPathComponent("it's $(id) `x`.toml").path
        try "[amazon.strategy]\nruralSitesPerQuarter = 0\n".write(toFile: file, atomically: true, encoding: .utf8)
        let session = try ExploreSession(id: "t", file: file, assignments: [], settings: ["run.weeks=3"], threads: 1)
        let command = session.command(folder: "runs/x")
        // The shell splits it into the words it stands for, running nothing.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "printf '%s\\n' " + command.dropFirst("retailsim ".count)]
        let pipe = Pipe()
        shell.standardOutput = pipe
        try shell.run()
        let words = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
        shell.waitUntilExit()
        XCTAssertEqual(words, ["run", file, "--set", "run.weeks=3", "--write-facilities", "--out", "runs/x"], command)
    }

    /// The server on a free port in `work`, and its address.
    private func startServer(in work: URL) throws -> (Process, String) {
        let process = Process()
        process.executableURL = retailsimBinary
        process.arguments = ["explore", "--port", "0"]
        process.currentDirectoryURL = work
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        let address = try XCTUnwrap(text.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\//).map { String($0.output) }, text)
        return (process, address)
    }
}

/// Sends `text` to 127.0.0.1:port and reads the reply to its end (the request asks to close).
func rawHTTP(port: UInt16, _ text: String) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    var timeout = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = Array(text.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var reply = [UInt8](), buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        reply += buffer[0..<n]
    }
    return String(decoding: reply, as: UTF8.self)
}
