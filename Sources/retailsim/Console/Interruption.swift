import Foundation

/// Ctrl-C (SIGINT) as a request to stop cleanly: the first asks the run to end
/// after the week in progress and write what it has; a second quits at once
/// (exit status 130) without writing, which leaves no half-written file
/// (files are written under temporary names, then renamed).
enum Interruption {
    /// SIGINTs received; written only by the handler, a word-sized store.
    nonisolated(unsafe) private static var count: Int32 = 0
    nonisolated(unsafe) private static var message: [UInt8] = []

    /// Installs the handler (over an inherited "ignore", so that `kill -INT`
    /// reaches a background job too); `what` names what will be written.
    static func listen(what: String) {
        message = Array("\nretailsim: stopping after this week, then writing \(what) (Ctrl-C again to quit without writing)\n".utf8)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            // Only async-signal-safe calls here: write(2) and _exit(2).
            Interruption.count &+= 1
            if Interruption.count > 1 {
                let bye: StaticString = "\nretailsim: stopped; nothing written\n"
                _ = write(STDERR_FILENO, bye.utf8Start, bye.utf8CodeUnitCount)
                _exit(130)
            }
            Interruption.message.withUnsafeBufferPointer { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
    }

    /// Whether Ctrl-C has been pressed.
    static var isRequested: Bool { count > 0 }
}
