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
            // Every figure the page draws, groceries and pickup among them, is sent and is a share.
            for name in ExploreWeek.metricNames {
                let value = try XCTUnwrap(week.replicates[0][name], name)
                XCTAssertTrue((0...1).contains(value), "\(name) \(value)")
            }
            XCTAssertGreaterThan(week.replicates[0]["onlineShareOfGrocery"] ?? 0, 0)
            XCTAssertGreaterThan(week.replicates[0]["spendShare.WP"] ?? 0, 0)
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
        let (process, address, _) = try startServer(in: work)
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
        XCTAssertEqual(try request("POST", "/api/sessions", String(repeating: "x", count: 70_000)).0, 413)
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
        let (process, _, port) = try startServer(in: work)
        defer { if process.isRunning { process.terminate() } }
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
        let (key, id) = try XCTUnwrap(made.1.firstMatch(of: /"id": "((\d+)-[0-9a-f]{16})"/).map { (String($0.output.1), String($0.output.2)) })
        // A link planted at the predictable name is not followed; keeps never share a folder.
        try FileManager.default.createDirectory(at: work.appendingPathComponent("runs"), withIntermediateDirectories: true)
        let elsewhere = try folder()
        try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent("runs/explore-\(id)").path, withDestinationPath: elsewhere.path)
        var kept: [String] = []
        for _ in 0..<2 {
            let k = try send("POST", "/api/sessions/\(key)/keep", headers: ["Host: \(host)", json])
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

    /// F6, F13, F23 of the third hostile test: every malformed request gets
    /// a status and a message, a long line is refused at 16 KB, a body at
    /// 64 KB by its Content-Length before it is read.
    func testEveryMalformedRequestIsAnswered() throws {
        let (process, _, port) = try startServer(in: try folder())
        defer { if process.isRunning { process.terminate() } }
        let host = "Host: 127.0.0.1:\(port)\r\n"
        func status(_ bytes: [UInt8]) throws -> Int {
            let reply = try rawHTTP(port: port, bytes)
            XCTAssertTrue(reply.contains("{\"error\": "), "every refusal says why: \(reply.prefix(200))")
            return Int(reply.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        func status(_ text: String) throws -> Int { try status(Array(text.utf8)) }
        XCTAssertEqual(try status("garbage\r\n\r\n"), 400)
        XCTAssertEqual(try status("GET / HTTP/9.9\r\n\(host)\r\n"), 505)
        XCTAssertEqual(try status("BREW / HTTP/1.1\r\n\(host)\r\n"), 405)
        XCTAssertEqual(try status("GET http://127.0.0.1/ HTTP/1.1\r\n\(host)\r\n"), 400, "absolute form")
        XCTAssertEqual(try status("GET / HTTP/1.1\r\n\(host)no colon here\r\n\r\n"), 400)
        XCTAssertEqual(try status(Array("GET /".utf8) + [0xFF, 0xFE] + Array(" HTTP/1.1\r\n\(host)\r\n".utf8)), 400, "not UTF-8")
        XCTAssertEqual(try status("GET /\u{0} HTTP/1.1\r\n\(host)\r\n"), 400, "a NUL in the path")
        XCTAssertEqual(try status("GET / HTTP/1.1\r\n\(host)X: " + String(repeating: "a", count: 262_144) + "\r\n\r\n"), 431, "a 256 KB line")
        let post = "POST /api/sessions HTTP/1.1\r\n\(host)Content-Type: application/json\r\n"
        XCTAssertEqual(try status(post + "Content-Length: 67108864\r\n\r\n"), 413, "refused before a byte of the body")
        XCTAssertEqual(try status(post + "Content-Length: 12x\r\n\r\n"), 400)
        XCTAssertEqual(try status(post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"), 400)
        XCTAssertEqual(try status(post + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 501)
        XCTAssertEqual(try status(post + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}"), 400)
        XCTAssertEqual(try status("GET /api/sessions/0001/stream HTTP/1.1\r\n\(host)\r\n"), 404, "no such run")
        XCTAssertTrue(try rawHTTP(port: port, "GET / HTTP/1.1\nHost: 127.0.0.1:\(port)\n\n").hasPrefix("HTTP/1.1 200 OK"), "bare LF line ends")
        let cut = try TestSocket(port: port)
        cut.send(Array("GET / HTTP/1.1\r\n".utf8))
        shutdown(cut.fd, Int32(SHUT_WR))
        XCTAssertTrue(String(decoding: cut.receiveAll(), as: UTF8.self).hasPrefix("HTTP/1.1 400"), "a head cut short is answered")
        XCTAssertTrue(try rawHTTP(port: port, "GET / HTTP/1.1\r\n\(host)\r\n").hasPrefix("HTTP/1.1 200 OK"), "still serving")
    }

    /// F7: the server outlives slow clients and running out of descriptors:
    /// a request that does not arrive in 10 s gets 408, and with 40
    /// descriptors, 45 idle connections get 503s, never an exit.
    func testSlowAndManyClientsDoNotStopTheServer() throws {
        let (process, _, port) = try startServer(in: try folder(), descriptors: 40)
        defer { if process.isRunning { process.terminate() } }
        let slow = try TestSocket(port: port)
        slow.send(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n".utf8))
        let idle = try (0..<45).map { _ in try TestSocket(port: port) }
        let refused = idle.filter { String(decoding: $0.receive(within: 3), as: UTF8.self).hasPrefix("HTTP/1.1 503") }
        XCTAssertGreaterThan(refused.count, 0, "connections beyond the descriptors are told 503")
        XCTAssertTrue(process.isRunning, "running out of descriptors does not stop the server")
        XCTAssertTrue(String(decoding: slow.receiveAll(within: 15), as: UTF8.self).hasPrefix("HTTP/1.1 408"), "a slow request is timed out")
        withExtendedLifetime(idle) {}
        let after = try rawHTTP(port: port, "GET /api/levers HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n")
        XCTAssertTrue(after.hasPrefix("HTTP/1.1 200 OK"), after)
    }

    /// F13, F16: a run's WebSocket (RFC 6455's handshake) streams its weeks
    /// and says done once however often it is stepped after; a frame that
    /// announces 2^62 bytes is closed with 1009 before it is read; a run's key
    /// cannot be guessed from its number.
    func testRunStreamIsBoundedAndOwned() throws {
        let (process, _, port) = try startServer(in: try folder())
        defer { if process.isRunning { process.terminate() } }
        let host = "Host: 127.0.0.1:\(port)\r\n"
        let key = try createRun(port: port, weeks: 3)
        XCTAssertTrue(try rawHTTP(port: port, "DELETE /api/sessions/0001 HTTP/1.1\r\n\(host)\r\n").hasPrefix("HTTP/1.1 404"),
                      "a run's number alone does not end it")
        let socket = try TestSocket(port: port)
        socket.send(TestSocket.streamHandshake(port: port, key: key))
        var bytes: [UInt8] = []
        while !String(decoding: bytes, as: UTF8.self).contains("\r\n\r\n"), case let chunk = socket.receive(within: 10), !chunk.isEmpty {
            bytes += chunk
        }
        let head = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 101"), head)
        XCTAssertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), "RFC 6455's own example: \(head)")
        socket.send(TestSocket.frame(opcode: 1, Array("open \(key)".utf8)) + TestSocket.frame(opcode: 1, Array("rate 200".utf8))
                    + (0..<40).flatMap { _ in TestSocket.frame(opcode: 1, Array("step".utf8)) })
        // Everything until the stream falls silent for 3 s (the weeks come at 200 a second).
        while case let chunk = socket.receive(within: 3), !chunk.isEmpty { bytes += chunk }
        let frames = TestSocket.frames(Array(bytes[(bytes.firstRange(of: Array("\r\n\r\n".utf8))!.upperBound)...]))
        let texts = frames.map { String(decoding: $0.payload, as: UTF8.self) }
        XCTAssertEqual(texts.filter { $0.contains("\"type\": \"week\"") }.count, 3, texts.joined(separator: "\n"))
        XCTAssertEqual(texts.filter { $0.contains("\"type\": \"done\"") }.count, 1, "done is said once, not once a step")
        socket.send(Array(TestSocket.frame(opcode: 1, [], announcing: 1 << 62).prefix(10)))
        let close = TestSocket.frames(socket.receiveAll(within: 10))
        XCTAssertEqual(close.first?.opcode, 8)
        XCTAssertEqual(close.first?.payload, [0x03, 0xF1], "1009: message too big")

        // Ctrl-C while a page streams a long run stops the server at once.
        let longKey = try createRun(port: port, weeks: 3000)
        let streaming = try TestSocket(port: port)
        streaming.send(TestSocket.streamHandshake(port: port, key: longKey)
                       + TestSocket.frame(opcode: 1, Array("open \(longKey)".utf8)) + TestSocket.frame(opcode: 1, Array("start".utf8)))
        XCTAssertTrue(String(decoding: streaming.receive(within: 10), as: UTF8.self).hasPrefix("HTTP/1.1 101"))
        usleep(500_000)
        kill(process.processIdentifier, SIGINT)
        let asked = Date()
        while process.isRunning && Date().timeIntervalSince(asked) < 10 { usleep(20_000) }
        XCTAssertFalse(process.isRunning, "a stream does not hold the server after Ctrl-C")
        if !process.isRunning { XCTAssertEqual(process.terminationStatus, 0) }
    }

    /// A run of 2,000 households made through the API; its key.
    private func createRun(port: UInt16, weeks: Int) throws -> String {
        let body = "{\"settings\":{\"population.shoppers\":\"2000\",\"run.weeks\":\"\(weeks)\"}}"
        let made = try rawHTTP(port: port, "POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
                                           + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
        return try XCTUnwrap(made.firstMatch(of: /"id": "(\d+-[0-9a-f]{16})"/).map { String($0.output.1) }, made)
    }

    /// The server on a free port in `work` (with at most `descriptors` open files), its address and port.
    private func startServer(in work: URL, descriptors: Int? = nil) throws -> (Process, String, UInt16) {
        let process = Process()
        if let descriptors {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(descriptors) && exec \"$0\" explore --port 0", retailsimBinary.path]
        } else {
            process.executableURL = retailsimBinary
            process.arguments = ["explore", "--port", "0"]
        }
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
        let match = try XCTUnwrap(text.firstMatch(of: /http:\/\/127\.0\.0\.1:(\d+)\//), text)
        return (process, String(match.output.0), try XCTUnwrap(UInt16(match.output.1)))
    }
}

/// Sends `text` to 127.0.0.1:port and reads the reply to its end (the request asks to close).
func rawHTTP(port: UInt16, _ text: String) throws -> String {
    try rawHTTP(port: port, Array(text.utf8))
}

func rawHTTP(port: UInt16, _ bytes: [UInt8]) throws -> String {
    let socket = try TestSocket(port: port)
    socket.send(bytes)
    return String(decoding: socket.receiveAll(), as: UTF8.self)
}

/// A client socket to 127.0.0.1 for tests that speak HTTP and WebSocket byte by byte.
final class TestSocket {
    let fd: Int32

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// What arrives within `seconds` (empty at a timeout or the end).
    func receive(within seconds: Int = 30) -> [UInt8] {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    /// Everything until the server closes (or 30 s pass without a byte).
    func receiveAll(within seconds: Int = 30) -> [UInt8] {
        var reply: [UInt8] = []
        while case let chunk = receive(within: seconds), !chunk.isEmpty { reply += chunk }
        return reply
    }

    /// The opening handshake of run `key`'s stream, with RFC 6455's example key.
    static func streamHandshake(port: UInt16, key: String) -> [UInt8] {
        Array(("GET /api/sessions/\(key)/stream HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8)
    }

    /// A client's WebSocket frame: final, masked, with the length as announced.
    static func frame(opcode: UInt8, _ payload: [UInt8], announcing length: UInt64? = nil) -> [UInt8] {
        let n = length ?? UInt64(payload.count)
        var bytes: [UInt8] = [0x80 | opcode]
        switch n {
        case ..<126: bytes.append(0x80 | UInt8(n))
        case ..<65_536: bytes += [0x80 | 126, UInt8(n >> 8), UInt8(n & 0xFF)]
        default: bytes.append(0x80 | 127); bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: n >> (UInt64($0) * 8)) }
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        return bytes + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }

    /// The server's frames in `bytes` (unmasked, as a server sends): opcode and payload.
    static func frames(_ bytes: [UInt8]) -> [(opcode: UInt8, payload: [UInt8])] {
        var frames: [(UInt8, [UInt8])] = [], i = 0
        while i + 2 <= bytes.count {
            var length = Int(bytes[i + 1] & 0x7F), start = i + 2
            guard length < 127, length < 126 || i + 4 <= bytes.count else { break }
            if length == 126 { (length, start) = (Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]), i + 4) }
            guard start + length <= bytes.count else { break }
            frames.append((bytes[i] & 0x0F, Array(bytes[start..<start + length])))
            i = start + length
        }
        return frames
    }
}
