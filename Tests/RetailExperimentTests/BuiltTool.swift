import Foundation

/// The `retailsim` executable of the same build as the tests (the test target
/// depends on it, so it is always built with them).
func builtTool(beside testCase: AnyClass) -> URL {
    var folder = Bundle(for: testCase).bundleURL
    if folder.pathExtension == "xctest" { folder.deleteLastPathComponent() }
    return folder.appendingPathComponent("retailsim")
}
