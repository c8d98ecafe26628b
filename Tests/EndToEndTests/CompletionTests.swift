import Foundation
import TestSupport
import Testing

/// The completion scripts swift-argument-parser generates for ndpd: `--interface` completes the
/// system's interfaces (read from /sys/class/net when the shell completes), enumerated options
/// their values. bash and fish are asked to complete for real; zsh's script is checked by zsh's
/// own parser, since its completion system needs an interactive shell.
struct CompletionTests {
    static func script(_ shell: String) throws -> String {
        let result = try CommandLineTests.ndpd(["--generate-completion-script", shell])
        #expect(result.status == 0)
        return result.out
    }

    static var interfaces: Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? [])
    }

    /// Whether `tool` is installed; a failure under CI (scripts/setup.sh installs it), else a skip.
    static func present(_ tool: String) -> Bool {
        if FileManager.default.isExecutableFile(atPath: tool) { return true }
        if TestEnvironment.isCI { Issue.record("\(tool) missing: scripts/setup.sh installs it") }
        return false
    }

    /// bash: the words COMPREPLY holds after completing `line` (which ends where the cursor is).
    static func bashComplete(_ line: String) throws -> Set<String> {
        let scratch = try TemporaryDirectory()
        let file = scratch.path("ndpd.bash")
        try Data(try script("bash").utf8).write(to: URL(fileURLWithPath: file))
        var words = line.split(separator: " ").map(String.init)
        if line.hasSuffix(" ") { words.append("") }
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let driver = """
            shopt -s extglob
            source '\(file)'
            COMP_LINE='\(line)'
            COMP_WORDS=(\(quoted))
            COMP_CWORD=\(words.count - 1)
            COMP_POINT=${#COMP_LINE}
            _ndpd ndpd '\(words.last!)' '\(words[words.count - 2])'
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try CommandLineTests.run("/bin/bash", ["-c", driver])
        #expect(result.status == 0, "\(result.err)")
        return Set(result.out.split(separator: "\n").map(String.init))
    }

    @Test func bashCompletesInterfaces() throws {
        guard Self.present("/bin/bash") else { return }
        let offered = try Self.bashComplete("ndpd --interface ")
        #expect(!Self.interfaces.isEmpty)
        #expect(offered == Self.interfaces)
        #expect(try Self.bashComplete("ndpd --dad ") == ["ignore", "defend"])
        #expect(try Self.bashComplete("ndpd import --from ") == ["ndppd", "npd6", "ip-neigh", "networkd"])
    }

    @Test func fishCompletesInterfaces() throws {
        guard Self.present("/usr/bin/fish") else { return }
        let scratch = try TemporaryDirectory()
        let file = scratch.path("ndpd.fish")
        try Data(try Self.script("fish").utf8).write(to: URL(fileURLWithPath: file))
        let result = try CommandLineTests.run(
            "/usr/bin/fish", ["--no-config", "-c", "source '\(file)'; complete -C 'ndpd --interface '"])
        #expect(result.status == 0, "\(result.err)")
        let offered = Set(result.out.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) })
        #expect(offered == Self.interfaces)
    }

    @Test func zshScriptParses() throws {
        guard Self.present("/usr/bin/zsh") else { return }
        let scratch = try TemporaryDirectory()
        let file = scratch.path("_ndpd")
        let text = try Self.script("zsh")
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let result = try CommandLineTests.run("/usr/bin/zsh", ["-n", file])
        #expect(result.status == 0, "\(result.err)")
        #expect(text.contains("ls /sys/class/net"))
    }
}
