import Foundation
import RetailExperiment
import XCTest

// What every test target shares: where the repository and the built tool
// are, running the tool and Python, temporary folders, scenarios from
// `path=value` settings, and the refusal assertion (exit 2 and a message).

/// The repository's root folder (this file is Tests/RetailSimTestSupport/TestSupport.swift).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().standardized

private final class Anchor {}

/// The `retailsim` executable of the same build as the tests (the
/// command-line test target depends on it, so it is built with them).
public var retailsimBinary: URL {
    var folder = Bundle(for: Anchor.self).bundleURL
    if folder.pathExtension == "xctest" { folder.deleteLastPathComponent() }
    return folder.appendingPathComponent("retailsim")
}

/// Runs `binary` with `arguments` to the end: exit status, stdout and stderr.
public func runTool(_ binary: URL, _ arguments: [String], in folder: URL? = nil) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Runs the built `retailsim` with `arguments` to the end.
public func runTool(_ arguments: [String], in folder: URL? = nil) throws -> (status: Int32, out: String, err: String) {
    try runTool(retailsimBinary, arguments, in: folder)
}

/// Starts `binary` with `arguments`, its output discarded.
public func startTool(_ binary: URL, _ arguments: [String]) throws -> Process {
    let p = Process()
    p.executableURL = binary
    p.arguments = arguments
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
}

/// Runs `python3` with `arguments` to the end: exit status and stdout (for
/// checks that read a file as Python's own readers do: tomllib, PyYAML).
public func runPython(_ arguments: [String]) throws -> (status: Int32, out: Data) {
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = ["python3"] + arguments
    let pipe = Pipe()
    python.standardOutput = pipe
    try python.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    python.waitUntilExit()
    return (python.terminationStatus, output)
}

/// The built-in baseline with `path=value` settings applied as `--set` applies them.
public func scenario(settings: [String]) throws -> Scenario {
    try Scenario.load(file: nil, assignments: settings.map { try Scenario.commandLineAssignment($0) })
}

/// A refusal as the tool must give it: exit status 2, and a message naming each of `needles`.
public func assertRefused(_ r: (status: Int32, out: String, err: String), _ needles: [String], _ what: String,
                          file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(r.status, 2, "\(what): \(r.err)", file: file, line: line)
    for n in needles { XCTAssertTrue(r.err.contains(n), "\(what): '\(n)' not in \(r.err)", file: file, line: line) }
}

extension XCTestCase {
    /// A fresh folder under the temporary directory, removed when the test ends.
    public func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-test-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
