// Not in the static binary (make dist): see Package.swift.
#if canImport(FlyingFox)
import FlyingFox
import Foundation
import RetailExperiment

/// `retailsim explore`'s web server (docs/EXPLORE.md): the page, its script
/// and style, the levers from the parameter catalogue, and live runs. Each
/// run is an `ExploreSession`; a page opens one per side (A, B) and drives it
/// over a WebSocket: the server streams one message per week at the rate the
/// page asks for, and keeps a run as `retailsim run` writes it.
///
/// Bound to 127.0.0.1 only. Every request is answered: a malformed one with
/// 4xx and a message, a failure with 5xx; nothing a page sends stops the server.
final class ExploreServer: @unchecked Sendable {
    let file: String?
    let assignments: [Assignment]
    let threads: Int
    /// Live runs by id; at most `maximumSessions` at once.
    private var sessions: [String: ExploreSession] = [:]
    private var counter = 0
    private let lock = NSLock()
    static let maximumSessions = 6

    /// The levers the page shows, in order (paths of the parameter catalogue).
    static let levers = ["amazon.prime.monthlyFee", "walmart.plus.monthlyFee", "amazon.strategy.pricing", "walmart.strategy.pricing",
                         "walmart.strategy.hubsPerQuarter", "amazon.strategy.ruralSitesPerQuarter", "walmart.strategy.augmentation",
                         "population.shoppers", "run.replicates", "run.weeks", "run.seed"]

    init(file: String?, assignments: [Assignment], threads: Int) {
        self.file = file
        self.assignments = assignments
        self.threads = threads
    }

    /// The port the server listens on, once it does; until then every request is refused.
    var port: UInt16? {
        get { lock.withLock { _port } }
        set { lock.withLock { _port = newValue } }
    }
    private var _port: UInt16?

    func routes(_ server: HTTPServer) async {
        func route(_ pattern: String, _ body: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) async {
            await server.appendRoute(HTTPRoute(stringLiteral: pattern)) { [self] request in
                if let refusal = refusal(request) { return refusal }
                return try await body(request)
            }
        }
        await route("GET /") { _ in Self.text(ExplorePage.html, type: "text/html; charset=utf-8") }
        await route("GET /explore.js") { _ in Self.text(ExplorePage.script, type: "text/javascript; charset=utf-8") }
        await route("GET /explore.css") { _ in Self.text(ExplorePage.style, type: "text/css; charset=utf-8") }
        await route("GET /api/levers") { [self] _ in Self.text(try levers(), type: "application/json") }
        await route("POST /api/sessions") { [self] request in try await create(request) }
        await route("GET /api/sessions/*/map") { [self] request in
            guard let s = session(request) else { return Self.problem(.notFound, "no such run") }
            // Building the replicates' worlds is model work: off the server's threads.
            do {
                return Self.text(try await Self.offLoop { try s.map().json }, type: "application/json")
            } catch let error as RetailSimError {
                return Self.problem(.badRequest, String(describing: error))
            }
        }
        await route("POST /api/sessions/*/keep") { [self] request in
            guard let s = session(request) else { return Self.problem(.notFound, "no such run") }
            let folder: String
            do {
                folder = try await Self.offLoop { try s.keep(in: "runs") }
            } catch let error as RetailSimError {
                return Self.problem(error is OutputError ? .internalServerError : .badRequest, String(describing: error))
            }
            return Self.text("{\"folder\": \(JSONText.string(folder)), \"command\": \(JSONText.string(s.command(folder: folder)))}",
                             type: "application/json")
        }
        await route("DELETE /api/sessions/*") { [self] request in
            guard let id = request.path.split(separator: "/").last.map(String.init) else { return Self.problem(.badRequest, "no run") }
            remove(id)
            return HTTPResponse(statusCode: .noContent)
        }
        let stream = WebSocketHTTPHandler.webSocket(StreamHandler(server: self))
        await route("GET /api/sessions/*/stream") { request in try await stream.handleRequest(request) }
    }

