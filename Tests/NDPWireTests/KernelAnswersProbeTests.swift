// A real Linux kernel, as a guest, answers the live-guest probes ndpd builds (ARCHITECTURE.md,
// "Live guests"): the multicast probe at 33:33:ff + the target's last 24 bits and the unicast
// re-probe, each from the host's link-local address with the host's MAC as SLLA. The probes are
// injected with tcpreplay into a veth pair between two network namespaces (nothing touches the
// machine's own namespace); the guest's answers are captured with tcpdump and read back with
// the project's own pcap reader and `ReceivedAdvertisement`.
//
// Needs root, `ip`, `tcpdump` and `tcpreplay` (scripts/setup.sh installs them); skipped with the
// reason otherwise, and a failure instead under CI=true.

import Foundation
import NDPIO
import NDPWire
import TestSupport
import Testing

enum ProbeBed {
    static let tools = ["/usr/sbin/ip", "/usr/bin/tcpdump", "/usr/bin/tcpreplay"]
    static var isRoot: Bool { (try? shell("id -u").trimmingCharacters(in: .whitespacesAndNewlines)) == "0" }
    static var shouldRun: Bool {
        TestEnvironment.isCI || (isRoot && tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) })
    }

    /// Runs `script` with bash; returns stdout, throws with stderr when it fails.
    @discardableResult
    static func shell(_ script: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ShellFailure(status: process.terminationStatus, errors: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }

    struct ShellFailure: Error, CustomStringConvertible {
        var status: Int32
        var errors: String
        var description: String { "exit \(status): \(errors)" }
    }
}

@Suite(
    "A Linux guest answers the probes", .serialized,
    .enabled(if: ProbeBed.shouldRun, "needs root, ip, tcpdump and tcpreplay; skipped outside CI"))
struct KernelAnswersProbeTests {
    static let hostMAC = MACAddress("02:00:00:00:00:01")!
    static let hostLinkLocal = IPv6Address.linkLocal(for: hostMAC)
    static let guestMAC = MACAddress("52:54:00:ab:cd:ef")!
    static let target = IPv6Address("2001:db8:0:96ce::2")!

    @Test(
        "the multicast probe and the unicast re-probe each get the guest's NA: solicited, TLLA the guest's MAC, to the host"
    )
    func guestAnswers() throws {
        #expect(ProbeBed.isRoot, "not root (CI=true): the namespaces cannot be made")
        guard ProbeBed.isRoot else { return }
        let probes = try [SolicitationProbe.Destination.solicitedNode, .unicast(Self.guestMAC)].map { destination in
            let probe = try #require(
                SolicitationProbe(
                    target: Self.target, source: Self.hostLinkLocal,
                    interfaceMAC: Self.hostMAC, destination: destination))
            return try probeFrame(probe)
        }
        let dir = try TemporaryDirectory()
        let input = try dir.write("probes.pcap", PcapWriter.file(frames: probes))
        let output = dir.path("answers.pcap")
        let errors = dir.path("tcpdump.err")
        // Two namespaces joined by a veth pair; the host end has no IPv6 of its own (no DAD, no
        // MLD), so the only NAs on the link are the guest's answers. tcpdump stops after two NAs
        // (or is killed after 20 s, which fails the test); the probes leave once it listens.
        try ProbeBed.shell(
            """
            set -euo pipefail
            H=ndpdprobe$$h; G=ndpdprobe$$g
            trap 'ip netns del $H 2>/dev/null; ip netns del $G 2>/dev/null; true' EXIT
            ip netns add $H
            ip netns add $G
            ip link add hv netns $H address \(Self.hostMAC) type veth peer name gv netns $G address \(Self.guestMAC)
            ip netns exec $H sysctl -qw net.ipv6.conf.hv.disable_ipv6=1
            ip -n $H link set hv up
            ip -n $G link set lo up
            ip -n $G link set gv up
            ip -n $G addr add \(Self.target)/64 dev gv nodad
            # SIGKILL: tcpdump stops on SIGTERM only when a next packet arrives.
            : > '\(errors)'
            ip netns exec $H timeout -s KILL 20 tcpdump -i hv -U --immediate-mode -c 2 -w '\(output)' 'icmp6 and ip6[40] == 136' 2>'\(errors)' &
            capture=$!
            for _ in $(seq 200); do grep -q 'listening on' '\(errors)' && break; sleep 0.05; done
            ip netns exec $H tcpreplay -q -i hv '\(input)' >/dev/null
            wait $capture
            """)

        var answers: [ReceivedAdvertisement] = []
        let capture = try CaptureFile(path: output)
        try capture.forEach { _, frame in
            if let answer = try? ReceivedAdvertisement(decoding: frame, linkType: .ethernet) { answers.append(answer) }
            return true
        }
        #expect(answers.count == 2, "one answer per probe")
        for answer in answers {
            #expect(answer.targetAddress == Self.target)
            // S always; O is the guest's choice (Linux sets it only in answer to a multicast NS),
            // and the live table does not read it.
            #expect(answer.flags.contains(.solicited))
            #expect(answer.linkLayerAddress == Self.guestMAC)
            #expect(answer.destination == Self.hostLinkLocal, "answered to the probe's source")
            #expect(answer.linkLayerDestination == Self.hostMAC, "at the probe's SLLA")
        }
    }
}
