import Foundation
import Glibc
import RetailExperiment

/// explore's HTTP/1.1 server on BSD sockets: 127.0.0.1 only, one thread a
/// connection, one request a connection (`Connection: close`), and every
/// read bounded in bytes and time, so that no client can hold the server:
/// the request head at most 16 KB within 10 s, a body at most 64 KB and
/// refused by its Content-Length before it is read, at most 64 connections
/// (the 65th gets 503), and running out of descriptors answers 503 instead
/// of stopping the server. A malformed request gets a 4xx and a message.
/// Foundation's networking is not used, so the static binary has explore.
final class LoopbackServer: @unchecked Sendable {
    static let headBytes = 16_384, bodyBytes = 65_536, connections = 64
    static let requestSeconds = 10.0

    /// What a request gets: a response, or nil when the handler took the
    /// connection over (a WebSocket) and has finished with it.
    typealias Handler = @Sendable (HTTPRequest, Connection) -> HTTPResponse?

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var open = 0, stopping = false
    /// Connections whose request a handler has in hand.
    private var inHand: [ObjectIdentifier: Connection] = [:]
    /// A descriptor kept free so that a connection can still be accepted
    /// and told 503 when the process has run out (F7).
    private var reserve: Int32 = -1

    /// Listens on 127.0.0.1:`port` (0: any free port); throws the system's reason.
    init(port: UInt16) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ServeError(errno) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 128) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else {
            let error = ServeError(errno)
            close(listener)
            throw error
        }
        self.listener = listener
        self.port = UInt16(bigEndian: address.sin_port)
        reserve = Glibc.open("/dev/null", O_RDONLY)
    }

    /// Accepts and answers connections until `stop()`, then waits for the
    /// requests in hand (a keep finishes writing its files); open WebSockets
    /// (`Connection.isUpgraded`) are dropped, not waited for.
    func serve(_ handler: @escaping Handler) {
        signal(SIGPIPE, SIG_IGN)
        while !lock.withLock({ stopping }) {
            var ready = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 200) > 0 else { continue }
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EMFILE || errno == ENFILE { refuseWithReserve() }
                continue
            }
            let admitted = lock.withLock { () -> Bool in
                guard open < Self.connections else { return false }
                open += 1
                return true
            }
            let connection = Connection(fd: fd)
            guard admitted else {
                connection.refuse(HTTPResponse.problem(503, "\(Self.connections) connections are open; try again shortly"), linger: false)
                continue
            }
            let thread = Thread { [self] in
                answer(connection, handler)
                lock.withLock { open -= 1 }
            }
            thread.stackSize = 1 << 21
            thread.start()
        }
        while lock.withLock({ inHand.values.contains { !$0.isUpgraded } }) { usleep(10_000) }
        close(listener)
    }

    func stop() { lock.withLock { stopping = true } }

    private func answer(_ connection: Connection, _ handler: Handler) {
        defer { connection.close() }
        let deadline = Date().addingTimeInterval(Self.requestSeconds)
        let request: HTTPRequest
        switch connection.readRequest(until: deadline) {
        case .request(let r): request = r
        case .refused(let response): return connection.refuse(response)
        case .gone: return
        }
        lock.withLock { inHand[ObjectIdentifier(connection)] = connection }
        // Written before the request leaves our hands, so a stop does not cut the answer off.
        if let response = handler(request, connection) { _ = connection.write(response.bytes) }
        lock.withLock { inHand[ObjectIdentifier(connection)] = nil }
    }

    /// Out of descriptors: frees the reserve, accepts one waiting connection,
    /// tells it 503 and takes the reserve back; the server goes on.
    private func refuseWithReserve() {
        guard reserve >= 0 else {
            usleep(50_000)
            return
        }
        close(reserve)
        let fd = accept(listener, nil, nil)
        if fd >= 0 {
            Connection(fd: fd).refuse(HTTPResponse.problem(503, "the server has no file descriptors left; try again shortly"), linger: false)
        }
        reserve = Glibc.open("/dev/null", O_RDONLY)
        usleep(10_000)
    }
}

/// Why the server cannot listen: the system's message for `errno`.
struct ServeError: Error, CustomStringConvertible {
    let code: Int32
    init(_ code: Int32) { self.code = code }
    var description: String { String(cString: strerror(code)) }
}

