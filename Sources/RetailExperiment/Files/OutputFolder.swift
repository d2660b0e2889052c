import Foundation

/// The folder a command writes into, checked (and made) before any work, so
/// that a bad `--out` is refused in a moment, by name, not after the run.
public enum OutputFolder {
    /// Makes `path` and its parents if missing, and checks that files can be
    /// made in it; `source` is the option that named it (`--out`).
    public static func prepare(_ path: String, source: String) throws(InputError) {
        func refuse(_ problem: String) -> InputError { InputError(source: source, value: path, problem: problem) }
        guard !path.isEmpty else { throw refuse("an empty path; allowed: a folder to write into") }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw refuse("is a file, not a folder") }
        } else {
            // mkdir(2) part by part, for errno's reason rather than Foundation's dump.
            var made = path.hasPrefix("/") ? "/" : ""
            for part in path.split(separator: "/") {
                made += (made.isEmpty || made.hasSuffix("/") ? "" : "/") + part
                if mkdir(made, 0o755) != 0 && errno != EEXIST {
                    throw refuse("cannot make the folder \(made): \(String(cString: strerror(errno)))")
                }
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: made, isDirectory: &isDir), isDir.boolValue else {
                    throw refuse("\(made) is a file, not a folder")
                }
            }
        }
        guard access(path, W_OK | X_OK) == 0 else { throw refuse("cannot write in it: \(String(cString: strerror(errno)))") }
    }
}
