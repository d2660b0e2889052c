// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "RetailSim",
    products: [
        .executable(name: "retailsim", targets: ["retailsim"]),
        .library(name: "RetailExperiment", targets: ["RetailExperiment"]),
    ],
    dependencies: [
        // The only dependency: argument parsing for the command-line tool.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // GSL, found through pkg-config (libgsl-dev).
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev", "pkg-config"])]
        ),
        // Random streams, batch draws, summaries and confidence intervals on GSL.
        .target(name: "RetailStats", dependencies: ["CGSL"]),
        // The agent-based model: geography, facilities, shoppers, retailers, one week's step.
        .target(name: "RetailModel", dependencies: ["RetailStats"]),
        // Scenarios, runs over replicates, outputs.
        .target(name: "RetailExperiment", dependencies: ["RetailModel", "RetailStats"]),
        // The command-line tool.
        .executableTarget(
            name: "retailsim",
            dependencies: [
                "RetailExperiment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "RetailStatsTests", dependencies: ["RetailStats"]),
        .testTarget(name: "RetailModelTests", dependencies: ["RetailModel", "RetailExperiment"]),
        .testTarget(name: "RetailExperimentTests", dependencies: ["RetailExperiment", "retailsim"]),
    ]
)
