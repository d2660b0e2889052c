import RetailModel

/// How long to run and how often: the `run.*` parameters.
public struct RunParameters: Sendable, Equatable {
    /// Horizon, weeks.
    public var weeks = 104
    /// Weeks at the start left out of summaries.
    public var warmupWeeks = 0
    public var replicates = 1
    public var seed = 1
    /// The first day of week 1 (`run.start`), days since 1970-01-01.
    public var start = WeekCalendar.baselineStart
    /// How months and quarters fall (`run.calendar`).
    public var calendar = WeekCalendar.Kind.gregorian
    /// A posterior folder (`calibrate --posterior`) each replicate draws its parameters from; "": none.
    public var posterior = ""
}

/// A complete, resolved set of parameters: what to run, and the model to run.
/// Scenario files, `--set` and the shorthands change a copy of the baseline.
public struct Scenario: Sendable, Equatable {
    /// A short name recorded in every output (the file's name, or "baseline").
    public var name = "baseline"
    public var run = RunParameters()
    public var model = ModelParameters()
    /// Changes of parameters during the run, by week (`[[timeline]]`); empty: none.
    public var timeline: [TimelineChange] = []
    /// Facilities opened or closed at a place, and places watched (`[[facility]]`); empty: none.
    public var facilityChanges: [FacilityEntry] = []
    /// What an experiment's arm sets (its lever, e.g. personalisation off):
    /// a posterior's draw leaves these paths as the arm set them. Not a
    /// parameter; never written.
    public var armPaths: Set<String> = []

    /// The run's calendar: week 1 starts on `run.start`.
    public var calendar: WeekCalendar { WeekCalendar(start: run.start, kind: run.calendar) }

    /// The built-in baseline of docs/MODEL.md section 10.
    public static let baseline = Scenario()

    public init() {}
}
