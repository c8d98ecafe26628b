import NDPDaemon
import NDPIO
import NDPPolicy
import NDPWire

/// The per-solicitation cost of the whole path, as `ndpd --replay --quiet` runs it: read the
/// record, decode, prefetch the target's table lines, decide `Engine.defaultLookahead` solicitations
/// later. Replay's loop is the daemon's engine, inlined the same way. Also run with the
/// lookahead off (each solicitation decided before the next is read) to show what it saves.
enum ReplayPath {
    /// Bytes per frame: Ethernet, IPv6, NS with its SLLA option.
    static let frameLength = 14 + 40 + 24 + 8
    static let solicitorMAC = MACAddress(rawValue: 0x0200_0000_0A01)
    static let solicitor = IPv6Address(high: 0xFE80_0000_0000_0000, low: 1)

    /// One multicast NS per query, back to back in one array (the frames a capture would hold).
    static func frames(for queries: [IPv6Address]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(queries.count * frameLength)
        for target in queries {
            let destination = target.solicitedNodeMulticast
            var frame: [UInt8] =
                [0x33, 0x33, 0xFF] + octets(destination.low).suffix(3) + octets(solicitorMAC.rawValue).suffix(6)
            frame += [0x86, 0xDD, 0x60, 0, 0, 0, 0, 32, 58, 255]
            frame += octets(solicitor.high) + octets(solicitor.low) + octets(destination.high) + octets(destination.low)
            var message: [UInt8] = [135, 0, 0, 0, 0, 0, 0, 0] + octets(target.high) + octets(target.low)
            message += [1, 1] + octets(solicitorMAC.rawValue).suffix(6)
            let checksum = ICMPv6Checksum.compute(message.span, source: solicitor, destination: destination)
            message[2] = UInt8(checksum >> 8)
            message[3] = UInt8(checksum & 0xFF)
            bytes += frame + message
        }
        return bytes
    }

    static func octets(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }

    /// Writes one NS per query to a pcap file at `path`.
    static func writeCapture(_ queries: [IPv6Address], to path: String) throws(IOError) {
        let writer = try CaptureWriter(path: path)
        let bytes = frames(for: queries)
        for i in queries.indices {
            writer.write(
                bytes.span.extracting(i * frameLength..<(i + 1) * frameLength), seconds: i / 1000,
                microseconds: i % 1000)
        }
        try writer.close()
    }

    /// Replays `path` under `rule`, summary only; returns the exit status (0 when all was read).
    nonisolated static func replay(_ rule: ProxyRule, _ path: String, lookahead: Int) -> Int {
        var options = ReplayOptions(capturePath: path)
        options.quiet = true
        options.lookahead = lookahead
        let status = Replay.run(rule: rule, options: options, output: { _ in }, errors: { print($0) })
        // A failed replay would be timed as a fast one.
        guard status == 0 else { fatalError("ndpd-policy-bench: replay of \(path) exited \(status)") }
        return Int(status)
    }
}
