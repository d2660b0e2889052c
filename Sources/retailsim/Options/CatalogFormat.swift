import ArgumentParser

/// How `scenario show` and `metrics` print a catalogue: a table for people,
/// JSON for scripts, Markdown for docs/PARAMETERS.md and docs/METRICS.md.
enum CatalogFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, markdown
}

/// `text` padded with spaces to `width`, never cut: a long value pushes the
/// next column along rather than losing its digits.
func padded(_ text: String, _ width: Int) -> String {
    text.count < width ? text + String(repeating: " ", count: width - text.count) : text + " "
}
