import NDPIO
import NDPPolicy
import NDPWire

/// Formats replay output: tcpdump-like text, or one JSON object per line.
final class Report {
    let options: ReplayOptions
    let output: (String) -> Void

    init(options: ReplayOptions, output: @escaping (String) -> Void) {
        self.options = options
        self.output = output
    }

    var listsOtherMessages: Bool { options.allMessages && !options.quiet && !options.json }

    /// True when no per-packet line is printed (`--quiet`): only the summary.
    var isSilent: Bool { options.quiet }

    func solicitation(_ outcome: SolicitationOutcome, header: PacketHeader) {
        guard !options.quiet else { return }
        if options.json {
            var line = "{\"frame\":\(header.index),\"source\":\"\(outcome.source)\""
            if let target = outcome.targetAddress { line += ",\"target\":\"\(target)\"" }
            line += ",\"decision\":\"\(outcome.decision.word)\""
            if let reason = outcome.decision.reason { line += ",\"reason\":\"\(reason)\"" }
            if let confirmedBy = outcome.confirmedBy { line += ",\"confirmed_by\":\(confirmedBy)" }
            output(line + "}")
            return
        }
        var line = "#\(header.index) \(Report.time(header)) NS \(outcome.source) > \(outcome.destination)"
        line += " who-has " + (outcome.targetAddress?.description ?? "?")
        switch outcome.decision {
        case .answer(let na):
            line +=
                ": answer (NA \(na.flags.isEmpty ? "-" : na.flags.description) \(na.source) > \(na.destination)"
                + ", tlla \(na.targetLinkLayerAddress?.description ?? "-")"
                + (na.vlanTags.count > 0 ? ", \(na.vlanTags.all.map(\.description).joined(separator: " "))" : "") + ")"
                + (outcome.confirmedBy.map { " confirmed by #\($0)" } ?? "")
        case .ignore(let reason):
            line += ": ignore \(reason.rawValue)"
        case .invalid(let rejection):
            line += ": invalid \(rejection.description)"
        }
        output(line)
    }

    func otherMessage(_ frame: Span<UInt8>, linkType: LinkType, header: PacketHeader) {
        guard let parsed = try? NDFrame(parsing: frame, linkType: linkType), let type = parsed.ndType,
            let range = parsed.messageRange,
            let message = try? NDMessage(parsing: frame.extracting(range))
        else { return }
        var line = "#\(header.index) \(Report.time(header)) \(type) \(parsed.ip.source) > \(parsed.ip.destination)"
        if let target = message.targetAddress { line += " target \(target)" }
        if let flags = message.advertisementFlags { line += " [\(flags.isEmpty ? "-" : flags.description)]" }
        output(line)
    }

    func summary(_ s: Statistics, written: Int?, complete: Bool) {
        if options.json {
            var reasons: [String] = []
            for entry in s.reasonCounts { reasons.append("\"\(entry.reason)\":\(entry.count)") }
            var line =
                "{\"summary\":{\"frames\":\(s.framesReceived),\"solicitations\":\(s.solicitations)"
                + ",\"answer\":\(s.answered),\"ignore\":\(s.ignoredTotal),\"invalid\":\(s.invalidTotal)"
                + ",\"reasons\":{\(reasons.joined(separator: ","))}"
            if let written { line += ",\"written\":\(written)" }
            line += ",\"complete\":\(complete)}}"
            output(line)
            return
        }
        output(
            "summary: \(s.framesReceived) frames, \(s.solicitations) solicitations: \(s.answered) answer, "
                + "\(s.ignoredTotal) ignore, \(s.invalidTotal) invalid" + (complete ? "" : " (input damaged, stopped)"))
        for entry in s.reasonCounts {
            output("  \(entry.decision) \(entry.reason): \(entry.count)")
        }
        if let written, let path = options.writePath {
            // Answers and unsolicited advertisements (`unsolicited-na`) go to the same file.
            let unsolicited = written - s.advertisementsSent
            output(
                "wrote \(written) advertisements to \(path)"
                    + (unsolicited > 0 ? " (\(s.advertisementsSent) answers, \(unsolicited) unsolicited)" : ""))
        }
    }

    /// `HH:MM:SS.uuuuuu` in UTC, as `TZ=GMT0 tcpdump` prints.
    static func time(_ header: PacketHeader) -> String {
        let day = ((header.seconds % 86_400) + 86_400) % 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let micros = String(header.microseconds)
        return "\(two(day / 3600)):\(two(day / 60 % 60)):\(two(day % 60))."
            + String(repeating: "0", count: max(0, 6 - micros.count)) + micros
    }
}
