import Foundation
import RetailStats

/// Places the population on the map (docs/MODEL.md section 3) and draws each
/// household's attributes (section 5). The result is sorted by grid cell.
enum Settlement {
    static let gridCellKm = HouseholdGrid.standardCellKm

    /// Places every household and sorts them into grid cells without a second
    /// copy of the population: homes are drawn into attribute columns that
    /// are not yet in use (x into `bPrice`, y into `bTime`, the cell number into
    /// `bTravel`, segment into `online`, community into `tripRate`; all exact in
    /// single precision), then scattered in draw order into their cells'
    /// ranges. In the real country a household's income (over the reference
    /// income) rides along in `storeKm` and lands in `basket`, where the
    /// attribute draw reads it before drawing the basket. The attributes are
    /// drawn afterwards, over the scratch.
    static func populate(parameters p: ModelParameters, geography: Geography, seed: UInt64, replicate: Int,
                         threads: Int) throws -> Households {
        let n = p.population.shoppers
        let chunks = Parallel.chunkCount(shoppers: n)
        let (columns, rows) = HouseholdGrid.dimensions(widthKm: geography.widthKm, heightKm: geography.heightKm, cellKm: gridCellKm)
        let cells = columns * rows
        precondition(cells <= HouseholdGrid.maximumCells, "the scenario check bounds the map")
        let law: SettlementLaw?, usLaw: USSettlementLaw?
        if let us = geography.us {
            law = nil
            usLaw = try USSettlementLaw(parameters: p, us: us)
        } else {
            let (cityTable, townTable) = try SettlementLaw.tables(geography)
            law = SettlementLaw(parameters: p, geography: geography, cityTable: cityTable, townTable: townTable)
            usLaw = nil
        }
        let cellKm = gridCellKm

        let shoppers = Households(count: n)
        try forEachPlacement(count: n, seed: seed, replicate: replicate, threads: threads) { range, stream in
            // The home into the scratch columns (see above).
            @inline(__always) func keep(_ i: Int, _ point: Point, _ segment: Segment, _ community: UInt16) {
                shoppers.bPrice[i] = point.x
                shoppers.bTime[i] = point.y
                shoppers.online[i] = Float(segment.rawValue)
                shoppers.tripRate[i] = Float(community)
                shoppers.bTravel[i] = Float(HouseholdGrid.cell(x: point.x, y: point.y, cellKm: cellKm, columns: columns, rows: rows))
            }
            // One loop per law, so that neither is copied per shopper.
            if let usLaw {
                for i in range {
                    let home = usLaw.home(stream)
                    shoppers.storeKm[i] = home.income
                    keep(i, home.point, home.segment, home.community)
                }
            } else if let law {
                for i in range {
                    let home = law.home(stream)
                    keep(i, home.point, home.segment, home.community)
                }
            }
        }

        let start = sortByCell(count: n, cells: cells, chunks: chunks, threads: threads, cell: { Int(shoppers.bTravel[$0]) }) { i, j, c in
            let corner = HouseholdGrid.corner(ofCell: c, columns: columns, cellKm: cellKm)
            shoppers.offsetX[j] = HouseholdGrid.offset(shoppers.bPrice[i], from: corner.x, cellKm: cellKm)
            shoppers.offsetY[j] = HouseholdGrid.offset(shoppers.bTime[i], from: corner.y, cellKm: cellKm)
            shoppers.segment[j] = UInt8(shoppers.online[i])
            shoppers.community[j] = UInt16(shoppers.tripRate[i])
            if usLaw != nil { shoppers.basket[j] = shoppers.storeKm[i] }
        }
        shoppers.grid = HouseholdGrid(widthKm: geography.widthKm, heightKm: geography.heightKm, cellKm: cellKm, start: start)
        try drawAttributes(parameters: p, shoppers: shoppers, seed: seed, replicate: replicate, threads: threads,
                           incomes: usLaw != nil)
        return shoppers
    }

