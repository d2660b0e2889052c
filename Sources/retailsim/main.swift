import ArgumentParser
import Foundation
import RetailExperiment

// One mapping from errors to exit statuses: bad input of any kind exits 2 with
// a message naming what was wrong; a failure that is not the user's exits 1.
do {
    var command = try RetailSimCommand.parseAsRoot()
    try command.run()
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