/// One request as explore reads it: the method, the path (origin form, the
/// query cut off), the headers by lower-case name, and the body.
struct HTTPRequest {
    var method: String
    var path: String
    var headers: [String: String]
    var body: [UInt8] = []

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The head (request line and headers, without the blank line), or the
    /// 4xx/5xx that says what is wrong with it.
    static func parse(head: ArraySlice<UInt8>) -> Result<HTTPRequest, HTTPResponse> {
        // Lines end in LF, a CR before it dropped (bytes: "\r\n" is one Character in Swift).
        var lines: [String] = []
        for line in head.split(separator: 10, omittingEmptySubsequences: false) {
            guard let text = String(validating: line.last == 13 ? line.dropLast() : line, as: UTF8.self) else {
                return .failure(.problem(400, "the request is not UTF-8"))
            }
            lines.append(text)
        }
        let words = lines[0].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard words.count == 3, !words[0].isEmpty, words[0].allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            return .failure(.problem(400, "the request line must be METHOD /path HTTP/1.1"))
        }
        guard ["HTTP/1.1", "HTTP/1.0"].contains(words[2]) else {
            return .failure(.problem(505, "\(ExploreServer.clipped(words[2])) is not served; allowed: HTTP/1.1 or HTTP/1.0"))
        }
        guard ["GET", "POST", "DELETE"].contains(words[0]) else {
            return .failure(.problem(405, "\(ExploreServer.clipped(words[0])) is not served; allowed: GET, POST, DELETE"))
        }
        let target = words[1]
        guard target.hasPrefix("/"), !target.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            return .failure(.problem(400, "the path must start with / and hold no spaces or control characters"))
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon > line.startIndex,
                  line[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }) else {
                return .failure(.problem(400, "a header line must be Name: value, not \(ExploreServer.clipped(line))"))
            }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let earlier = headers[name] {
                guard name != "content-length" && name != "host" else {
                    return .failure(.problem(400, "\(name) is given twice"))
                }
                headers[name] = earlier + ", " + value
            } else {
                headers[name] = value
            }
        }
        let path = String(target.prefix { $0 != "?" })
        return .success(HTTPRequest(method: words[0], path: path, headers: headers))
    }
}

/// A response; every one closes its connection. An Error too, so that a
/// refusal can be what a failed reading of a request returns.
struct HTTPResponse: Error {
    var status: Int
    var type: String
    var body: [UInt8]
    var headers: [(String, String)] = []

    static func text(_ body: String, type: String) -> HTTPResponse {
        HTTPResponse(status: 200, type: type, body: Array(body.utf8))
    }

    /// A refusal or failure: `{"error": message}`.
    static func problem(_ status: Int, _ message: String) -> HTTPResponse {
        HTTPResponse(status: status, type: "application/json", body: Array("{\"error\": \(JSONText.string(message))}".utf8))
    }

    static let reasons = [101: "Switching Protocols", 200: "OK", 204: "No Content", 400: "Bad Request", 403: "Forbidden",
                          404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout", 413: "Content Too Large",
                          415: "Unsupported Media Type", 426: "Upgrade Required", 431: "Request Header Fields Too Large",
                          500: "Internal Server Error", 501: "Not Implemented", 503: "Service Unavailable",
                          505: "HTTP Version Not Supported"]

    var bytes: [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reasons[status] ?? "Status")\r\n"
        if status == 101 {
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            return Array((head + "\r\n").utf8)
        }
        head += "Content-Type: \(type)\r\nContent-Length: \(body.count)\r\nCache-Control: no-store\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return Array((head + "\r\n").utf8) + body
    }
}

/// One accepted socket: bounded reads with a deadline, and writes that a
/// lock keeps whole when two threads write (a WebSocket's reader and writer).
final class Connection: @unchecked Sendable {
    let fd: Int32
    /// Bytes read and not yet used.
    var pending: [UInt8] = []
    private let writing = NSLock()
    private var closed = false, upgraded = false

    /// Whether the connection became a WebSocket: a stop does not wait for it.
    var isUpgraded: Bool {
        get { writing.withLock { upgraded } }
        set { writing.withLock { upgraded = newValue } }
    }

    init(fd: Int32) { self.fd = fd }

    enum Reading { case request(HTTPRequest), refused(HTTPResponse), gone }

