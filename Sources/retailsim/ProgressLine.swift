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
        guard enabled, p.secondsElapsed > 1, Date().timeIntervalSince(lastDraw) > 0.5 else { return }
        lastDraw = Date()
        let rate = p.shopperWeeksDone / p.secondsElapsed
        let left = p.secondsElapsed * (1 / max(p.fractionDone, 1e-9) - 1)
        let line = String(format: "\rreplicate %d/%d · week %d/%d · %.1f M shopper-weeks/s · %.0f s left   ",
                          p.replicate, p.replicates, p.week, p.weeks, rate / 1e6, left)
        FileHandle.standardError.write(Data(line.utf8))
        drew = true
    }

    func report(_ p: SweepProgress) {
        guard enabled, p.secondsElapsed > 1, Date().timeIntervalSince(lastDraw) > 0.5 else { return }
        lastDraw = Date()
        let rate = Double(p.doneNow) / p.secondsElapsed
        let left = Double(p.total - p.done) / max(rate, 1e-9)
        FileHandle.standardError.write(Data(String(format: "\rruns %d/%d · %.1f runs/s · %.0f s left   ", p.done, p.total, rate, left).utf8))
        drew = true
    }

    func finish() {
        if drew { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
