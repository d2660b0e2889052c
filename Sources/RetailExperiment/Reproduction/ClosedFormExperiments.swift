import Foundation
import RetailModel
import RetailStats

/// The closed forms of docs/MODEL.md section 9 as experiments with figures.
enum ClosedFormExperiment {
    /// Logit or Huff: at each value of the varied parameter, the simulated
    /// shares (mean of replicates with a 95 % interval) against the closed form
    /// computed from the same shoppers.
    static func choice(_ spec: ReproductionSpec, base: Scenario, root: String, extra: [Assignment], folder: String,
                       threads: Int) throws -> (checks: [Check], files: [String]) {
        let huff = spec.kind == .huff
        // Logit: every option's trip share. Huff: the Walmart-like store's share of store trips.
        let labels = huff ? ["WS of store trips"] : Option.allCases.map { "\($0.code) \($0.title)" }
        var csv = "value,share,closedForm,simulated,ci95Low,ci95High\n"
        var closed = [[(x: Double, y: Double)]](repeating: [], count: labels.count)
        var simulated = [[(x: Double, y: Double)]](repeating: [], count: labels.count)
        var bands = [[(x: Double, low: Double, high: Double)]](repeating: [], count: labels.count)
        var worst = 0.0, worstAt = ""
        for value in spec.varyValues {
            let s = try spec.scenario(root: root, extra + [Assignment(path: spec.varyPath, value: value, source: spec.name)])
            guard case .number(let x) = value else {
                throw InputError(source: spec.file, path: "vary.values", value: value.description, problem: "a closed-form experiment varies a number")
            }
            let perReplicate = try Replicates.concurrently(replicates: s.run.replicates, threads: threads) { r -> (sim: [Double], closed: [Double]) in
                let market = try s.market(replicate: r, threads: 1)
                let expected = huff ? huffShare(market) : logitShares(market)
                var trips = [Double](repeating: 0, count: Option.count)
                for _ in 0..<s.run.weeks {
                    let w = market.advanceWeek()
                    for o in Option.allCases { trips[o.rawValue] += Double(w.trips(o)) }
                }
                let sim = huff ? [trips[1] / max(trips[1] + trips[3], 1)] : trips.map { $0 / max(trips.reduce(0, +), 1) }
                return (sim, expected)
            }
            for k in labels.indices {
                let sim = try Reproduction.interval(perReplicate.map { $0.sim[k] })
                let form = perReplicate.map { $0.closed[k] }.reduce(0, +) / Double(perReplicate.count)
                closed[k].append((x, form))
                simulated[k].append((x, sim.mean))
                bands[k].append((x, sim.low, sim.high))
                csv += "\(x),\(labels[k]),\(form),\(sim.mean),\(sim.low),\(sim.high)\n"
                if abs(sim.mean - form) > worst {
                    worst = abs(sim.mean - form)
                    worstAt = "\(labels[k]) at \(spec.varyPath) = \(value)"
                }
            }
        }
        var series: [ChartSeries] = []
        for k in labels.indices {
            series.append(ChartSeries(name: labels[k], style: .dashed, points: closed[k], colour: k))
            series.append(ChartSeries(name: labels[k], style: .markers, points: simulated[k], band: bands[k], colour: k, inLegend: false))
        }
        let chart = LineChart(title: spec.title, xLabel: spec.varyPath, yLabel: huff ? "share of store trips" : "share of trips",
                              series: series, yPercent: true, yInclude: [0],
                              note: "dashed: closed form; dots: simulated, mean of \(base.run.replicates) replicates with 95 % interval")
        let files = [try Reproduction.write(csv, "curve.csv", in: folder), try Reproduction.write(chart.svg(height: huff ? 420 : 520), "figure.svg", in: folder)]
        let reference = huff ? "Huff (1963): d_store^-lambda / (d_store^-lambda + d_other^-lambda), mean over shoppers"
            : "McFadden (1974): softmax of V, mean over shoppers"
        let check = Check(name: huff ? "huff-store-shares" : "softmax-trip-shares",
                          reference: reference, model: String(format: "largest gap %.4f (%@), %d values x %d replicates", worst, worstAt,
                                                              spec.varyValues.count, base.run.replicates),
                          tolerance: String(format: "%.4f", spec.tolerance), pass: worst <= spec.tolerance)
        return ([check], files)
    }

