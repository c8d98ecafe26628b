import ArgumentParser
import NDPControl
import NDPIO

/// `--socket PATH`, shared by `status` and `reload`.
struct ControlSocketOption: ParsableArguments {
    @Option(
        name: .long, help: ArgumentHelp("The daemon's control socket.", valueName: "path"),
        completion: .file())
    var socket: String = ControlDefaults.socketPath
}

/// Where the daemon listens unless told otherwise, and how long a client waits.
enum ControlDefaults {
    /// In the unit's RuntimeDirectory.
    static let socketPath = "/run/ndpd/ndpd.sock"
    /// Exit status when the daemon cannot be reached.
    static let unreachable: Int32 = 3

    /// Sends `request` and prints the reply; exits 0 if it succeeded, 1 if not, 3 if the
    /// daemon could not be reached.
    static func run(_ request: ControlRequest, socket: String, timeout: Duration) throws {
        let reply: ControlReply
        do {
            reply = try ControlClient.send(request, path: socket, timeout: timeout)
        } catch {
            standardError(
                "ndpd: cannot reach the daemon at \(socket): \(error)"
                    + (error.errno == 2 ? " (is ndpd running? see --control-socket)" : "")
                    + (error.errno == 13 ? " (only root and the daemon's user may use it)" : ""))
            throw ExitCode(unreachable)
        }
        print(reply.body, terminator: "")
        if !reply.ok { throw ExitCode(1) }
    }
}

/// `ndpd status [--json] [--live]`: the running daemon's interfaces, rules, counters and live tables.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the running daemon's interfaces, rules and counters.",
        discussion:
            "Asks the daemon over its control socket. Exit status: 0 shown; 1 the daemon refused the request; 3 the daemon could not be reached."
    )

    @OptionGroup var jsonOption: JSONOption

    @Flag(help: "Also list every address of each live table: address, MAC, state and its age in seconds.")
    var live = false

    @OptionGroup var control: ControlSocketOption

    func run() throws {
        try ControlDefaults.run(
            .status(json: jsonOption.json, live: live), socket: control.socket, timeout: .seconds(5))
    }
}

/// `ndpd reload`: the daemon reloads its file and answers with the result.
struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make the running daemon reload its configuration file; print the result.",
        discussion:
            "Prints \"reloaded\" and exits 0, or prints every problem of the file and exits 1 with the previous rules still in force; exits 3 if the daemon could not be reached. The unit's ExecReload runs it, so `systemctl reload ndpd` fails visibly on a broken file."
    )

    @OptionGroup var control: ControlSocketOption

    func run() throws {
        try ControlDefaults.run(.reload, socket: control.socket, timeout: .seconds(65))
    }
}
