@preconcurrency import Glibc
import ArgumentParser
import Foundation
import RetailExperiment

// One mapping from errors to exit statuses: bad input of any kind exits 2 with
// a message naming what was wrong; a failure that is not the user's exits 1.
// A closed standard descriptor would be taken by the next file opened, so
// that printing wrote into a run's files. Hold each closed one open: input
// reads nothing, errors go nowhere, output fails (/dev/full) so it is reported.
let stdoutWasClosed = fcntl(1, F_GETFD) == -1
for (fd, path, flags) in [(Int32(0), "/dev/null", O_RDONLY), (1, "/dev/full", O_WRONLY), (2, "/dev/null", O_WRONLY)]
where fcntl(fd, F_GETFD) == -1 {
    let opened = open(path, flags)
    if opened >= 0, opened != fd { dup2(opened, fd); close(opened) }
}

do {
    var command = try RetailSimCommand.parseAsRoot()
    try command.run()
    // What went to standard output must have arrived: a full disk under a
    // redirect, or a closed descriptor, is a failed command, not exit 0.
    errno = 0
    if StandardOutput.flushFailed() {
        let reason = stdoutWasClosed ? "standard output is closed"
            : errno != 0 ? String(cString: strerror(errno)) : "the output could not be written"
        FileHandle.standardError.write(Data("error: stdout: write failed: \(reason)\n".utf8))
        exit(1)
    }
} catch let error as RetailSimError {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(error.exitStatus)
} catch {
    let code = RetailSimCommand.exitCode(for: error)
    if code == .validationFailure {
        FileHandle.standardError.write(Data((RetailSimCommand.fullMessage(for: error) + "\n").utf8))
        exit(2)
    }
    RetailSimCommand.exit(withError: error)
}

/// C's stdout, flushed and checked once at the end.
enum StandardOutput {
    static func flushFailed() -> Bool {
        nonisolated(unsafe) let out = stdout
        return fflush(out) != 0 || ferror(out) != 0
    }
}
