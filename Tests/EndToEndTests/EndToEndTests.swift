import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The end-to-end checks: the real `ndpd` binary in the host namespace of the
/// ARCHITECTURE.md test bed (router -- [isolated ports, br0] -- guest), against unmodified Linux kernels.
///
/// Each test case runs one scenario of `Tests/EndToEnd/run.sh` (bash, so that it can be run by
/// hand: `sudo NDPD=.build/debug/ndpd bash Tests/EndToEnd/run.sh resolution`), which builds the test
/// bed under a unique namespace prefix, always deletes it, and prints one
/// `CHECK <scenario>/<check> PASS|FAIL: detail` line per check. Every check that
/// `Tests/EndToEnd/scenarios.txt` lists for the scenario must be reported, and must pass.
///
/// Skipped, with the reason, when not root, when network namespaces cannot be created or a tool is
/// missing; with `CI=true` those are failures instead.
@Suite(
    "End-to-end: ndpd in network namespaces",
    .enabled(if: EndToEnd.shouldRun, Comment(rawValue: EndToEnd.skipMessage))
)
struct EndToEndTests {
    // Each test runs its scenarios one at a time; the two tests run side by side (each scenario
    // builds its bed under a namespace prefix of its own).
    @Test("Static mode, the daemon's life, the kernel differential", .serialized, arguments: EndToEnd.scenarios)
    func scenario(_ scenario: EndToEnd.Scenario) { EndToEnd.run(scenario) }

    /// The live-mode scenarios (ARCHITECTURE.md "Live guests", `mode = "live"`) are live.sh's,
    /// run the same way (`sudo NDPD=.build/debug/ndpd bash Tests/EndToEnd/run.sh live_first_contact`).
    /// The metric names they read are listed at the top of live.sh. Each first has `ndpd check`
    /// accept its live configuration (`config-accepted`) and stops there with that one failure if not.
    @Test("Live mode", .serialized, arguments: EndToEnd.liveScenarios)
    func liveScenario(_ scenario: EndToEnd.Scenario) { EndToEnd.run(scenario) }
}

/// Locating things, deciding whether the tests can run, running a scenario and judging its output.
enum EndToEnd {
    /// A check that fails because of a daemon bug, reported with `withKnownIssue` (last resort):
    /// "scenario/check" -> "BUG: ...". Empty while every check passes.
    static let knownIssues: [String: String] = [:]

    /// Longest a scenario may run before it is stopped (its trap still deletes the namespaces);
    /// `E2E_SCENARIO_TIMEOUT` (seconds) overrides it.
    static let scenarioTimeout: Double =
        ProcessInfo.processInfo.environment["E2E_SCENARIO_TIMEOUT"].flatMap(Double.init) ?? 150

    static var isCI: Bool { TestEnvironment.isCI }

    static let packageRoot = TestEnvironment.packageRoot

    static let script: URL = packageRoot.appendingPathComponent("Tests/EndToEnd/run.sh")

    /// Why the test bed cannot run here, or nil.
    static let unavailableReason: String? = {
        if getuid() != 0 {
            return
                "not root (uid \(getuid())): the end-to-end tests create network namespaces; run `swift test` as root"
        }
        let probe = "ndpe2eprobe\(getpid())"
        guard shell("ip", ["netns", "list"]) == 0 else {
            return "`ip netns` is unavailable (iproute2 missing?)"
        }
        guard shell("ip", ["netns", "add", probe]) == 0 else {
            return "`ip netns add` failed: network namespaces cannot be created here"
        }
        _ = shell("ip", ["netns", "del", probe])
        let tools = [
            "bridge", "tcpdump", "tshark", "ndisc6", "tcpreplay", "ping", "awk", "bash", "atk6-fuzz_ip6", "python3",
        ]
        let missing = tools.filter { tool in
            !["/usr/sbin", "/usr/bin", "/sbin", "/bin"].contains {
                FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
            }
        }
        if !missing.isEmpty {
            return "missing tools: \(missing.joined(separator: ", ")) (run scripts/setup.sh)"
        }
        return nil
    }()

    /// Run unless unavailable; in CI, run anyway so that the failure shows.
    static var shouldRun: Bool { unavailableReason == nil || isCI }

    static var skipMessage: String {
        "end-to-end tests skipped: \(unavailableReason ?? "?") (with CI=true this is a failure)"
    }

