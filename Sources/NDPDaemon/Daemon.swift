import NDPPolicy

/// The live daemon (capture, decide, inject). Filled in by the live-responder work.
public enum Daemon {
    /// Runs until SIGTERM/SIGINT; returns the exit status.
    public static func run(rules: [ProxyRule], configPath: String?) -> Int32 {
        print("ndpd: live mode is not built yet; use --replay")
        return 3
    }
}
