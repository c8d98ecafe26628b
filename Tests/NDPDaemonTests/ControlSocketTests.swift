import Foundation
import NDPControl
import NDPIO
import NDPPolicy
import NDPWire
import Synchronization
import TestSupport
import Testing

@testable import NDPDaemon

/// The control socket: its request parser, and the server against good and bad clients.
@Suite("Control socket")
struct ControlSocketTests {
    @Test(arguments: [
        ("status\n", ControlRequest.status(json: false)),
        ("status json\n", .status(json: true)),
        ("status live\n", .status(json: false, live: true)),
        ("status live json\n", .status(json: true, live: true)),
        ("reload\n", .reload),
        ("  reload \r\n", .reload),
        ("status\nextra bytes after the line", .status(json: false)),
    ])
    func parsesRequests(text: String, expected: ControlRequest) {
        #expect(ControlRequest.parse(Array(text.utf8)) == .success(expected))
    }

    @Test func refusesBadRequests() {
        #expect(ControlRequest.parse(Array("status".utf8)) == .failure(.incomplete))
        #expect(ControlRequest.parse(Array("".utf8)) == .failure(.incomplete))
        #expect(ControlRequest.parse(Array("stop\n".utf8)) == .failure(.unknown("stop")))
        #expect(ControlRequest.parse(Array("\n".utf8)) == .failure(.unknown("")))
        #expect(ControlRequest.parse([0x73, 0x00, 0x0A]) == .failure(.notText))
        #expect(
            ControlRequest.parse([UInt8](repeating: 0x61, count: ControlRequest.maximumLength)) == .failure(.tooLong))
        // Every request the client sends parses back to itself.
        for request in [
            ControlRequest.status(json: false), .status(json: true), .status(json: false, live: true),
            .status(json: true, live: true), .reload,
        ] {
            #expect(ControlRequest.parse(Array(request.line.utf8)) == .success(request))
        }
    }

    @Test func repliesRoundTrip() {
        for reply in [
            ControlReply(ok: true, body: "reloaded\n"), ControlReply(ok: false, body: "a\nb\n"),
            ControlReply(ok: true, body: ""),
        ] {
            #expect(ControlReply(bytes: reply.bytes) == reply)
        }
        #expect(ControlReply(bytes: Array("hello".utf8)) == nil)
    }

    /// A raw client: connects, sends `bytes` (if any), reads to the end (or `timeout`).
    static func raw(_ path: String, send bytes: [UInt8]?, timeout: Duration = .seconds(5)) throws -> String {
        let fd = try ControlClient.connect(path: path, timeout: timeout)
        defer { close(fd) }
        // MSG_NOSIGNAL: the server may close before reading it all, which must not kill the tests.
        if let bytes { _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            received += buffer[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test func serverAnswersAndBoundsBadClients() throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.path("ctl.sock")
        let asked = Mutex<[ControlRequest]>([])
        let server = try ControlServer(path: path) { request in
            asked.withLock { $0.append(request) }
            return ControlReply(ok: request != .reload, body: request == .reload ? "no file\n" : "fine\n")
        }
        defer { server.stop() }
        // The socket is the owner's alone.
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        #expect(
            try ControlClient.send(.status(json: false), path: path, timeout: .seconds(5))
                == ControlReply(ok: true, body: "fine\n"))
        #expect(
            try ControlClient.send(.reload, path: path, timeout: .seconds(5))
                == ControlReply(ok: false, body: "no file\n"))
        #expect(try Self.raw(path, send: Array("shutdown\n".utf8)).hasPrefix("error\nunknown request"))
        #expect(try Self.raw(path, send: [UInt8](repeating: 0x41, count: 5000)).hasPrefix("error\nrequest longer than"))
        #expect(try Self.raw(path, send: [0x01, 0x0A]).hasPrefix("error\nrequest is not printable"))
        // A client that never writes is told so and closed when its time is up.
        #expect(try Self.raw(path, send: nil).hasPrefix("error\ntimeout"))
        // Only well-formed requests reached the handler.
        #expect(asked.withLock { $0 } == [.status(json: false), .reload])

        // More clients than allowed at once: the excess is told "busy"; once the idle ones
        // time out, a well-behaved client is answered again.
        var idle: [Int32] = []
        for _ in 0..<ControlServer.maximumClients {
            idle.append(try ControlClient.connect(path: path, timeout: .seconds(5)))
        }
        defer { idle.forEach { close($0) } }
        var busy = ""
        for _ in 0..<50 {
            busy = try Self.raw(path, send: Array("status\n".utf8))
            if busy.hasPrefix("error\nbusy") { break }
            usleep(20_000)
        }
        #expect(busy.hasPrefix("error\nbusy"))
        var answered = false
        for _ in 0..<100 where !answered {
            if (try? ControlClient.send(.status(json: false), path: path, timeout: .seconds(5)))?.ok == true {
                answered = true
            } else {
                usleep(50_000)
            }
        }
        #expect(answered)
    }

    @Test func staleSocketIsReplacedAndOtherFilesAreNot() throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.path("ctl.sock")
        // While one daemon listens, a second must not take its socket over.
        let first = try ControlServer(path: path) { _ in ControlReply(ok: true, body: "first\n") }
        let second = Result { try ControlServer(path: path) { _ in ControlReply(ok: true, body: "second\n") } }
        guard case .failure = second else {
            Issue.record("a second server took over a live socket")
            return
        }
        first.stop()
        #expect(!FileManager.default.fileExists(atPath: path))
        let plain = scratch.path("plain")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: plain))
        #expect(throws: IOError.self) { try ControlServer(path: plain) { _ in ControlReply(ok: true, body: "") } }
        #expect(try String(contentsOfFile: plain, encoding: .utf8) == "keep me")
        // A stale socket file (bound, never listened on by a live process) is replaced.
        let stale = scratch.path("stale.sock")
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in stale.utf8.enumerated() { bytes[index] = byte }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        close(fd)
        let replacing = try ControlServer(path: stale) { _ in ControlReply(ok: true, body: "new\n") }
        defer { replacing.stop() }
        #expect(try ControlClient.send(.status(json: false), path: stale, timeout: .seconds(5)).body == "new\n")
    }
}

