import Foundation
import PackagePlugin

/// Writes `Version.swift` for the target it is applied to: the version from the repository's
/// `VERSION` file (the one place that defines it; `scripts/build-deb.sh` and the man pages read
/// the same file) and the commit the build was made from.
///
/// A prebuild command, so it runs on every build and the commit is never stale; the script
/// rewrites the file only when its content changes, so an unchanged tree recompiles nothing.
@main
struct VersionStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Generated")
        let root = context.package.directoryURL
        return [
            .prebuildCommand(
                displayName: "Stamp the ndpd version and commit",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [root.appending(path: "scripts/version-stamp.sh").path, root.path, output.path],
                outputFilesDirectory: output)
        ]
    }
}
