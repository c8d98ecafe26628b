// Running the outside programs some tests compare ndpd with (tshark, python3), one way for all.

import Foundation

/// An outside program run to completion.
public enum TestProgram {
    /// Runs `executable` with `arguments` and waits for it: its exit status and standard output.
    /// Standard error is discarded, or left to the test's own with `keepingErrors`.
    public static func run(
        _ executable: String, _ arguments: [String], keepingErrors: Bool = false
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        if !keepingErrors { process.standardError = FileHandle.nullDevice }
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