    /// Mean over households, weighted by trip rate, of each option's logit probability.
    static func logitShares(_ market: Market) -> [Double] {
        let ctx = market.choiceContext, s = market.shoppers
        var shares = [Double](repeating: 0, count: Option.count), weight = 0.0
        for i in 0..<s.count {
            let p = ctx.probabilities(of: i, in: s), rate = Double(s.tripRate[i])
            for k in shares.indices { shares[k] += rate * p[k] }
            weight += rate
        }
        return shares.map { $0 / weight }
    }

    /// Mean over households, weighted by trip rate, of Huff's probability of the Walmart-like store.
    static func huffShare(_ market: Market) -> [Double] {
        let p = market.parameters.choice, s = market.shoppers
        var share = 0.0, weight = 0.0
        for i in 0..<s.count {
            let d1 = max(Double(s.storeKm[i]), p.minimumTravelKm), d2 = p.otherStoreKm[s.segmentOf(i)]
            let rate = Double(s.tripRate[i])
            share += rate * pow(d1, -p.powerExponent) / (pow(d1, -p.powerExponent) + pow(d2, -p.powerExponent))
            weight += rate
        }
        return [share / weight]
    }

    /// Bass: membership of a programme nobody holds at the start, with only
    /// innovation and imitation over the whole population, against Bass's
    /// curve with annual p and q (12 monthly decisions a year, on the calendar's month ends).
    static func bass(_ spec: ReproductionSpec, base: Scenario, folder: String, threads: Int) throws -> (checks: [Check], files: [String]) {
        let p = spec.numbers["annualInnovation"]!, q = spec.numbers["annualImitation"]!, years = spec.numbers["years"]!
        var bassScenario = base
        bassScenario.model.membership.innovation = p / 12
        bassScenario.model.membership.imitation = q / 12
        let months = Int((years * 12).rounded())
        // The weeks that end the first `months` calendar months; the run goes one week past the last.
        let calendar = base.calendar
        var monthEnds: [Int] = [], week = 0
        while monthEnds.count < months { week += 1; if calendar.endsMonth(week) { monthEnds.append(week) } }
        bassScenario.run.weeks = week + 1
        bassScenario.run.warmupWeeks = 0
        try bassScenario.validate()
        let s = bassScenario
        let n = Double(s.model.population.shoppers)
        // Member share after k monthly decisions: the census of the week after the k-th month's last (week 1 for none).
        let after = [1] + monthEnds.map { $0 + 1 }
        let paths = try Replicates.concurrently(replicates: s.run.replicates, threads: threads) { r -> [Double] in
            let market = try s.market(replicate: r, threads: 1)
            let weeks = (0..<s.run.weeks).map { _ in market.advanceWeek() }
            return after.map { Double(weeks[$0 - 1].members(.prime)) / n }
        }
        func curve(_ t: Double) -> Double {
            let e = exp(-(p + q) * t)
            return (1 - e) / (1 + (q / p) * e)
        }
        var csv = "month,years,bass,simulated,ci95Low,ci95High\n"
        var simulated: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = [], closed: [(x: Double, y: Double)] = []
        var worst = 0.0, worstAt = 0.0
        for k in 0...months {
            let t = Double(k) / 12
            let sim = try Reproduction.interval(paths.map { $0[k] })
            simulated.append((t, sim.mean))
            band.append((t, sim.low, sim.high))
            closed.append((t, curve(t)))
            csv += "\(k),\(t),\(curve(t)),\(sim.mean),\(sim.low),\(sim.high)\n"
            if abs(sim.mean - curve(t)) > worst { (worst, worstAt) = (abs(sim.mean - curve(t)), t) }
        }
        let chart = LineChart(title: spec.title, xLabel: "years", yLabel: "member share of shoppers",
                              series: [ChartSeries(name: String(format: "Bass curve, p = %.2f, q = %.2f a year", p, q), style: .dashed, points: closed),
                                       ChartSeries(name: "simulated (mean, 95 % band)", points: simulated, band: band)],
                              yPercent: true, yInclude: [0, 1])
        let files = [try Reproduction.write(csv, "curve.csv", in: folder), try Reproduction.write(chart.svg(), "figure.svg", in: folder)]
        let check = Check(name: "bass-curve",
                          reference: String(format: "Bass (1969) F(t) with p = %.2f, q = %.2f a year (Sultan, Farley and Lehmann 1990)", p, q),
                          model: String(format: "largest gap %.4f (at %.1f years), %d replicates x %.0f years", worst, worstAt, s.run.replicates, years),
                          tolerance: String(format: "%.4f", spec.tolerance), pass: worst <= spec.tolerance)
        return ([check], files)
    }
}
