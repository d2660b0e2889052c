import Foundation
import RetailStats

/// What a market changes as it runs, apart from its households' columns and
/// its weekly streams (docs/MODEL.md section 2, "Saving and forking"): the
/// state every household reads, the networks and what the strategies have
/// left to do, the memberships' census, the reach, the price tests, the
/// slots' queues and the pricing stream's position. What the set-up makes
/// and never changes (the country, the grid, the published paths) is made
/// again from the scenario; what the caller gives (timeline, facility
/// changes, a price path) is given again.
package struct MarketMemory: Codable {
    /// The JSON coders of a saved state: non-finite numbers as text (a
    /// state's memory and the state file's records use the same).
    package static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    package static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    var state: MarketState
    var facilities: Facilities
    var hubs: HubConversion
    var quarterSpend: [Double]
    var ruralSites: CoverageCandidates
    var census: MembershipCensus
    var reach: Reach
    var testChunks: [Bool]
    var testQuantity: [Double]
    var slots: DeliverySlots.Memory
    var pickup: DeliverySlots.Memory
    var pricing: [UInt8]
}

/// A saved market that cannot be continued here: its sections do not fit
/// this market (another scenario's households, a damaged file).
public struct MarketStateMismatch: Error, CustomStringConvertible {
    public let description: String
}

extension Market {
    /// Writes the market's whole changing state, section by section, through
    /// `write`: its memory (JSON), its weekly streams and every column of
    /// every household, raw. `Market.restore(read:)` reads it back into a
    /// market made from the same scenario, seed and replicate.
    public func save(write: (UnsafeRawBufferPointer) throws -> Void) throws {
        let memory = MarketMemory(state: state, facilities: facilities, hubs: country.hubs, quarterSpend: quarterSpend,
                                  ruralSites: ruralSites, census: census, reach: reach, testChunks: testChunks,
                                  testQuantity: [testQuantity.up, testQuantity.down], slots: slots.memory, pickup: pickup.memory,
                                  pricing: pricingStream.state)
        let json = try MarketMemory.encoder.encode(memory)
        try Market.writeSection(json.count, write)
        try json.withUnsafeBytes(write)
        try Market.writeSection(streams.byteCount, write)
        try write(UnsafeRawBufferPointer(streams.bytes))
        for column in HouseholdColumn.allCases {
            let bytes = shoppers.storage.raw(column)
            try Market.writeSection(bytes.count, write)
            try write(UnsafeRawBufferPointer(bytes))
        }
    }

    /// Reads what `save` wrote into this market, made from the same scenario,
    /// seed and replicate without its warm start; `parameters` are those in
    /// force at the saved week. Throws `MarketStateMismatch` when a section
    /// does not fit (then the market is not to be used).
    public func restore(parameters p: ModelParameters, read: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        func length(_ what: String, expected: Int?) throws -> Int {
            var n: UInt64 = 0
            try withUnsafeMutableBytes(of: &n) { try read($0) }
            let count = Int(UInt64(littleEndian: n))
            guard count >= 0, count < 1 << 40, expected.map({ $0 == count }) ?? true else {
                throw MarketStateMismatch(description: "\(what): \(count) bytes where this market has \(expected.map(String.init) ?? "fewer")")
            }
            return count
        }
        var json = Data(count: try length("the market's memory", expected: nil))
        try json.withUnsafeMutableBytes { try read($0) }
        let m: MarketMemory
        do { m = try MarketMemory.decoder.decode(MarketMemory.self, from: json) } catch {
            throw MarketStateMismatch(description: "the market's memory does not read: \(error)")
        }
        guard m.testChunks.count == chunkCount, m.testQuantity.count == 2, m.slots.extraHours.count == DeliverySlots.entries,
              m.pickup.extraHours.count == DeliverySlots.entries, m.pricing.count == pricingStream.state.count else {
            throw MarketStateMismatch(description: "the market's memory is another market's (its chunks or streams differ)")
        }
        _ = try length("the weekly streams", expected: streams.byteCount)
        try read(streams.bytes)
        for column in HouseholdColumn.allCases {
            let bytes = shoppers.storage.raw(column)
            _ = try length("household column \(column)", expected: bytes.count)
            try read(bytes)
        }
        parameters = p
        state = m.state
        facilities = m.facilities
        country.hubs = m.hubs
        quarterSpend = m.quarterSpend
        ruralSites = m.ruralSites
        census = m.census
        reach = m.reach
        testChunks = m.testChunks
        testQuantity = (m.testQuantity[0], m.testQuantity[1])
        slots.restore(m.slots)
        pickup.restore(m.pickup)
        pricingStream.state = m.pricing
        trendYears = yearsBeforeAnchor(ofWeek: state.week)
    }

    private static func writeSection(_ count: Int, _ write: (UnsafeRawBufferPointer) throws -> Void) throws {
        var n = UInt64(count).littleEndian
        try withUnsafeBytes(of: &n) { try write($0) }
    }
}

extension WeeklyStreams {
    /// The lanes of every chunk as raw bytes (their taus2 words).
    var byteCount: Int { count * MemoryLayout<RandomLanes>.stride }
    var bytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: lanes(ofChunk: 0), count: byteCount) }
}

extension HouseholdStorage {
    /// Column `column`'s bytes, every slot.
    func raw(_ column: HouseholdColumn) -> UnsafeMutableRawBufferPointer {
        let bytes = column.layout.bytes * column.layout.slots * count
        return UnsafeMutableRawBufferPointer(start: buffer(column, as: UInt8.self, unchecked: true).baseAddress, count: bytes)
    }
}
