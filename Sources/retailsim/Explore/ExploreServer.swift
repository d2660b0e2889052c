import Foundation
import RetailExperiment

/// `retailsim explore`'s web server (docs/EXPLORE.md): the page, its script
/// and style, the levers from the parameter catalogue, and live runs. Each
/// run is an `ExploreSession`; a page opens one per side (A, B) and drives it
/// over a WebSocket: the server streams one message per week at the rate the
/// page asks for, and keeps a run as `retailsim run` writes it.
///
/// Served by `LoopbackServer` on 127.0.0.1 only. Every request is answered:
/// a malformed one with 4xx and a message, a failure with 5xx; nothing a
/// page sends stops the server. A run's key is its number and 64 random
/// bits, so only the page that made a run can stream, keep or end it (F16).
final class ExploreServer: @unchecked Sendable {
    let port: UInt16
    let file: String?
    let assignments: [Assignment]
    let threads: Int
    /// Live runs by key; at most `maximumSessions` at once.
    private var sessions: [String: ExploreSession] = [:]
    private var counter = 0
    private let lock = NSLock()
    static let maximumSessions = 6

    /// The levers the page shows, in order (paths of the parameter catalogue).
    static let levers = ["amazon.prime.monthlyFee", "walmart.plus.monthlyFee", "amazon.strategy.pricing", "walmart.strategy.pricing",
                         "walmart.strategy.hubsPerQuarter", "walmart.storeDelivery.slotsPerStoreWeek", "amazon.strategy.ruralSitesPerQuarter",
                         "walmart.strategy.augmentation", "population.shoppers", "run.replicates", "run.weeks", "run.seed"]

    init(port: UInt16, file: String?, assignments: [Assignment], threads: Int) {
        self.port = port
        self.file = file
        self.assignments = assignments
        self.threads = threads
    }

    /// Answers one request (LoopbackServer calls it on the connection's own
    /// thread, so model work never holds the server); nil when the request
    /// became a WebSocket and the page has gone.
    func respond(_ request: HTTPRequest, _ connection: Connection) -> HTTPResponse? {
        if let refusal = refusal(request) { return refusal }
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        let method = request.method
        switch (method, parts) {
        case ("GET", [""]): return .text(ExplorePage.html, type: "text/html; charset=utf-8")
        case ("GET", ["explore.js"]): return .text(ExplorePage.script, type: "text/javascript; charset=utf-8")
        case ("GET", ["explore.css"]): return .text(ExplorePage.style, type: "text/css; charset=utf-8")
        case ("GET", ["api", "levers"]): return failing { .text(try levers(), type: "application/json") }
        case ("POST", ["api", "sessions"]): return create(request)
        case (_, let p) where (3...4).contains(p.count) && p[0] == "api" && p[1] == "sessions":
            guard let s = session(key: p[2]) else { return .problem(404, "no such run") }
            let key = p[2]
            switch (method, parts.count == 4 ? parts[3] : nil) {
            // Building the replicates' worlds is model work, on this connection's thread.
            case ("GET", "map"): return failing { .text(try s.map().json, type: "application/json") }
            case ("POST", "keep"): return keep(s)
            case ("DELETE", nil):
                remove(key)
                return HTTPResponse(status: 204, type: "application/json", body: [])
            case ("GET", "stream"): return stream(key, s, request, connection)
            default: return .problem(404, "no such address")
            }
        default: return .problem(404, "no such address")
        }
    }

    private func failing(_ body: () throws -> HTTPResponse) -> HTTPResponse {
        do {
            return try body()
        } catch {
            return .problem(400, String(describing: error))
        }
    }

    private func keep(_ s: ExploreSession) -> HTTPResponse {
        do {
            let folder = try s.keep(in: "runs")
            return .text("{\"folder\": \(JSONText.string(folder)), \"command\": \(JSONText.string(s.command(folder: folder)))}",
                         type: "application/json")
        } catch {
            // A disk that is full or read-only is the server's failure, not the request's.
            return .problem(error is OutputError ? 500 : 400, String(describing: error))
        }
    }

    /// Only this server's own page may use it (docs/EXPLORE.md, "Security"):
    /// the Host must be this loopback address and port (no DNS rebinding), an
    /// Origin if sent must be the page's own (no cross-site page, WebSocket
    /// included), and a POST must say it carries JSON (no "simple" cross-site form).
    func refusal(_ request: HTTPRequest) -> HTTPResponse? {
        let host = request.header("Host") ?? ""
        let hosts = ["127.0.0.1:\(port)", "localhost:\(port)"]
        guard hosts.contains(host.lowercased()) else {
            return .problem(403, "Host \(Self.clipped(host)) is not this server; allowed: \(hosts.joined(separator: " or "))")
        }
        if let origin = request.header("Origin"), origin.lowercased() != "http://\(host.lowercased())" {
            return .problem(403, "Origin \(Self.clipped(origin)) is not this server's page; allowed: http://\(host)")
        }
        if request.method == "POST" {
            let type = request.header("Content-Type") ?? ""
            guard type.lowercased().hasPrefix("application/json") else {
                return .problem(415, "Content-Type \(Self.clipped(type)) is not JSON; allowed: application/json")
            }
        }
        return nil
    }

    // MARK: sessions

    func session(key: String) -> ExploreSession? { lock.withLock { sessions[key] } }

    func remove(_ key: String) { lock.withLock { sessions[key] = nil } }

