import RetailModel

extension Scenario {
    /// Checks what no single parameter's range can: relations between
    /// parameters. A broken relation is blamed on the first of its parameters
    /// that `sources` says the user set (with that source, e.g. `w.toml:4` or
    /// `--set`), so the message names what the user wrote, not a default.
    public func validate(sources: [String: String] = [:]) throws(InputError) {
        try validateRelations(sources: sources)
        if model.geography.kind == .us { try validateDataFiles() }
        if drawsFromPosterior { try validatePosterior() }
        if !timeline.isEmpty { try validateTimeline() }
        if !facilityChanges.isEmpty {
            // A bad regions file was refused above, by validateDataFiles.
            try validateFacilities(regions: model.geography.kind == .us ? try? RegionTable.load(model.geography.regionsFile) : nil)
        }
    }

    /// Every point of the posterior makes a valid scenario.
    private func validatePosterior() throws(InputError) {
        let sample = try PosteriorSample.read(run.posterior)
        for k in sample.points.indices {
            var s = self
            s.run.posterior = ""
            try sample.apply(point: k, to: &s)
            do {
                try s.validateRelations(sources: [:])
            } catch {
                throw InputError(source: "\(sample.file):\(k + 2)", path: error.path,
                                 value: error.value, problem: error.problem)
            }
        }
    }

    private func validateRelations(sources: [String: String]) throws(InputError) {
        let m = model
        func number(_ x: Double) -> String { ScenarioValue.number(x).description }
        func fail(_ paths: [String], _ problem: String) -> InputError {
            let blamed = paths.first { sources[$0] != nil } ?? paths[0]
            let value = ParameterCatalog.parameter(blamed).map { $0.value(in: self).description } ?? ""
            return InputError(source: sources[blamed] ?? "scenario", path: blamed, value: value, problem: problem)
        }
        let a = m.amazon.strategy
        if run.warmupWeeks >= run.weeks {
            throw fail(["run.warmupWeeks", "run.weeks"], "run.warmupWeeks (\(run.warmupWeeks)) must be less than run.weeks (\(run.weeks)) so that some weeks are summarised")
        }
        if a.priceFloor > a.priceCeiling {
            throw fail(["amazon.strategy.priceFloor", "amazon.strategy.priceCeiling"],
                       "amazon.strategy.priceFloor (\(number(a.priceFloor))) must not exceed amazon.strategy.priceCeiling (\(number(a.priceCeiling)))")
        }
        if a.enabled && a.pricing != .fixed && !(a.priceFloor...a.priceCeiling).contains(m.amazon.priceIndex) {
            throw fail(["amazon.priceIndex", "amazon.strategy.priceFloor", "amazon.strategy.priceCeiling"],
                       "amazon.priceIndex (\(number(m.amazon.priceIndex))) lies outside [priceFloor, priceCeiling] = "
                       + "[\(number(a.priceFloor)), \(number(a.priceCeiling))] while the price rule is \(a.pricing.rawValue)")
        }
        let w = m.walmart.strategy
        if w.priceFloor > w.priceCeiling {
            throw fail(["walmart.strategy.priceFloor", "walmart.strategy.priceCeiling"],
                       "walmart.strategy.priceFloor (\(number(w.priceFloor))) must not exceed walmart.strategy.priceCeiling (\(number(w.priceCeiling)))")
        }
        if w.enabled && w.pricing == .leader && !(w.priceFloor...w.priceCeiling).contains(m.walmart.priceIndex) {
            throw fail(["walmart.priceIndex", "walmart.strategy.priceFloor", "walmart.strategy.priceCeiling"],
                       "walmart.priceIndex (\(number(m.walmart.priceIndex))) lies outside [priceFloor, priceCeiling] = "
                       + "[\(number(w.priceFloor)), \(number(w.priceCeiling))] while Walmart-like pricing is leader")
        }
        let meanTrips = m.shoppers.tripsPerWeek.shape * m.shoppers.tripsPerWeek.scale
        if meanTrips > 20 {
            throw fail(["shoppers.tripsPerWeek.shape", "shoppers.tripsPerWeek.scale"],
                       "gives \(number(meanTrips)) trips a week on average (shape x scale); allowed: at most 20")
        }
        if m.geography.kind == .us {
            try validateRealCountry(fail)
            return
        }
        // The synthetic country's relations.
        if m.amazon.fulfillmentCenters > m.geography.cities {
            throw fail(["amazon.fulfillmentCenters", "geography.cities"],
                       "amazon.fulfillmentCenters (\(m.amazon.fulfillmentCenters)) must not exceed geography.cities (\(m.geography.cities)): one a city")
        }
        if m.amazon.sameDaySites > m.geography.cities {
            throw fail(["amazon.sameDaySites", "geography.cities"],
                       "amazon.sameDaySites (\(m.amazon.sameDaySites)) must not exceed geography.cities (\(m.geography.cities)): one a city")
        }
        if m.geography.towns == 0 && m.population.urbanShare < 1 && m.geography.remoteShare < 1 {
            throw fail(["geography.towns", "population.urbanShare", "geography.remoteShare"],
                       "rural shoppers need towns unless geography.remoteShare is 1 or population.urbanShare is 1")
        }
        let grid = HouseholdGrid.dimensions(widthKm: m.geography.widthKm, heightKm: m.geography.heightKm, cellKm: HouseholdGrid.standardCellKm)
        if grid.columns * grid.rows > HouseholdGrid.maximumCells {
            throw fail(["geography.widthKm", "geography.heightKm"],
                       "geography.widthKm x geography.heightKm (\(number(m.geography.widthKm)) x \(number(m.geography.heightKm)) km) "
                       + "gives \(grid.columns * grid.rows) grid cells of 10 km; allowed: at most \(HouseholdGrid.maximumCells) (e.g. 40,000 km x 40,000 km)")
        }
        if m.population.people / m.walmart.peoplePerStore > 10_000_000 {
            throw fail(["population.people", "walmart.peoplePerStore"],
                       "population.people / walmart.peoplePerStore gives \(number((m.population.people / m.walmart.peoplePerStore).rounded())) stores; allowed: at most 10 million")
        }
    }