/// What `ndpd status` prints, as text and as JSON, from a report the loop builds.
@Suite("Status report")
struct StatusReportTests {
    func report() -> StatusReport {
        StatusReport(
            version: "9.9.9", commit: "0123456789ab", started: "2026-12-05T10:00:00Z",
            configuration: .init(
                path: "/etc/ndpd/ndpd.toml", loaded: "2026-12-05T11:00:00Z", reloadsApplied: 2, reloadsRefused: 1),
            interfaces: [
                .init(
                    name: "br0", state: "up", mac: "02:00:00:00:00:01", addresses: ["fe80::1", "2001:db8::1"],
                    rules: .init(
                        addresses: 1, prefixes: 1, excluded: 1, router: true, override: false, dad: "ignore",
                        source: "auto", unsolicitedNA: false, targetsFile: nil),
                    counters: .init(
                        frames: 10, solicitations: 9, answered: 5, advertisementsSent: 4, ignored: 3, invalid: 1,
                        sendErrors: 1, unsolicitedAdvertisements: 0, captureDrops: 0,
                        reasons: ["ignore not-configured": 3, "invalid hop-limit": 1]))
            ])
    }

    @Test func textNamesEverything() {
        let lines = report().text.split(separator: "\n").map(String.init)
        #expect(lines.first == "ndpd 9.9.9 (commit 0123456789ab), running since 2026-12-05T10:00:00Z")
        #expect(
            lines.contains(
                "configuration: /etc/ndpd/ndpd.toml, loaded 2026-12-05T11:00:00Z; reloads: 2 applied, 1 refused"))
        #expect(lines.contains("br0: up, MAC 02:00:00:00:00:01"))
        #expect(lines.contains("  addresses: fe80::1, 2001:db8::1"))
        #expect(
            lines.contains {
                $0.hasPrefix("  counters: 10 frames, 9 solicitations: 5 answered (4 sent), 3 ignored, 1 invalid")
            })
        // Reasons sorted, so the text is stable.
        #expect(lines.suffix(2) == ["    ignore not-configured: 3", "    invalid hop-limit: 1"])
    }

    @Test func jsonDecodesToTheSameReport() throws {
        let json = report().json
        #expect(json.contains("\"path\" : \"/etc/ndpd/ndpd.toml\""))
        let decoded = try JSONDecoder().decode(StatusReport.self, from: Data(json.utf8))
        #expect(decoded.interfaces.first?.counters.reasons == ["ignore not-configured": 3, "invalid hop-limit": 1])
        #expect(decoded.configuration.reloadsRefused == 1)
        #expect(decoded.text == report().text)
    }
}

/// `ndpd status`'s live table: entries by state always, every address with `--live`.
@Suite("Status: the live table")
struct StatusLiveTableTests {
    @Test("counts by state, and each address with its MAC, state and the seconds since it entered it")
    func liveTable() throws {
        var guests = GuestNeighborCache(settings: LiveSettings())
        let guest = try #require(MACAddress("02:00:00:00:0b:02"))
        let live = try #require(IPv6Address("2001:db8:0:96ce::2"))
        let tentative = try #require(IPv6Address("2001:db8:0:96ce::5"))
        _ = guests.observe(.advertisement(guest), for: live, at: 1_000_000) { _, _ in }
        _ = guests.observe(.duplicateAddressProbe(guest), for: tentative, at: 3_000_000) { _, _ in }

        let summary = StatusReport.LiveTable(guests, at: 5_500_000, listing: false)
        #expect(summary.states == ["probing": 0, "live": 1, "stale": 0, "tentative": 1, "invalid": 0])
        #expect(summary.entries == nil)

        let listed = try #require(StatusReport.LiveTable(guests, at: 5_500_000, listing: true).entries)
        let byAddress = Dictionary(uniqueKeysWithValues: listed.map { ($0.address, $0) })
        #expect(byAddress[live.description]?.state == "live")
        #expect(byAddress[live.description]?.mac == guest.description)
        #expect(byAddress[live.description]?.age == 4.5)
        #expect(byAddress[tentative.description]?.state == "tentative")
        #expect(byAddress[tentative.description]?.age == 2.5)
    }
}
