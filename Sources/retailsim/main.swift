import ArgumentParser
import Foundation
import RetailExperiment
import RetailStats

// Bad input of any kind (a usage error, a bad scenario value) exits with
// status 2 and a message naming what was wrong; other failures exit 1.
do {
    var command = try RetailSimCommand.parseAsRoot()
    try command.run()
} catch let error as ScenarioError {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
} catch let error as GSLError {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
} catch let error as OutputError {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
} catch {
    let code = RetailSimCommand.exitCode(for: error)
    if code == .validationFailure {
        FileHandle.standardError.write(Data((RetailSimCommand.fullMessage(for: error) + "\n").utf8))
        exit(2)
    }
    RetailSimCommand.exit(withError: error)
}
