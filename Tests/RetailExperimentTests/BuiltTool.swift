import Foundation
import XCTest

/// The `retailsim` executable of the same build as the tests (the test target
/// depends on it, so it is always built with them).
func builtTool(beside testCase: AnyClass) -> URL {
    var folder = Bundle(for: testCase).bundleURL
    if folder.pathExtension == "xctest" { folder.deleteLastPathComponent() }
    return folder.appendingPathComponent("retailsim")
}

/// Runs `binary` with `arguments` to the end: exit status, stdout and stderr.
func runTool(_ binary: URL, _ arguments: [String], in folder: URL? = nil) throws -> (status: Int32, out: String, err: String) {
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

/// Starts `binary` with `arguments`, its output discarded.
func startTool(_ binary: URL, _ arguments: [String]) throws -> Process {
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
func runPython(_ arguments: [String]) throws -> (status: Int32, out: Data) {
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

extension XCTestCase {
    /// A fresh folder under the temporary directory, removed when the test ends.
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("retailsim-test-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
