/// The market-wide state that every household reads at the start of a week:
/// prices, the retailers' levers, and the flywheel's memory.
public struct MarketState: Sendable, Equatable, Codable {
    /// Weeks completed.
    public var week = 0
    /// Amazon-like price index p_A (1 = the market's price).
    package var amazonPrice: Double
    /// Walmart-like price index p_W.
    package var walmartPrice: Double
    /// pi(t), the Amazon-like personalisation level.
    public var personalization = 0.0
    /// Walmart-like in-stock rate.
    public var inStock: Double
    /// Hub delivery wait, hours.
    package var hubHours: Double
    /// Share of Walmart-like associates with AI tools (logistic roll-out), 0 to 1.
    public var augmentation = 0.0
    /// Amazon-like orders since the start, simulated scale.
    var cumulativeAmazonOrders = 0.0
    /// The Lerner diagnostic of the last strategy step: the price that would
    /// maximise each retailer's profit on the demand of that moment.
    var amazonResponsePrice: Double
    var walmartResponsePrice: Double
    /// `learn`: the Amazon-like retailer's estimate of its own-price elasticity
    /// (positive), nil before its first price test.
    var learnedElasticity: Double?

    public init(parameters p: ModelParameters) {
        amazonPrice = p.amazon.priceIndex
        walmartPrice = p.walmart.priceIndex
        inStock = p.walmart.inStock.before
        hubHours = p.walmart.hours.hub
        amazonResponsePrice = p.amazon.priceIndex
        walmartResponsePrice = p.walmart.priceIndex
    }
}