    /// The real country's relations: densities in order, a delivery window
    /// longer than picking, delivery stores within stores.
    private func validateRealCountry(_ fail: ([String], String) -> InputError) throws(InputError) {
        let g = model.geography, w = model.walmart.network
        if g.ruralHouseholdsPerSqMi > g.urbanHouseholdsPerSqMi {
            throw fail(["geography.ruralHouseholdsPerSqMi", "geography.urbanHouseholdsPerSqMi"],
                       "geography.ruralHouseholdsPerSqMi (\(g.ruralHouseholdsPerSqMi)) must not exceed geography.urbanHouseholdsPerSqMi (\(g.urbanHouseholdsPerSqMi))")
        }
        if w.pickingHours >= w.deliveryWindowHours {
            throw fail(["walmart.network.pickingHours", "walmart.network.deliveryWindowHours"],
                       "walmart.network.pickingHours (\(w.pickingHours)) must be less than walmart.network.deliveryWindowHours (\(w.deliveryWindowHours))")
        }
        if w.deliveryStores > w.stores {
            throw fail(["walmart.network.deliveryStores", "walmart.network.stores"],
                       "walmart.network.deliveryStores (\(w.deliveryStores)) must not exceed walmart.network.stores (\(w.stores))")
        }
    }

    /// The real country's data files: a readable regions file, and a stores
    /// file within its regions. Checked once a scenario, not at each posterior point: no
    /// parameter a posterior draws names a file.
    private func validateDataFiles() throws(InputError) {
        let g = model.geography, w = model.walmart.network
        // A data file's error, where it is and which parameter named the file.
        func refused(_ error: DataFileError, _ file: String) -> InputError {
            InputError(source: error.line > 0 ? "\(error.source):\(error.line)" : error.source, path: error.field,
                       value: error.value, problem: "expected \(error.allowed) (\(file))")
        }
        let regions: RegionTable
        do {
            regions = try RegionTable.load(g.regionsFile)
        } catch {
            throw refused(error, "the regions file of geography.regionsFile")
        }
        guard w.siting == .published else { return }
        do {
            try StoreMap.load(w.storesFile).check(covers: regions, source: w.storesFile.isEmpty ? "built-in stores file" : w.storesFile)
        } catch {
            throw refused(error, "the stores file of walmart.network.storesFile")
        }
    }
}
