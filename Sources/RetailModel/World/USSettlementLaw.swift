import Foundation
import RetailStats

/// Where a household lives in the real country (docs/GEOGRAPHY.md section 2):
/// a region drawn by its households, a point uniform on the disc of the
/// region's land area around its interior point, and an income drawn around
/// the region's median.
public final class USSettlementLaw: Sendable {
    let us: USGeography
    let table: DiscreteTable
    /// sigma of ln income in each region, from its Gini.
    let incomeSigma: [Double]
    let referenceIncome: Double

    public init(parameters p: ModelParameters, us: USGeography) throws(GSLError) {
        self.us = us
        table = try DiscreteTable(weights: us.regions.households)
        incomeSigma = us.regions.gini.map(USSettlementLaw.logNormalSigma(gini:))
        referenceIncome = p.shoppers.referenceIncome
    }

    /// The sigma of a LogNormal with Gini `g`: G = 2 Phi(sigma / sqrt 2) - 1.
    package static func logNormalSigma(gini g: Double) -> Double {
        2.0.squareRoot() * StandardNormal.quantile((1 + min(max(g, 0), 0.99)) / 2)
    }

    /// One household: its position, density class, county, region, and income over `referenceIncome`.
    package func home(_ stream: RandomStream) -> (point: Point, segment: Segment, community: UInt16, region: Int, income: Float) {
        let z = table.draw(stream)
        // Uniform on the disc by rejection from its square (no trigonometry; 79 % accepted).
        var u = 0.0, v = 0.0
        repeat {
            u = 2 * stream.uniform() - 1
            v = 2 * stream.uniform() - 1
        } while u * u + v * v > 1
        let r = Double(us.radiusKm[z])
        let x = min(max(Double(us.x[z]) + r * u, 0), us.widthKm)
        let y = min(max(Double(us.y[z]) + r * v, 0), us.heightKm)
        let income = us.regions.medianIncome[z] * exp(incomeSigma[z] * stream.normal(sd: 1))
        return (Point(x: Float(x), y: Float(y)), us.segment[z], us.regions.county[z], z, Float(income / referenceIncome))
    }
}