    /// The ndpd binary the tests run: $NDPD_BINARY, else next to the test bundle (the same build),
    /// else the package's .build/debug/ndpd.
    static func locateNdpd() -> String? {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["NDPD_BINARY"] { candidates.append(explicit) }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("ndpd").path)
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/ndpd").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tool quietly; its exit status (-1 if it could not start).
    @discardableResult
    static func shell(_ tool: String, _ arguments: [String]) -> Int32 {
        guard
            let child = try? Child(
                ["/usr/bin/env", tool] + arguments, environment: ProcessInfo.processInfo.environment)
        else { return -1 }
        return child.wait(timeout: 30) ?? -1
    }

    /// A child process started with posix_spawn, with a clean signal state.
    ///
    /// Foundation's `Process` would do, except that the child inherits the signal mask of the
    /// spawning thread: swift-testing runs tests on Dispatch worker threads, which block SIGINT,
    /// SIGTERM, SIGHUP, SIGUSR1..., and bash passes that mask on, so tcpdump would never see its
    /// SIGINT nor ndpd its SIGTERM. Here the mask is emptied and every handler reset to default,
    /// as systemd or a login shell would give them. The child leads its own process group, so a
    /// runaway scenario can be killed whole.
    final class Child {
        let pid: pid_t

        init(
            _ argv: [String], environment: [String: String], stdout: String = "/dev/null", stderr: String = "/dev/null"
        ) throws {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)

            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var none = sigset_t()
            sigemptyset(&none)
            var all = sigset_t()
            sigfillset(&all)
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setsigdefault(&attributes, &all)
            posix_spawnattr_setpgroup(&attributes, 0)
            posix_spawnattr_setflags(
                &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

            let cArguments = argv.map { strdup($0) } + [nil]
            let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer {
                cArguments.forEach { free($0) }
                cEnvironment.forEach { free($0) }
            }
            var pid: pid_t = 0
            let status = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
            guard status == 0 else {
                throw CocoaError(
                    .fileReadUnknown,
                    userInfo: [
                        NSLocalizedDescriptionKey: "posix_spawn \(argv[0]): \(String(cString: strerror(status)))"
                    ])
            }
            self.pid = pid
        }

