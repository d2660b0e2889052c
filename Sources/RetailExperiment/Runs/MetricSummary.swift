import RetailStats

/// One metric across replicates: mean, sd, 95 % Student-t interval, quantiles.
public struct MetricSummary: Sendable, Equatable {
    public let name: String
    public let mean: Double
    /// nil with one replicate.
    public let sd: Double?
    /// nil with one replicate.
    public let ci95: ClosedRange<Double>?
    public let q05: Double
    public let median: Double
    public let q95: Double
    /// Replicates summarised.
    public let count: Int

    public init(name: String, values: [Double]) throws {
        let s = Summary(values)
        self.name = name
        count = values.count
        mean = s.mean
        sd = s.standardDeviation
        ci95 = try s.confidenceInterval(level: 0.95)
        q05 = s.quantile(0.05)
        median = s.quantile(0.5)
        q95 = s.quantile(0.95)
    }

    /// Summaries of every metric, in `MetricCatalog.all` order.
    public static func all(_ replicates: [ReplicateMetrics]) throws -> [MetricSummary] {
        try MetricCatalog.names.indices.map { k in
            try MetricSummary(name: MetricCatalog.names[k], values: replicates.map { $0.values[k] })
        }
    }

    /// The interval as JSON: `[lo, hi]`, or `null` with one replicate.
    var ci95JSON: String {
        ci95.map { "[\(JSONText.number($0.lowerBound)), \(JSONText.number($0.upperBound))]" } ?? "null"
    }

    /// `{"mean", "sd", "ci95": [lo, hi], "quantiles"}` as in docs/MODEL.md section 11.
    var json: String {
        let sdText = sd.map(JSONText.number) ?? "null"
        return "{\"mean\": \(JSONText.number(mean)), \"sd\": \(sdText), \"ci95\": \(ci95JSON), "
            + "\"quantiles\": {\"0.05\": \(JSONText.number(q05)), \"0.5\": \(JSONText.number(median)), \"0.95\": \(JSONText.number(q95))}}"
    }
}
