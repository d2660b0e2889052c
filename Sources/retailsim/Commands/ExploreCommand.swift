import ArgumentParser
import Foundation
import RetailExperiment

/// `retailsim explore`: the model live in a web page (docs/EXPLORE.md).
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Watch the market move: a local web page that runs the model live, with the US map, the shares and the levers.",
        discussion: """
        Starts a web server on 127.0.0.1 only and prints its address; open it in a
        browser. The page needs no network. Examples:
          retailsim explore
          retailsim explore Experiments/scenarios/no-rural-expansion.toml --port 8090
        The page's levers start from the scenario (a file, --set, the shorthands).
        "Keep this run" writes runs/explore-ID exactly as `retailsim run` would.
        Ctrl-C stops the server.
        """
    )

    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup var posteriorOption: PosteriorOption

    @Option(help: "Port on 127.0.0.1 (1024 to 65535; 0 picks a free one).")
    var port: Int = 8080

    @Option(parsing: .unconditional, help: "Worker threads a run uses (default: every core). Never changes the results.")
    var threads: String?

    func run() throws {
        // The scenario must load as `retailsim run` would load it, before anything starts.
        _ = try scenarioOptions.load(defaults: posteriorOption.assignments)
        let assignments = try scenarioOptions.assignments(defaults: posteriorOption.assignments)
        guard port == 0 || (1024...65535).contains(port) else {
            throw InputError(source: "--port", value: "\(port)", problem: "out of range; allowed: 0 (any free port) or 1024 to 65535")
        }
        let server: LoopbackServer
        do {
            server = try LoopbackServer(port: UInt16(port))
        } catch {
            throw InputError(source: "--port", value: "\(port)", problem: "cannot serve there: \(error)")
        }
        let explore = ExploreServer(port: server.port, file: scenarioOptions.scenario, assignments: assignments,
                                    threads: try resolveThreads(threads))
        FileHandle.standardOutput.write(Data("retailsim explore: open http://127.0.0.1:\(server.port)/ (Ctrl-C stops the server)\n".utf8))
        // Ctrl-C stops the server cleanly: no new connections, requests in hand finished.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler {
            FileHandle.standardError.write(Data("\nretailsim explore: stopped\n".utf8))
            server.stop()
        }
        interrupt.resume()
        server.serve(explore.respond)
    }
}