    /// Only this server's own page may use it (docs/EXPLORE.md, "Security"):
    /// the Host must be this loopback address and port (no DNS rebinding), an
    /// Origin if sent must be the page's own (no cross-site page, WebSocket
    /// included), and a POST must say it carries JSON (no "simple" cross-site form).
    func refusal(_ request: HTTPRequest) -> HTTPResponse? {
        guard let port else { return Self.problem(.serviceUnavailable, "the server is starting") }
        let host = request.headers[.host] ?? ""
        let hosts = ["127.0.0.1:\(port)", "localhost:\(port)"]
        guard hosts.contains(host.lowercased()) else {
            return Self.problem(.forbidden, "Host \(Self.clipped(host)) is not this server; allowed: \(hosts.joined(separator: " or "))")
        }
        if let origin = request.headers[HTTPHeader("Origin")], origin.lowercased() != "http://\(host.lowercased())" {
            return Self.problem(.forbidden, "Origin \(Self.clipped(origin)) is not this server's page; allowed: http://\(host)")
        }
        if request.method == .POST {
            let type = request.headers[.contentType] ?? ""
            guard type.lowercased().hasPrefix("application/json") else {
                return Self.problem(.unsupportedMediaType, "Content-Type \(Self.clipped(type)) is not JSON; allowed: application/json")
            }
        }
        return nil
    }

    // MARK: sessions

    func session(_ request: HTTPRequest) -> ExploreSession? {
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 3 else { return nil }
        return session(id: parts[2])
    }

    func session(id: String) -> ExploreSession? {
        lock.lock()
        defer { lock.unlock() }
        return sessions[id]
    }

    func remove(_ id: String) {
        lock.lock()
        sessions[id] = nil
        lock.unlock()
    }

    /// POST /api/sessions with `{"settings": {"path": "value", ...}}`: checks
    /// the settings as the command line does; 400 with its message if bad.
    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try await request.bodyData
        guard body.count <= 65_536, let tree = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let raw = tree["settings"] as? [String: Any] else {
            return Self.problem(.badRequest, "expected a JSON object {\"settings\": {\"path\": value, ...}} of at most 64 KB")
        }
        var settings: [String] = []
        for (path, value) in raw.sorted(by: { $0.key < $1.key }) {
            // Only the levers the page shows: no path can name a file (a regions
            // file's first line would come back in the error) or reach beyond them.
            guard Self.levers.contains(path) else {
                return Self.problem(.badRequest, "\(Self.clipped(path)) is not one of the page's levers; allowed: \(Self.levers.joined(separator: ", "))")
            }
            // The page sends every value as text, as --set takes it; a JSON
            // true or 5 is refused, not converted.
            guard let text = value as? String, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                return Self.problem(.badRequest, "\(path): a value must be text without control characters, such as \"12.99\" or \"match\"")
            }
            settings.append("\(path)=\(text)")
        }
        let (id, full) = lock.withLock { () -> (String, Bool) in
            reapUnopened()
            counter += 1
            return (String(format: "%04d", counter), sessions.count >= Self.maximumSessions)
        }
        if full {
            return Self.problem(.serviceUnavailable, "\(Self.maximumSessions) runs are open; close a page or reset a run first")
        }
        let s: ExploreSession
        do {
            s = try ExploreSession(id: id, file: file, assignments: assignments, settings: settings, threads: threads)
        } catch let error as RetailSimError {
            return Self.problem(.badRequest, String(describing: error))
        }
        lock.withLock { sessions[id] = s }
        let m = s.scenario
        return Self.text("{\"id\": \(JSONText.string(id)), \"weeks\": \(m.run.weeks), \"replicates\": \(m.run.replicates), "
                         + "\"households\": \(m.model.population.shoppers), \"command\": \(JSONText.string(s.command(folder: "runs/explore-\(id)")))}",
                         type: "application/json")
    }

    /// Drops runs whose page never opened their stream within a minute (a
    /// page that went away before it streamed); called under the lock.
    private func reapUnopened() {
        let now = Date()
        for (id, s) in sessions where !s.isStreamed && now.timeIntervalSince(s.created) > 60 { sessions[id] = nil }
    }

    /// The levers as the catalogue writes them (`scenario show --format json`), at the scenario's values.
    private func levers() throws -> String {
        ParameterCatalog.json(try Scenario.load(file: file, assignments: assignments), paths: Self.levers)
    }

    // MARK: helpers

    /// A value a client sent, quoted and cut short for a message.
    static func clipped(_ s: String) -> String { "\"" + s.prefix(60) + (s.count > 60 ? "...\"" : "\"") }

    static func text(_ body: String, type: String) -> HTTPResponse {
        HTTPResponse(statusCode: .ok, headers: [.contentType: type, HTTPHeader("Cache-Control"): "no-store"], body: Data(body.utf8))
    }

    static func problem(_ status: HTTPStatusCode, _ message: String) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "application/json"],
                     body: Data("{\"error\": \(JSONText.string(message))}".utf8))
    }

    /// Runs blocking model work on a dispatch queue, not on the server's tasks.
    static func offLoop<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}

