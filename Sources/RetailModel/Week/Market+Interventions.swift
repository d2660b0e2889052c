extension Market {
    /// Opens and closes the facilities of `facilityChanges` due at the start
    /// of `week`; then every household's store distance and delivery radii
    /// are measured again, and the reach counts with them.
    func applyFacilityChanges(week: Int) {
        let due = facilityChanges.filter { $0.week == week && $0.action != .watch }
        guard !due.isEmpty else { return }
        for change in due {
            switch change.action {
            case .open: open(change, week: week)
            case .close: close(change, week: week)
            case .watch: break
            }
        }
        measureDistances()
    }

    private func open(_ c: FacilityChange, week: Int) {
        switch c.kind {
        case .store, .darkStore:
            _ = facilities.openStore(at: c.point, radiusKm: expressRadiusKm(at: c.point), walkIn: c.kind == .store,
                                     delivers: c.delivers || c.kind == .darkStore, label: c.label,
                                     format: c.kind == .store ? .supercenter : .darkStore, week: week)
        case .fulfillmentCenter:
            facilities.openFulfillmentCenter(at: c.point, label: c.label)
        case .sameDaySite:
            facilities.addSameDaySites([c.point], labels: c.label.map { [$0] } ?? [], week: week)
        }
    }

    /// Closes the open facility of the change's kind nearest to its point
    /// (none open: nothing to close).
    private func close(_ c: FacilityChange, week: Int) {
        guard let (id, _) = facilities.nearest(c.kind, to: c.point) else { return }
        switch c.kind {
        case .store, .darkStore:
            facilities.closeStore(id, week: week)
            if case .greedyCoverage(var candidates) = country.hubs, id < candidates.points.count {
                candidates.close(id)
                country.hubs = .greedyCoverage(candidates)
            }
        case .fulfillmentCenter: facilities.closeFulfillmentCenter(id)
        case .sameDaySite: facilities.closeSameDaySite(id)
        }
    }

    /// A new store's express radius: the real country's rule (the drive of
    /// the window less picking, at the density class's speed where it
    /// stands), the synthetic country's `walmart.hubRadiusKm`.
    private func expressRadiusKm(at point: Point) -> Float {
        let p = parameters
        guard let us = geography.us else { return Float(p.walmart.hubRadiusKm) }
        let driveHours = max(0, p.walmart.network.deliveryWindowHours - p.walmart.network.pickingHours)
        return Float(p.choice.travelSpeedKmh[us.segment[us.nearestRegion(to: point)]] * driveHours)
    }
}