        /// Waits up to `timeout` seconds; the exit status (128 + signal if killed), nil on timeout.
        func wait(timeout: Double) -> Int32? {
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                var status: Int32 = 0
                let result = waitpid(pid, &status, WNOHANG)
                if result == pid {
                    let signal = status & 0x7f
                    return signal == 0 ? (status >> 8) & 0xff : 128 + signal
                }
                if result < 0 && errno != EINTR { return -1 }
                if Date() >= deadline { return nil }
                usleep(50_000)
            }
        }
    }

    /// One `CHECK` line of the script.
    struct Check {
        var name: String
        var passed: Bool
        var detail: String
    }

    static func parse(_ output: String, scenario: String) -> [Check] {
        output.split(separator: "\n").compactMap { line -> Check? in
            guard line.hasPrefix("CHECK ") else { return nil }
            let rest = line.dropFirst("CHECK ".count)
            guard let space = rest.firstIndex(of: " ") else { return nil }
            var name = String(rest[..<space])
            if name.hasPrefix(scenario + "/") { name.removeFirst(scenario.count + 1) }
            let verdict = rest[rest.index(after: space)...]
            if verdict.hasPrefix("PASS") {
                return Check(
                    name: name, passed: true, detail: String(verdict.dropFirst(4).drop { $0 == ":" || $0 == " " }))
            }
            return Check(
                name: name, passed: false, detail: String(verdict.drop { $0 != ":" }.dropFirst().drop { $0 == " " }))
        }
    }

    /// Runs `run.sh SCENARIO`, then records an issue per failed or missing check.
    static func run(_ table: Scenario, sourceLocation: SourceLocation = #_sourceLocation) {
        let scenario = table.name
        let expected = table.checks
        if let reason = unavailableReason {
            Issue.record("CI=true but the end-to-end tests cannot run: \(reason)", sourceLocation: sourceLocation)
            return
        }
        guard let ndpd = locateNdpd() else {
            Issue.record(
                "no ndpd binary next to the test bundle nor in .build/debug (set NDPD_BINARY)",
                sourceLocation: sourceLocation)
            return
        }
        let work = FileManager.default.temporaryDirectory
            .appendingPathComponent("ndpd-e2e-\(scenario)-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        } catch {
            Issue.record("cannot create \(work.path): \(error)", sourceLocation: sourceLocation)
            return
        }
        let pidFile = work.appendingPathComponent("ndpd.pids")
        let outFile = work.appendingPathComponent("output.txt")
        let errFile = work.appendingPathComponent("stderr.txt")

        var environment = ProcessInfo.processInfo.environment
        environment["NDPD"] = ndpd
        environment["E2E_WORKDIR"] = work.path
        environment["E2E_PIDFILE"] = pidFile.path
        let started = Date()
        let child: Child
        do {
            child = try Child(
                ["/bin/bash", script.path, scenario], environment: environment, stdout: outFile.path,
                stderr: errFile.path)
        } catch {
            Issue.record("cannot run \(script.path): \(error)", sourceLocation: sourceLocation)
            return
        }
        var timedOut = false
        var exitStatus: Int32
        if let status = child.wait(timeout: scenarioTimeout) {
            exitStatus = status
        } else {
            timedOut = true
            kill(child.pid, SIGTERM)  // the script's trap kills its processes and deletes the namespaces
            if let status = child.wait(timeout: 15) {
                exitStatus = status
            } else {
                kill(-child.pid, SIGKILL)  // its whole process group
                exitStatus = child.wait(timeout: 5) ?? -1
            }
        }
        let killed = killLeftoverDaemons(pidFile: pidFile.path)

        let output = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        var transcript =
            "---- Tests/EndToEnd/run.sh \(scenario) (NDPD=\(ndpd), \(seconds) s, exit \(exitStatus), work dir \(work.path)) ----\n\(output)"
        if !errors.isEmpty { transcript += "---- stderr ----\n\(errors)" }
        print(transcript)

        if timedOut {
            Issue.record(
                "scenario \(scenario) did not finish within \(Int(scenarioTimeout)) s and was stopped\n\(transcript)",
                sourceLocation: sourceLocation)
        }
        if !killed.isEmpty {
            Issue.record(
                "ndpd processes left running after the scenario were killed: \(killed)", sourceLocation: sourceLocation)
        }
        let reported = parse(output, scenario: scenario)
        // A live scenario whose configuration `ndpd check` refused stops there (live.sh): that one
        // failure says why, and the checks it never reached are not listed one by one.
        let refused = reported.contains { $0.name == "config-accepted" && !$0.passed }
        for name in expected where !timedOut && !refused && !reported.contains(where: { $0.name == name }) {
            Issue.record("check \(scenario)/\(name) was not reported\n\(transcript)", sourceLocation: sourceLocation)
        }
        for check in reported where !check.passed {
            let message = Comment(rawValue: "\(scenario)/\(check.name) FAILED: \(check.detail)\n\(transcript)")
            if let bug = knownIssues["\(scenario)/\(check.name)"] {
                withKnownIssue(Comment(rawValue: bug)) {
                    Issue.record(message, sourceLocation: sourceLocation)
                }
            } else {
                Issue.record(message, sourceLocation: sourceLocation)
            }
        }
        let summary = output.split(separator: "\n").last { $0.hasPrefix("SCENARIO ") }
        if summary == nil && !timedOut {
            Issue.record(
                "run.sh \(scenario) printed no SCENARIO line (exit \(exitStatus))\n\(transcript)",
                sourceLocation: sourceLocation)
        } else if exitStatus != 0, reported.allSatisfy(\.passed) {
            Issue.record(
                "run.sh \(scenario) exited \(exitStatus) although every check passed\n\(transcript)",
                sourceLocation: sourceLocation)
        }
        let leftNamespaces = namespaces().filter { $0.hasPrefix("ndpe2e") && !$0.hasPrefix("ndpe2eprobe") }
        for ns in leftNamespaces where isOurs(ns, scriptPID: child.pid) {
            Issue.record("namespace \(ns) was left behind by run.sh \(scenario)", sourceLocation: sourceLocation)
            _ = shell("ip", ["netns", "del", ns])
        }
    }

    /// Kills (SIGKILL) every ndpd the scenario started that is still alive; returns their PIDs.
    static func killLeftoverDaemons(pidFile: String) -> [Int32] {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return [] }
        var killed: [Int32] = []
        for pid in text.split(whereSeparator: \.isNewline).compactMap({ Int32($0) }) {
            // Only if that PID is still an ndpd (not a reused PID).
            guard let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                let argv0 = cmdline.split(separator: 0).first,
                String(decoding: argv0, as: UTF8.self).hasSuffix("ndpd"),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                !stat.contains(") Z ")
            else { continue }
            kill(pid, SIGKILL)
            killed.append(pid)
        }
        return killed
    }

    static func namespaces() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []).sorted()
    }

    /// run.sh names its namespaces `ndpe2e<its PID>-...`.
    static func isOurs(_ namespace: String, scriptPID: Int32) -> Bool {
        namespace.hasPrefix("ndpe2e\(scriptPID)-")
    }
}