/// The WebSocket of one run: the page sends `start`, `pause`, `step` and
/// `rate N` (weeks a second, 0.5 to 200); the server sends `{"type": "week"}`
/// messages, `{"type": "done"}` at the end, and `{"type": "error"}`. When the
/// socket closes, the run is dropped.
struct StreamHandler: WSMessageHandler {
    let server: ExploreServer

    func makeMessages(for client: AsyncStream<WSMessage>) async throws -> AsyncStream<WSMessage> {
        let (stream, continuation) = AsyncStream<WSMessage>.makeStream()
        let control = StreamControl()
        // The session id comes in the first message ("open ID"), since the
        // handler does not see the request path.
        Task {
            for await message in client {
                guard case .text(let text) = message else { continue }
                let words = text.split(separator: " ").map(String.init)
                switch words.first {
                case "open" where words.count == 2:
                    // One page a run: a second stream cannot take the first one's weeks.
                    if let s = server.session(id: words[1]), control.session == nil, s.claimStream() {
                        control.session = s
                        continuation.yield(.text("{\"type\": \"open\", \"week\": \(s.weeksDone)}"))
                    } else {
                        continuation.yield(.text("{\"type\": \"error\", \"error\": \"no such run, or another page streams it\"}"))
                    }
                case "start": control.running = true
                case "pause": control.running = false
                case "step": control.steps += 1
                case "rate" where words.count == 2:
                    if let r = Double(words[1]), r.isFinite { control.rate = min(max(r, 0.5), 200) }
                default:
                    continuation.yield(.text("{\"type\": \"error\", \"error\": \(JSONText.string("unknown command: " + String(text.prefix(80))))}"))
                }
            }
            // The page went away (closed, reloaded, reset): its run goes too,
            // so abandoned pages never hold the server's places.
            control.closed = true
            if let s = control.session { server.remove(s.id) }
            continuation.finish()
        }
        Task {
            while !control.closed {
                guard let s = control.session, control.running || control.steps > 0 else {
                    try? await Task.sleep(nanoseconds: 20_000_000)
                    continue
                }
                if control.steps > 0 { control.steps -= 1 }
                let started = Date()
                do {
                    if let week = try await ExploreServer.offLoop({ try s.step() }) {
                        continuation.yield(.text(week.json))
                    } else {
                        control.running = false
                        continuation.yield(.text("{\"type\": \"done\", \"week\": \(s.weeksDone)}"))
                    }
                } catch {
                    control.running = false
                    continuation.yield(.text("{\"type\": \"error\", \"error\": \(JSONText.string(String(describing: error)))}"))
                }
                let wait = 1 / control.rate - Date().timeIntervalSince(started)
                if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
            }
        }
        return stream
    }
}

/// What the page asked of a stream, shared by its reading and writing tasks.
final class StreamControl: @unchecked Sendable {
    private let lock = NSLock()
    private var _session: ExploreSession?
    private var _running = false, _closed = false
    private var _steps = 0
    private var _rate = 10.0

    var session: ExploreSession? { get { locked { _session } } set { locked { _session = newValue } } }
    var running: Bool { get { locked { _running } } set { locked { _running = newValue } } }
    var closed: Bool { get { locked { _closed } } set { locked { _closed = newValue } } }
    var steps: Int { get { locked { _steps } } set { locked { _steps = newValue } } }
    var rate: Double { get { locked { _rate } } set { locked { _rate = newValue } } }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
#endif