    /// Each household's region (ZCTA) of the real country, in the market's
    /// order of households; nil in the synthetic country. The market does not
    /// keep it (two bytes a household for an output asked for now and then):
    /// the placement's draws are made again from the same streams and sorted
    /// as `populate` sorts them, so each household gets the region it was drawn in.
    static func regions(parameters p: ModelParameters, geography: Geography, seed: UInt64, replicate: Int,
                        threads: Int) throws -> [Int32]? {
        guard let us = geography.us else { return nil }
        let n = p.population.shoppers
        let chunks = Parallel.chunkCount(shoppers: n)
        let (columns, rows) = HouseholdGrid.dimensions(widthKm: geography.widthKm, heightKm: geography.heightKm, cellKm: gridCellKm)
        let law = try USSettlementLaw(parameters: p, us: us), cellKm = gridCellKm
        let cell = SendableBuffer(UnsafeMutableBufferPointer<Int32>.allocate(capacity: n))
        let drawn = SendableBuffer(UnsafeMutableBufferPointer<Int32>.allocate(capacity: n))
        defer {
            cell.buffer.deallocate()
            drawn.buffer.deallocate()
        }
        try forEachPlacement(count: n, seed: seed, replicate: replicate, threads: threads) { range, stream in
            for i in range {
                let home = law.home(stream)
                cell.buffer[i] = Int32(HouseholdGrid.cell(x: home.point.x, y: home.point.y, cellKm: cellKm, columns: columns, rows: rows))
                drawn.buffer[i] = Int32(home.region)
            }
        }
        var regions = [Int32](repeating: 0, count: n)
        regions.withUnsafeMutableBufferPointer { all in
            let out = SendableBuffer(all)
            _ = sortByCell(count: n, cells: columns * rows, chunks: chunks, threads: threads, cell: { Int(cell.buffer[$0]) }) { i, j, _ in
                out.buffer[j] = drawn.buffer[i]
            }
        }
        return regions
    }

    /// The placement's draws: `body` on each chunk's households with the
    /// chunk's stream (seed, replicate, placement, chunk), in parallel, so
    /// that `populate` and `regions` draw the same homes on any thread count.
    private static func forEachPlacement(count n: Int, seed: UInt64, replicate: Int, threads: Int,
                                         _ body: @Sendable (Range<Int>, RandomStream) -> Void) throws {
        let failure = FailureFlag()
        Parallel.forEach(Parallel.chunkCount(shoppers: n), threads: threads) { c in
            guard let stream = try? RandomStream(key: StreamKey(seed: seed, replicate: replicate, purpose: .placement, chunk: c)) else {
                failure.set()
                return
            }
            body(Parallel.range(ofChunk: c, shoppers: n), stream)
        }
        if failure.isSet { throw GSLError(status: GSLError.noMemory, context: "allocating placement streams") }
    }

    /// A stable counting sort of `n` households by grid cell, in parallel
    /// over slices of the draw order: slice k's households of cell c go after
    /// those of slices before k, so the order is the draw order within each
    /// cell for any thread count. `cell(i)` is household i's cell in the draw
    /// order, `move(i, j, c)` puts it at position j; returns each cell's first position.
    static func sortByCell(count n: Int, cells: Int, chunks: Int, threads: Int, cell: @Sendable (Int) -> Int,
                           move: @Sendable (Int, Int, Int) -> Void) -> [Int] {
        let slices = max(1, min(threads, chunks))
        let sliceSize = (n + slices - 1) / slices
        let counts = Parallel.map(slices, threads: threads) { k in
            var count = [Int32](repeating: 0, count: cells)
            for i in (k * sliceSize)..<min(n, (k + 1) * sliceSize) { count[cell(i)] += 1 }
            return count
        }
        var start = [Int](repeating: 0, count: cells + 1)
        for c in 0..<cells { start[c + 1] = start[c] + counts.reduce(0) { $0 + Int($1[c]) } }
        let sliceStarts = (0..<slices).map { k in
            (0..<cells).map { c in start[c] + (0..<k).reduce(0) { $0 + Int(counts[$1][c]) } }
        }
        Parallel.forEach(slices, threads: threads) { k in
            var fill = sliceStarts[k]
            for i in (k * sliceSize)..<min(n, (k + 1) * sliceSize) {
                let c = cell(i)
                move(i, fill[c], c)
                fill[c] += 1
            }
        }
        return start
    }

