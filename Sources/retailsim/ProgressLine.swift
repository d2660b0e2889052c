import Foundation
import RetailExperiment

/// A progress line on stderr (weeks done, rate, time left), redrawn at most
/// twice a second; silent when disabled or when stderr is not a terminal.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private var drew = false

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func report(_ p: RunProgress) {
        let rate = p.shopperWeeksDone / p.secondsElapsed
        draw(after: p.secondsElapsed) {
            String(format: "replicate %d/%d · week %d/%d · %.1f M shopper-weeks/s · %.0f s left",
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

    /// Redraws the line, unless disabled, in the first second, or drawn under half a second ago.
    private func draw(after secondsElapsed: Double, _ text: () -> String) {
        guard enabled, secondsElapsed > 1, Date().timeIntervalSince(lastDraw) > 0.5 else { return }
        lastDraw = Date()
        FileHandle.standardError.write(Data(("\r" + text() + "   ").utf8))
        drew = true
    }

    func finish() {
        if drew { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
