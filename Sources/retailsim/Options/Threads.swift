import Foundation
import RetailExperiment

/// Checks `--threads`, defaulting to every core. Taken as text, so that
/// `--threads -1` and `--threads abc` get RetailSim's message, not a parser's.
func resolveThreads(_ requested: String?) throws -> Int {
    guard let requested else { return ProcessInfo.processInfo.activeProcessorCount }
    guard let n = Int(requested.trimmingCharacters(in: .whitespaces)), (1...1024).contains(n) else {
        throw InputError(source: "--threads", value: requested, problem: "out of range; allowed: an integer in [1, 1024]")
    }
    return n
}
