import ArgumentParser
import RetailExperiment

/// `retailsim metrics`: every metric a run reports, from the metric catalogue.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "List every metric a run reports: name, kind, meaning and how it is computed."
    )

    @Option(help: "table, json or markdown (docs/METRICS.md is the markdown).")
    var format: CatalogFormat = .table

    func run() {
        switch format {
        case .json: print(MetricCatalog.json(), terminator: "")
        case .markdown: print(MetricCatalog.markdown(), terminator: "")
        case .table:
            let width = MetricCatalog.names.map(\.count).max()! + 2
            print(padded("name", width) + padded("kind", 13) + "meaning · computed as")
            for m in MetricCatalog.all {
                print(padded(m.name, width) + padded(m.kind.rawValue, 13) + "\(m.meaning) · \(m.computation)")
            }
        }
    }
}