    /// Draws tastes, trip rates, baskets and initial memberships (docs/MODEL.md section 5).
    /// With `incomes`, `basket` holds each household's income over the
    /// reference income on entry (docs/GEOGRAPHY.md section 3): bPrice scales
    /// as income^-eta, the value of time in proportion to income, digital
    /// affinity by alpha_y ln(income), and flag bit 7 marks incomes above $50,000.
    static func drawAttributes(parameters p: ModelParameters, shoppers s: Households, seed: UInt64, replicate: Int,
                               threads: Int, incomes: Bool = false) throws {
        let sp = p.shoppers
        let h = sp.heterogeneity
        let failure = FailureFlag()
        let none = PerSegment(urban: 0.0, suburban: 0.0, rural: 0.0)
        let primeShare = p[.prime].enabled ? p[.prime].initialShare : none
        let plusShare = p[.plus].enabled ? p[.plus].initialShare : none
        let moneyTravel = p.choice.distanceDecay == .generalisedCost
        let vehicleCost = p.choice.vehicleCostDollarsPerKm, speed = p.choice.travelSpeedKmh
        let eta = sp.priceIncomeElasticity, alphaIncome = sp.onlineIncomeWeight
        let above50k = Float(HouseholdFlags.incomeAbove50k.rawValue), cut = Float(50_000 / sp.referenceIncome)
        Parallel.forEach(Parallel.chunkCount(shoppers: s.count), threads: threads) { c in
            guard let stream = try? RandomStream(key: StreamKey(seed: seed, replicate: replicate, purpose: .attributes, chunk: c)) else {
                failure.set()
                return
            }
            for i in Parallel.range(ofChunk: c, shoppers: s.count) {
                let segment = Segment(rawValue: Int(s.segment[i]))!
                let income = incomes ? Double(s.basket[i]) : 1
                let logIncome = incomes ? log(income) : 0
                s.bPrice[i] = Float(stream.logNormal(median: sp.priceSensitivity.median, sigma: h * sp.priceSensitivity.sigma))
                if incomes { s.bPrice[i] *= Float(exp(-eta * logIncome)) }
                s.bTime[i] = Float(stream.logNormal(median: sp.timeSensitivity.median, sigma: h * sp.timeSensitivity.sigma))
                if moneyTravel {
                    // Utility per km: the price weight times dollars a km (driving plus time).
                    // Synthetic: drawn; real: US DOT's half the wage, in proportion to income.
                    let valueOfTime = incomes ? sp.valueOfTime.median * income
                        : stream.logNormal(median: sp.valueOfTime.median, sigma: h * sp.valueOfTime.sigma)
                    s.bTravel[i] = s.bPrice[i] * Float(vehicleCost + valueOfTime / speed[segment])
                } else {
                    s.bTravel[i] = Float(stream.logNormal(median: sp.travelSensitivity.median, sigma: h * sp.travelSensitivity.sigma))
                }
                s.online[i] = Float(stream.normal(mean: sp.onlineAffinity[segment], sd: h * sp.onlineAffinity.sigma))
                if incomes { s.online[i] += Float(alphaIncome * logIncome) }
                let incomeFlag: UInt8 = incomes && Float(income) > cut ? UInt8(above50k) : 0
                // Gamma with shape k / h^2 and scale theta * h^2: the same mean for any h,
                // the given distribution at h = 1, every household alike at h = 0.
                // Capped at 80 a week, where exp(-rate) would leave single precision.
                s.tripRate[i] = min(80, h > 0
                    ? Float(stream.gamma(shape: sp.tripsPerWeek.shape / (h * h), scale: sp.tripsPerWeek.scale * h * h))
                    : Float(sp.tripsPerWeek.shape * sp.tripsPerWeek.scale))
                s.basket[i] = Float(stream.logNormal(median: sp.basketDollars.median, sigma: h * sp.basketDollars.sigma))
                var flags: UInt8 = 0
                if stream.uniform() < primeShare[segment] { flags |= HouseholdFlags.prime.rawValue }
                if stream.uniform() < plusShare[segment] { flags |= HouseholdFlags.plus.rawValue }
                s.flags[i] = flags | incomeFlag
                for g in Programme.allCases {
                    s.benefitRank[g.rawValue * s.count + i] = UInt8(min(255, Int(stream.uniform() * 256)))
                    // Members at the start have been members for 0 to 59 months.
                    let member = flags & (g == .prime ? HouseholdFlags.prime : HouseholdFlags.plus).rawValue != 0
                    s.tenure[g.rawValue * s.count + i] = member ? UInt8(min(59, Int(stream.uniform() * 60))) : 0
                }
            }
        }
        if failure.isSet { throw GSLError(status: GSLError.noMemory, context: "allocating attribute streams") }
        try drawWalmartTastes(parameters: p, shoppers: s, seed: seed, replicate: replicate, threads: threads)
    }

    /// Each household's taste for the Walmart-like online channels, a
    /// standard normal in 1/32 steps (`Households.walmartTaste`), from a
    /// stream of its own; none drawn (every taste 0) when its sd is 0, so
    /// that a scenario without it is the model before it existed. The same
    /// draws for any sd: runs that differ in it share their random numbers.
    static func drawWalmartTastes(parameters p: ModelParameters, shoppers s: Households, seed: UInt64, replicate: Int,
                                  threads: Int) throws {
        guard p.shoppers.walmartOnlineTasteSigma * p.shoppers.heterogeneity > 0 else { return }
        let failure = FailureFlag()
        let zero = Double(Households.tasteZero), steps = Double(Households.tasteSteps)
        Parallel.forEach(Parallel.chunkCount(shoppers: s.count), threads: threads) { c in
            guard let stream = try? RandomStream(key: StreamKey(seed: seed, replicate: replicate, purpose: .walmartTaste, chunk: c)) else {
                failure.set()
                return
            }
            for i in Parallel.range(ofChunk: c, shoppers: s.count) {
                s.walmartTaste[i] = UInt8(min(255, max(1, zero + (stream.normal(mean: 0, sd: 1) * steps).rounded())))
            }
        }
        if failure.isSet { throw GSLError(status: GSLError.noMemory, context: "allocating taste streams") }
    }
}

