import ArgumentParser
import Foundation
import NDPDaemon
import NDPImport
import NDPPolicy

/// `ndpd import FILE...`: an ndpd.toml on standard output from ndppd, npd6, `ip -6 neigh show
/// proxy` or systemd-networkd configuration; what does not map is a `#` comment there and a
/// warning on standard error.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an ndpd.toml from ndppd, npd6, ip-neigh or systemd-networkd configuration.",
        discussion: """
            Reads each FILE (- for standard input) and writes one ndpd.toml to standard output. Everything that did not map, or that the source reads differently from how it looks, is a comment in the output and a warning on standard error. The format is told from the file's name and content unless --from names it.

            Examples:
              ndpd import /etc/ndppd.conf > /etc/ndpd/ndpd.toml
              ip -6 neigh show proxy | ndpd import --from ip-neigh -
              ndpd import /etc/systemd/network/*.network

            Exit status: 0 written; 1 nothing to answer for could be imported; 2 a file could not be read or its format not told.
            """)

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The format of every FILE: \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "format"), completion: .list(ImportFormat.allCases.map(\.rawValue)))
    var from: String?

    @Argument(
        help: ArgumentHelp(
            "ndppd.conf, npd6.conf, .network files, or ip-neigh output; - for standard input.",
            valueName: "file"), completion: .file())
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one file, or - for standard input") }
        if let from, ImportFormat(rawValue: from) == nil {
            throw ValidationError(
                "--from: \"\(from)\" is not one of \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        var result = ImportedConfiguration()
        for file in files {
            let text: String
            do {
                if file == "-" {
                    text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                } else {
                    text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
                }
            } catch {
                standardError("ndpd import: \(file): cannot read: \((error as NSError).localizedDescription)")
                throw ExitCode(ExitStatus.damagedInput)
            }
            guard let format = from.flatMap(ImportFormat.init(rawValue:)) ?? ImportFormat.detect(name: file, text: text)
            else {
                standardError(
                    "ndpd import: \(file): cannot tell its format; say it with --from "
                        + ImportFormat.allCases.map(\.rawValue).joined(separator: "|"))
                throw ExitCode(ExitStatus.damagedInput)
            }
            format.read(text, file: file, into: &result)
        }
        let output = result.render()
        print(output, terminator: "")
        for warning in result.warnings { standardError("ndpd import: warning: \(warning)") }
        guard !result.answeringBlocks.isEmpty else {
            standardError("ndpd import: nothing to answer for could be imported (see the comments in the output)")
            throw ExitCode(ExitStatus.invalidConfiguration)
        }
        // The output must load as it is; a failure here is a bug of the importer.
        do {
            _ = try ConfigurationLoader.parse(output, file: "<ndpd import output>")
        } catch {
            standardError(error.description)
            standardError("ndpd import: the output does not pass `ndpd check`: please report this")
            throw ExitCode(ExitStatus.invalidConfiguration)
        }
    }
}