    /// POST /api/sessions with `{"settings": {"path": "value", ...}}`: checks
    /// the settings as the command line does; 400 with its message if bad.
    private func create(_ request: HTTPRequest) -> HTTPResponse {
        guard let tree = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
              let raw = tree["settings"] as? [String: Any] else {
            return .problem(400, "expected a JSON object {\"settings\": {\"path\": value, ...}} of at most 64 KB")
        }
        var settings: [String] = []
        for (path, value) in raw.sorted(by: { $0.key < $1.key }) {
            // Only the levers the page shows: no path can name a file (a regions
            // file's first line would come back in the error) or reach beyond them.
            guard Self.levers.contains(path) else {
                return .problem(400, "\(Self.clipped(path)) is not one of the page's levers; allowed: \(Self.levers.joined(separator: ", "))")
            }
            // The page sends every value as text, as --set takes it; a JSON
            // true or 5 is refused, not converted.
            guard let text = value as? String, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                return .problem(400, "\(path): a value must be text without control characters, such as \"12.99\" or \"match\"")
            }
            settings.append("\(path)=\(text)")
        }
        let (id, full) = lock.withLock { () -> (String, Bool) in
            reapUnopened()
            counter += 1
            return (String(format: "%04d", counter), sessions.count >= Self.maximumSessions)
        }
        let key = id + "-" + String(format: "%016llx", UInt64.random(in: .min ... .max))
        if full {
            return .problem(503, "\(Self.maximumSessions) runs are open; close a page or reset a run first")
        }
        let s: ExploreSession
        do {
            s = try ExploreSession(id: id, file: file, assignments: assignments, settings: settings, threads: threads)
        } catch {
            return .problem(400, String(describing: error))
        }
        lock.withLock { sessions[key] = s }
        let m = s.scenario
        return .text("{\"id\": \(JSONText.string(key)), \"weeks\": \(m.run.weeks), \"replicates\": \(m.run.replicates), \"posterior\": \(m.drawsFromPosterior), "
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

    // MARK: a run's stream

    /// GET /api/sessions/KEY/stream: the run's WebSocket. The page sends
    /// `open KEY` (the page's protocol since 0.7), then `start`, `pause`,
    /// `step` and `rate N` (weeks a second, 0.5 to 200); the server sends
    /// `{"type": "week"}` messages, `{"type": "done"}` once at the end, and
    /// `{"type": "error"}`. This thread reads; a second one steps the run and
    /// writes. When the socket closes, the run is dropped, so abandoned pages
    /// never hold the server's places.
    private func stream(_ key: String, _ s: ExploreSession, _ request: HTTPRequest, _ connection: Connection) -> HTTPResponse? {
        let accepted: HTTPResponse
        switch WebSocket.handshake(request) {
        case .success(let response): accepted = response
        case .failure(let refusal): return refusal
        }
        guard connection.write(accepted.bytes) else { return nil }
        connection.isUpgraded = true
        let socket = WebSocket(connection: connection)
        let control = StreamControl()
        let writer = Thread { [self] in
            write(socket, control)
            control.finished.signal()
        }
        writer.start()
        read: while true {
            guard case .text(let text) = socket.receive() else { break }
            let words = text.split(separator: " ").map(String.init)
            switch words.first {
            case "open" where words.count == 2:
                // One page a run: a second stream cannot take the first one's weeks.
                if words[1] == key, control.session == nil, s.claimStream() {
                    control.session = s
                    socket.send("{\"type\": \"open\", \"week\": \(s.weeksDone)}")
                } else {
                    socket.send("{\"type\": \"error\", \"error\": \"no such run, or another page streams it\"}")
                }
            case "start": control.running = true
            case "pause": control.running = false
            case "step": control.steps += 1
            case "rate" where words.count == 2:
                if let r = Double(words[1]), r.isFinite { control.rate = min(max(r, 0.5), 200) }
            default:
                socket.send("{\"type\": \"error\", \"error\": \(JSONText.string("unknown command: " + String(text.prefix(80))))}")
            }
        }
        control.closed = true
        control.finished.wait()
        if control.session != nil { remove(key) }
        connection.close()
        return nil
    }

    /// The stream's writer: a week a step at the page's rate, `done` once, a ping when idle.
    private func write(_ socket: WebSocket, _ control: StreamControl) {
        var pinged = Date()
        while !control.closed {
            if Date().timeIntervalSince(pinged) > WebSocket.pingSeconds {
                socket.ping()
                pinged = Date()
            }
            guard let s = control.session, !control.done, control.running || control.steps > 0 else {
                control.steps = 0
                usleep(20_000)
                continue
            }
            if control.steps > 0 { control.steps -= 1 }
            let started = Date()
            do {
                if let week = try s.step() {
                    socket.send(week.json)
                } else {
                    // Said once: later steps and starts are ignored (F16).
                    control.done = true
                    socket.send("{\"type\": \"done\", \"week\": \(s.weeksDone)}")
                }
            } catch {
                control.running = false
                socket.send("{\"type\": \"error\", \"error\": \(JSONText.string(String(describing: error)))}")
            }
            let wait = 1 / control.rate - Date().timeIntervalSince(started)
            if wait > 0 { usleep(UInt32(wait * 1e6)) }
        }
    }
}

/// What the page asked of a stream, shared by its reading and writing threads.
final class StreamControl: @unchecked Sendable {
    private let lock = NSLock()
    private var _session: ExploreSession?
    private var _running = false, _closed = false, _done = false
    private var _steps = 0
    private var _rate = 10.0
    /// Signalled when the writer has stopped.
    let finished = DispatchSemaphore(value: 0)

    var session: ExploreSession? { get { locked { _session } } set { locked { _session = newValue } } }
    var running: Bool { get { locked { _running } } set { locked { _running = newValue } } }
    var closed: Bool { get { locked { _closed } } set { locked { _closed = newValue } } }
    var done: Bool { get { locked { _done } } set { locked { _done = newValue } } }
    var steps: Int { get { locked { _steps } } set { locked { _steps = newValue } } }
    var rate: Double { get { locked { _rate } } set { locked { _rate = newValue } } }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
