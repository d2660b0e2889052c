import Foundation
import RetailExperiment

/// A progress line on stderr (weeks done, rate, time left): on a terminal
/// redrawn in place at most twice a second; into a file or a pipe (a cluster
/// job's log) written as a new line once a minute, so that a long run stays
/// observable there too. Silent when disabled, and in a run's first second.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let terminal = isatty(STDERR_FILENO) == 1
    private var lastDraw = Date.distantPast
    private var drew = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func report(_ p: RunProgress) {
        let rate = p.householdWeeksDone / p.secondsElapsed
        draw(after: p.secondsElapsed) {
            String(format: "replicate %d/%d · week %d/%d · %.1f M household-weeks/s · %.0f s left",
                   p.replicate, p.replicates, p.week, p.weeks, rate / 1e6, p.secondsElapsed * (1 / max(p.fractionDone, 1e-9) - 1))
        }
    }

    func report(_ p: SweepProgress) {
        let rate = Double(p.doneNow) / p.secondsElapsed
        draw(after: p.secondsElapsed) {
            String(format: "runs %d/%d · %.1f runs/s · %.0f s left", p.done, p.total, rate, Double(p.total - p.done) / max(rate, 1e-9))
        }
    }

    /// A step of a longer job (a calibration, an experiment): what it is doing and how far.
    func report(step: String, detail: String, seconds: Double) {
        draw(after: seconds) { String(format: "%@ · %@ · %.0f s", step, detail, seconds) }
    }

    /// Redraws the line, unless disabled, in the first second, or drawn too recently.
    private func draw(after secondsElapsed: Double, _ text: () -> String) {
        let interval: Double = terminal ? 0.5 : 60
        guard enabled, secondsElapsed > 1, Date().timeIntervalSince(lastDraw) > interval else { return }
        if !terminal && !drew {
            // The first log line waits a whole interval too.
            if lastDraw == .distantPast { lastDraw = Date(); return }
        }
        lastDraw = Date()
        FileHandle.standardError.write(Data((terminal ? "\r" + text() + "   " : text() + "\n").utf8))
        drew = true
    }

    func finish() {
        if drew && terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