extension EndToEnd {
    /// One scenario of `Tests/EndToEnd/scenarios.txt`: its name, what it shows, and the checks
    /// it must report, each passing.
    struct Scenario: Sendable, Equatable, CustomTestStringConvertible {
        var name: String
        var title = ""
        var checks: [String] = []

        /// live.sh's scenarios, run by the live suite.
        var isLive: Bool { name.hasPrefix("live_") }

        var testDescription: String { "\(name): \(title)" }
    }

    static let scenarioTable = packageRoot.appendingPathComponent("Tests/EndToEnd/scenarios.txt")

    /// The scenarios of `text` (scenarios.txt's format, described at its top), in its order; a
    /// line it does not know is a problem, reported with its number.
    static func scenarios(in text: String) -> (scenarios: [Scenario], problems: [String]) {
        var scenarios: [Scenario] = []
        var problems: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(separator: " ")
            guard let keyword = words.first, !keyword.hasPrefix("#") else { continue }
            let rest = words.dropFirst().map(String.init)
            switch keyword {
            case "scenario" where rest.count == 1:
                scenarios.append(Scenario(name: rest[0]))
            case "title" where !scenarios.isEmpty:
                scenarios[scenarios.count - 1].title = rest.joined(separator: " ")
            case "checks" where !scenarios.isEmpty:
                scenarios[scenarios.count - 1].checks += rest
            default:
                problems.append("line \(number + 1): \(line)")
            }
        }
        return (scenarios, problems)
    }

    /// Every scenario of scenarios.txt; empty if it cannot be read, which
    /// `EndToEndTableTests` reports.
    static let allScenarios: [Scenario] =
        (try? String(contentsOf: scenarioTable, encoding: .utf8)).map { scenarios(in: $0).scenarios } ?? []
    static let scenarios = allScenarios.filter { !$0.isLive }
    static let liveScenarios = allScenarios.filter(\.isLive)
}

/// The scenario table itself, which decides what the end-to-end suites run: needs no root.
@Suite("End-to-end: the scenario table")
struct EndToEndTableTests {
    @Test(
        "scenarios.txt reads whole; each scenario has a title and checks, names are unique, and they are exactly the sc_ functions of run.sh and live.sh"
    )
    func table() throws {
        let text = try String(contentsOf: EndToEnd.scenarioTable, encoding: .utf8)
        let (scenarios, problems) = EndToEnd.scenarios(in: text)
        #expect(problems == [])
        #expect(scenarios == EndToEnd.allScenarios)
        for scenario in scenarios {
            #expect(!scenario.title.isEmpty, "\(scenario.name) has no title")
            #expect(!scenario.checks.isEmpty, "\(scenario.name) has no checks")
            #expect(Set(scenario.checks).count == scenario.checks.count, "\(scenario.name) lists a check twice")
        }
        let names = scenarios.map(\.name)
        #expect(Set(names).count == names.count)
        var functions: [String] = []
        for script in ["run.sh", "live.sh"] {
            let source = try String(
                contentsOf: EndToEnd.packageRoot.appendingPathComponent("Tests/EndToEnd/\(script)"), encoding: .utf8)
            for line in source.split(separator: "\n") where line.hasPrefix("sc_") {
                functions.append(String(line.dropFirst(3).prefix { $0 != "(" }))
            }
        }
        #expect(names.sorted() == functions.sorted())
        #expect(EndToEnd.scenarios.count + EndToEnd.liveScenarios.count == scenarios.count)
    }
}
