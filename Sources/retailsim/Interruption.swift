import Dispatch
import Foundation

/// Ctrl-C as a request to stop cleanly: the first SIGINT asks the run to end
/// after the week in progress and write what it has; a second one quits at
/// once (exit status 130) without writing, leaving no half-written file.
final class Interruption: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var source: DispatchSourceSignal?

    /// Starts listening for SIGINT; `what` names what will be written.
    init(what: String) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let self else { return }
            self.lock.lock()
            let again = self.requested
            self.requested = true
            self.lock.unlock()
            if again {
                FileHandle.standardError.write(Data("\nretailsim: stopped; nothing written\n".utf8))
                exit(130)
            }
            FileHandle.standardError.write(Data("\nretailsim: stopping after this week, then writing \(what) (Ctrl-C again to quit without writing)\n".utf8))
        }
        source.resume()
        self.source = source
    }

    /// Whether Ctrl-C has been pressed.
    var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }
}
