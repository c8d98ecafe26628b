// Wireshark's dissector, an implementation independent of ndpd, reads the probe NS that the
// host sends on the guest side: checksum Good, hop limit 255, addresses as ARCHITECTURE.md's
// "Live guests" states them. The pcap file is written by hand (Support/Corpus.swift), not by NDPIO.

import NDPWire
import TestSupport
import Testing

@Suite("tshark validates built probes", .enabled(if: Tshark.shouldRun, "tshark not installed; skipped outside CI"))
struct TsharkProbeTests {
    @Test("tshark: checksum Good, type 135, hop limit 255, addresses and SLLA as built; a corrupted probe is Bad")
    func tsharkAgrees() throws {
        var frames = try ProbeCase.all.map { try probeFrame($0.probe) }
        var expected: [(status: String, probe: SolicitationProbe)] = ProbeCase.all.map { ("1", $0.probe) }
        // Control: the last byte of the SLLA flipped after the checksum was computed.
        var corrupted = frames[0]
        corrupted[corrupted.count - 1] ^= 0x01
        frames.append(corrupted)
        expected.append(("0", ProbeCase.all[0].probe))

        let dir = try TemporaryDirectory()
        let file = try dir.write("built-probes.pcap", PcapWriter.file(frames: frames))
        let rows = try Tshark.fields(
            of: file,
            [
                "icmpv6.checksum.status", "icmpv6.type", "ipv6.hlim", "eth.dst", "eth.src", "ipv6.src", "ipv6.dst",
                "icmpv6.nd.ns.target_address", "icmpv6.opt.linkaddr", "icmpv6.reserved",
            ], options: ["occurrence=f"])
        #expect(rows.count == frames.count)
        for (index, row, want) in Tshark.rows(rows, expected, width: 10) {
            let probe = want.probe
            #expect(row[0] == want.status, "frame \(index + 1) checksum status \(row[0])")
            #expect(row[1] == "135", "frame \(index + 1) type")
            #expect(row[2] == "255", "frame \(index + 1) hop limit")
            #expect(row[3] == probe.ethernetDestination.description, "frame \(index + 1) eth.dst \(row[3])")
            #expect(row[4] == ProbeCase.hostMAC.description, "frame \(index + 1) eth.src")
            #expect(row[5] == ProbeCase.hostLinkLocal.description, "frame \(index + 1) ipv6.src \(row[5])")
            #expect(row[6] == probe.ipDestination.description, "frame \(index + 1) ipv6.dst \(row[6])")
            #expect(row[7] == Fixture.target.description, "frame \(index + 1) target")
            if want.status == "1" {
                #expect(row[8] == ProbeCase.hostMAC.description, "frame \(index + 1) SLLA \(row[8])")
            }
            #expect(["0", "00000000", "0x00000000"].contains(row[9]), "frame \(index + 1) reserved \(row[9])")
        }
        #expect(rows.first?[3] == "33:33:ff:00:00:02", "the solicited-node MAC, spelt out")
    }
}
