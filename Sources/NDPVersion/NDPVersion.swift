/// What this build of ndpd is: `version` and `commit` are generated at build time by the
/// VersionStamp plugin (Plugins/VersionStamp) from the repository's VERSION file and git.
public enum NDPVersion {
    /// The line `ndpd --version` prints: "ndpd VERSION (commit COMMIT)".
    public static var line: String { "ndpd \(version) (commit \(commit))" }
}
