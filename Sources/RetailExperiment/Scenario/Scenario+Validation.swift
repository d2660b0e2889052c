import RetailModel

extension Scenario {
    /// Checks what no single parameter's range can: relations between parameters.
    public func validate() throws(InputError) {
        let m = model
        func fail(_ path: String, _ value: String, _ problem: String) -> InputError {
            InputError(source: "scenario", path: path, value: value, problem: problem)
        }
        if run.warmupWeeks >= run.weeks {
            throw fail("run.warmupWeeks", "\(run.warmupWeeks)", "must be less than run.weeks (\(run.weeks)) so that some weeks are summarised")
        }
        if m.amazon.strategy.priceFloor > m.amazon.strategy.priceCeiling {
            throw fail("amazon.strategy.priceFloor", "\(m.amazon.strategy.priceFloor)", "must not exceed amazon.strategy.priceCeiling (\(m.amazon.strategy.priceCeiling))")
        }
        if m.amazon.strategy.enabled && m.amazon.strategy.dynamicPricing
            && !(m.amazon.strategy.priceFloor...m.amazon.strategy.priceCeiling).contains(m.amazon.priceIndex) {
            throw fail("amazon.priceIndex", "\(m.amazon.priceIndex)",
                       "lies outside [priceFloor, priceCeiling] = [\(m.amazon.strategy.priceFloor), \(m.amazon.strategy.priceCeiling)] while dynamic pricing is on")
        }
        if m.amazon.fulfillmentCenters > m.geography.cities {
            throw fail("amazon.fulfillmentCenters", "\(m.amazon.fulfillmentCenters)", "must not exceed geography.cities (\(m.geography.cities)): one a city")
        }
        if m.amazon.sameDaySites > m.geography.cities {
            throw fail("amazon.sameDaySites", "\(m.amazon.sameDaySites)", "must not exceed geography.cities (\(m.geography.cities)): one a city")
        }
        if m.geography.towns == 0 && m.population.urbanShare < 1 && m.geography.remoteShare < 1 {
            throw fail("geography.towns", "0", "rural shoppers need towns unless geography.remoteShare is 1 or population.urbanShare is 1")
        }
        let grid = ShopperGrid.dimensions(widthKm: m.geography.widthKm, heightKm: m.geography.heightKm, cellKm: ShopperGrid.standardCellKm)
        if grid.columns * grid.rows > ShopperGrid.maximumCells {
            throw fail("geography.widthKm", "\(m.geography.widthKm)",
                       "with geography.heightKm = \(m.geography.heightKm) gives \(grid.columns * grid.rows) grid cells of 10 km; "
                       + "allowed: at most \(ShopperGrid.maximumCells) (e.g. 40,000 km x 40,000 km)")
        }
        let meanTrips = m.shoppers.tripsPerWeek.shape * m.shoppers.tripsPerWeek.scale
        if meanTrips > 20 {
            throw fail("shoppers.tripsPerWeek.scale", "\(m.shoppers.tripsPerWeek.scale)",
                       "gives \(meanTrips) trips a week on average (shape x scale); allowed: at most 20")
        }
        if m.population.people / m.walmart.peoplePerStore > 10_000_000 {
            throw fail("walmart.peoplePerStore", "\(m.walmart.peoplePerStore)", "gives more than 10 million stores")
        }
    }
}
