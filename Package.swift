// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "RetailSim",
    products: [
        .executable(name: "retailsim", targets: ["retailsim"]),
        .library(name: "RetailExperiment", targets: ["RetailExperiment"]),
    ],
    dependencies: [
        // Argument parsing for the command-line tool.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `retailsim explore`'s web server is our own (Sources/retailsim/Explore):
        // bounded in every read, and without Foundation's networking, so the static binary has it.
    ],
    targets: [
        // GSL, found through pkg-config (libgsl-dev).
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev", "pkg-config"])]
        ),
        // The built-in US regions file (data/us-regions.csv, docs/GEOGRAPHY.md),
        // embedded in the binary; the data folder is on the assembler's search path.
        .target(name: "CRegions", exclude: ["data"], cSettings: [.headerSearchPath("data")]),
        // Eight-lane vector primitives for the weekly loop (include/lanes.h).
        .target(name: "CLanes"),
        // Random streams, draws, summaries and intervals, designs, Nelder-Mead, on GSL.
        .target(name: "RetailStats", dependencies: ["CGSL", "CLanes"], exclude: ["README.md"]),
        // The agent-based model only: parameters, the world, one week's step, strategies.
        .target(name: "RetailModel", dependencies: ["RetailStats", "CLanes"], exclude: ["README.md"]),
        // Running and recording it: scenarios, runs and metrics, sweeps, calibration,
        // reproduction, reports, files (the regions files among them).
        .target(name: "RetailExperiment", dependencies: ["RetailModel", "RetailStats", "CRegions"], exclude: ["README.md"]),
        // The command-line tool.
        .executableTarget(
            name: "retailsim",
            dependencies: [
                "RetailExperiment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"],
            // explore's page: real files, embedded in the binary as bytes.
            resources: [.embedInCode("Explore/page/explore.html"), .embedInCode("Explore/page/explore.js"),
                        .embedInCode("Explore/page/explore.css")]
        ),
        // What every test target shares: the repository root, the built tool,
        // temporary folders, scenarios from settings, the refusal assertion.
        .target(name: "RetailSimTestSupport", dependencies: ["RetailExperiment"], path: "Tests/RetailSimTestSupport"),
        .testTarget(name: "RetailStatsTests", dependencies: ["RetailStats", "RetailSimTestSupport"]),
        .testTarget(name: "RetailModelTests", dependencies: ["RetailModel", "RetailExperiment", "RetailSimTestSupport"]),
        .testTarget(name: "RetailExperimentTests", dependencies: ["RetailExperiment", "retailsim", "RetailSimTestSupport"]),
    ]
)
