// What every test target needs about where it runs: the package's folders, the public capture
// corpus, whether this is CI, and a scratch directory. One copy, so that the rule "an absent
// asset skips a test, but fails it under CI" reads the same everywhere.

import Foundation

/// Where the tests run.
public enum TestEnvironment {
    /// True when the environment says this is CI (`CI=true`, `1` or `yes`): tests that need an
    /// asset (the corpus, tshark, root) then fail instead of skipping, so that CI cannot pass by
    /// testing nothing.
    public static var isCI: Bool {
        ["true", "1", "yes"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")
    }

    /// The package root: this file is `<root>/Tests/TestSupport/TestEnvironment.swift`.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The project's own fixtures.
    public static let captures = packageRoot.appendingPathComponent("Captures")

    /// The public corpus folder (it holds MANIFEST.md): `$NDPD_SHARED/captures/public`, or
    /// `$NDPD_SHARED` itself when it names the corpus folder, else `<root>/../shared/captures/public`.
    /// Nil when none of them exists.
    public static let corpusDirectory: URL? = {
        var candidates: [URL] = []
        if let shared = ProcessInfo.processInfo.environment["NDPD_SHARED"], !shared.isEmpty {
            let base = URL(fileURLWithPath: shared)
            candidates += [base.appendingPathComponent("captures/public"), base]
        }
        candidates.append(packageRoot.appendingPathComponent("../shared/captures/public").standardizedFileURL)
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("MANIFEST.md").path)
        }
    }()
}

/// A scratch directory, removed with everything in it when the value is dropped.
public final class TemporaryDirectory {
    /// The directory.
    public let url: URL

    /// Creates a fresh directory under the system's temporary folder.
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ndpd-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` in the directory.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to `name` in the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: url.appendingPathComponent(name))
        return path(name)
    }
}