    /// The request: its head within `headBytes`, its body within `bodyBytes`
    /// by its Content-Length (never read when larger), all by `deadline`.
    func readRequest(until deadline: Date) -> Reading {
        var scanned = 0
        var end: (start: Int, length: Int)?
        while end == nil {
            end = Self.blankLine(in: pending, from: max(0, scanned - 3))
            if end != nil { break }
            scanned = pending.count
            if pending.count > LoopbackServer.headBytes {
                return .refused(.problem(431, "the request head is longer than \(LoopbackServer.headBytes) bytes"))
            }
            switch receive(until: deadline) {
            case .data: continue
            case .timeout: return .refused(.problem(408, "the request did not arrive within \(Int(LoopbackServer.requestSeconds)) s"))
            // A client that stopped sending mid-head may still read the answer.
            case .closed: return pending.isEmpty ? .gone : .refused(.problem(400, "the request ended before the blank line that ends its head"))
            }
        }
        guard let end, end.start <= LoopbackServer.headBytes else {
            return .refused(.problem(431, "the request head is longer than \(LoopbackServer.headBytes) bytes"))
        }
        var request: HTTPRequest
        switch HTTPRequest.parse(head: pending[0..<end.start]) {
        case .success(let r): request = r
        case .failure(let response): return .refused(response)
        }
        pending.removeFirst(end.start + end.length)
        if request.header("Transfer-Encoding") != nil {
            return .refused(request.header("Content-Length") == nil
                            ? .problem(501, "bodies with a Transfer-Encoding (chunked, gzip, ...) are not read; send Content-Length")
                            : .problem(400, "Content-Length and Transfer-Encoding together"))
        }
        let declared = request.header("Content-Length") ?? "0"
        guard !declared.isEmpty, declared.count <= 18, declared.allSatisfy({ $0.isASCII && $0.isNumber }), let length = Int(declared) else {
            return .refused(.problem(400, "Content-Length \(ExploreServer.clipped(declared)) is not a number of bytes"))
        }
        guard length <= LoopbackServer.bodyBytes else {
            return .refused(.problem(413, "a body of \(length) bytes is more than the \(LoopbackServer.bodyBytes) allowed"))
        }
        while pending.count < length {
            switch receive(until: deadline) {
            case .data: continue
            case .timeout: return .refused(.problem(408, "the body did not arrive within \(Int(LoopbackServer.requestSeconds)) s"))
            case .closed: return .gone
            }
        }
        request.body = Array(pending[0..<length])
        pending.removeFirst(length)
        return .request(request)
    }

    enum Received { case data, timeout, closed }

    /// Waits for bytes until `deadline` and appends what came (at most 16 KB).
    func receive(until deadline: Date) -> Received {
        let wait = deadline.timeIntervalSinceNow
        guard wait > 0 else { return .timeout }
        var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let polled = poll(&ready, 1, Int32(min(wait * 1000, 3_600_000).rounded(.up)))
        if polled == 0 { return .timeout }
        if polled < 0 { return errno == EINTR ? .data : .closed }
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return .closed }
        pending += chunk[0..<n]
        return .data
    }

    /// Writes all of `bytes` (false when the peer is gone); at most 10 s blocked.
    func write(_ bytes: [UInt8]) -> Bool {
        writing.lock()
        defer { writing.unlock() }
        guard !closed else { return false }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    /// Answers a request that is refused before any handler saw it, then
    /// closes; `linger` false on the accepting thread, which must not wait.
    func refuse(_ response: HTTPResponse, linger: Bool = true) {
        _ = write(response.bytes)
        close(linger: linger)
    }

    /// Closes after the peer has had the last bytes: what it still sends is
    /// read and dropped for up to a second (`linger`), since closing with
    /// unread bytes would reset the connection and lose the response.
    func close(linger: Bool = true) {
        writing.lock()
        defer { writing.unlock() }
        guard !closed else { return }
        closed = true
        shutdown(fd, Int32(SHUT_WR))
        let until = Date().addingTimeInterval(1)
        var drained = 0
        while linger, drained < 1 << 20, receive(until: until) == .data {
            drained += pending.count
            pending.removeAll(keepingCapacity: true)
        }
        Glibc.close(fd)
    }

    /// Where the head's blank line starts and how long the line ends are,
    /// searching from `start`: CRLF CRLF, or LF LF (RFC 9112 lets a server take a bare LF).
    static func blankLine(in bytes: [UInt8], from start: Int) -> (start: Int, length: Int)? {
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == 10 && bytes[i + 1] == 10 { return (i, 2) }
            if i + 3 < bytes.count && bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { return (i, 4) }
            i += 1
        }
        return nil
    }
}
