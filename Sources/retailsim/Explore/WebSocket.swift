import Foundation

/// A server's side of one WebSocket (RFC 6455) on a `Connection`: the
/// handshake, text messages in and out, ping and close. Bounded like the
/// HTTP side: a message longer than `messageBytes` closes the socket with
/// 1009 before its payload is read (F13), and a socket silent for
/// `idleSeconds` is closed; the writer pings every `pingSeconds`, which
/// browsers answer, so an open page is never idle.
final class WebSocket: @unchecked Sendable {
    static let messageBytes = 4_096
    static let idleSeconds = 60.0, pingSeconds = 20.0

    let connection: Connection

    /// The 101 that accepts `request`, or the refusal that says why not.
    static func handshake(_ request: HTTPRequest) -> Result<HTTPResponse, HTTPResponse> {
        guard request.method == "GET", request.header("Upgrade")?.lowercased() == "websocket",
              request.header("Connection")?.lowercased().split(separator: ",").contains(where: {
                  $0.trimmingCharacters(in: .whitespaces) == "upgrade" }) == true else {
            return .failure(.problem(426, "this address is a WebSocket; open it with Upgrade: websocket"))
        }
        guard request.header("Sec-WebSocket-Version") == "13", let key = request.header("Sec-WebSocket-Key"),
              Data(base64Encoded: key)?.count == 16 else {
            return .failure(.problem(400, "a WebSocket handshake needs Sec-WebSocket-Version: 13 and a 16-byte Sec-WebSocket-Key"))
        }
        return .success(HTTPResponse(status: 101, type: "", body: [], headers: [
            ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", accept(key: key))]))
    }

    /// RFC 6455, section 4.2.2: base64 of the SHA-1 of the key and the protocol's GUID.
    static func accept(key: String) -> String {
        Data(SHA1.digest(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
    }

    init(connection: Connection) { self.connection = connection }

    enum Message: Equatable { case text(String), closed }

    /// The next text message; pings are answered and pongs skipped. Anything
    /// else (binary, unmasked, too long, not UTF-8, silence) closes the socket
    /// with the code that says why and returns `.closed`.
    func receive() -> Message {
        var message: [UInt8] = []
        var started = false
        while true {
            guard let head = read(2) else { return .closed }
            let final = head[0] & 0x80 != 0, opcode = head[0] & 0x0F
            guard head[1] & 0x80 != 0 else { return close(1002) }  // a client's frames are masked
            var length = Int(head[1] & 0x7F)
            if length >= 126 {
                guard let bytes = read(length == 126 ? 2 : 8) else { return .closed }
                // A 64-bit length above the cap is refused before anything is read.
                var value: UInt64 = 0
                for b in bytes { value = value << 8 | UInt64(b) }
                length = value > UInt64(Self.messageBytes) ? Self.messageBytes + 1 : Int(value)
            }
            guard length + message.count <= Self.messageBytes else { return close(1009) }
            guard let mask = read(4), var payload = read(length) else { return .closed }
            for i in payload.indices { payload[i] ^= mask[i % 4] }
            switch opcode {
            case 0x0, 0x1:
                // A text frame starts a message; continuation frames follow it.
                guard (opcode == 0x1) != started else { return close(1002) }
                started = true
                message += payload
                guard final else { continue }
                guard let text = String(validating: message, as: UTF8.self) else { return close(1007) }
                return .text(text)
            case 0x8: return close(1000)
            case 0x9: _ = connection.write(Self.frame(opcode: 0xA, payload))
            case 0xA: continue
            default: return close(1003)
            }
        }
    }

    @discardableResult
    func send(_ text: String) -> Bool { connection.write(Self.frame(opcode: 0x1, Array(text.utf8))) }

    func ping() { _ = connection.write(Self.frame(opcode: 0x9, [])) }

    /// Sends a close frame with `code` and closes the connection.
    private func close(_ code: UInt16) -> Message {
        _ = connection.write(Self.frame(opcode: 0x8, [UInt8(code >> 8), UInt8(code & 0xFF)]))
        connection.close()
        return .closed
    }

    /// `count` bytes, waiting at most `idleSeconds` for each part.
    private func read(_ count: Int) -> [UInt8]? {
        while connection.pending.count < count {
            guard connection.receive(until: Date().addingTimeInterval(Self.idleSeconds)) == .data else {
                connection.close()
                return nil
            }
        }
        let bytes = Array(connection.pending[0..<count])
        connection.pending.removeFirst(count)
        return bytes
    }

    /// One unmasked, final frame from the server.
    static func frame(opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0x80 | opcode]
        switch payload.count {
        case ..<126: bytes.append(UInt8(payload.count))
        case ..<65_536: bytes += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: bytes.append(127); bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: payload.count >> ($0 * 8)) }
        }
        return bytes + payload
    }
}

/// SHA-1 (FIPS 180-4), for the WebSocket handshake only: not for security.
enum SHA1 {
    static func digest(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var m = message + [0x80]
        while m.count % 64 != 56 { m.append(0) }
        let bits = UInt64(message.count) * 8
        m += (0..<8).reversed().map { UInt8(truncatingIfNeeded: bits >> (UInt64($0) * 8)) }
        var w = [UInt32](repeating: 0, count: 80)
        for block in stride(from: 0, to: m.count, by: 64) {
            for i in 0..<16 {
                w[i] = (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(m[block + 4 * i + $1]) }
            }
            for i in 16..<80 {
                let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                w[i] = x << 1 | x >> 31
            }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32) = switch i {
                case ..<20: ((b & c) | (~b & d), 0x5A82_7999)
                case ..<40: (b ^ c ^ d, 0x6ED9_EBA1)
                case ..<60: ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (b ^ c ^ d, 0xCA62_C1D6)
                }
                let t = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, t)
            }
            for (i, v) in [a, b, c, d, e].enumerated() { h[i] &+= v }
        }
        return h.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * UInt32($0))) } }
    }
}
