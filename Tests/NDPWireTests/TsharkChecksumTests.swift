// An independent implementation (Wireshark's dissector) validates the checksums and
// flags of NAs we build. The pcap file is written by hand here, not by NDPIO.
//
// tshark 4.0 has no ICMPv6 checksum preference (`tshark -G defaultprefs` lists none for
// icmpv6): it always verifies. `icmpv6.checksum.status` prints the proto_checksum_enum_e value:
// 0 = Bad, 1 = Good, 2 = Unverified, 3 = Not present. "Good" is therefore 1, checked here
// against a deliberately corrupted NA that must come out 0.

import Foundation
import NDPWire
import TestSupport
import Testing

enum Tshark {
    static let path: String? = ["/usr/bin/tshark", "/usr/local/bin/tshark", "/usr/sbin/tshark"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static var shouldRun: Bool { path != nil || TestEnvironment.isCI }

    /// Runs tshark, returns stdout.
    static func run(_ arguments: [String]) throws -> String {
        let tshark = try #require(path, "tshark not installed (CI=true): apt-get install tshark")
        let (status, output) = try TestProgram.run(tshark, arguments)
        #expect(status == 0, "tshark exited with \(status)")
        return output
    }

    /// tshark's `-T fields` table of `file`: a row a frame, a column a field of `fields`, tab
    /// separated (`options` adds `-E` options).
    static func fields(of file: String, _ fields: [String], options: [String] = []) throws -> [[String]] {
        let output = try run(
            ["-r", file, "-T", "fields", "-E", "separator=\t"] + options.flatMap { ["-E", $0] }
                + fields.flatMap { ["-e", $0] })
        return output.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// `rows` paired with what each frame should show, with their index; a row that has not
    /// `width` columns is recorded as an issue and left out.
    static func rows<Expected>(
        _ rows: [[String]], _ expected: [Expected], width: Int
    ) -> [(index: Int, row: [String], want: Expected)] {
        zip(rows, expected).enumerated().compactMap { index, pair in
            guard pair.0.count == width else {
                Issue.record("row \(index + 1): \(pair.0)")
                return nil
            }
            return (index, pair.0, pair.1)
        }
    }
}

@Suite("tshark validates built NAs", .enabled(if: Tshark.shouldRun, "tshark not installed; skipped outside CI"))
struct TsharkChecksumTests {
    @Test("tshark: checksum Good and R/S/O as built, for tagged/untagged, DAD/unicast NAs; a corrupted one is Bad")
    func tsharkAgrees() throws {
        var frames: [[UInt8]] = []
        var expected: [(status: String, r: Bool, s: Bool, o: Bool, vlans: [UInt16], tlla: MACAddress?)] = []
        // A spread of the round-trip cases: DAD and unicast, 0/1/2 tags, all flag sets, TLLA or not.
        for (index, c) in AdvertisementCase.all.enumerated() where index % 5 == 0 {
            frames.append(try advertisementFrame(c.advertisement))
            expected.append(
                (
                    "1", c.router, c.solicited, c.override, c.tags.map(\.vlanIdentifier),
                    c.withTLLA ? Fixture.interfaceMAC : nil
                ))
        }
        // The answers NA(answering:) gives to a DAD probe and to a tagged multicast NS.
        for packet in [
            AdvertisementRoundTripTests.TestPacketSpec(kind: .dad, tags: 0),
            AdvertisementRoundTripTests.TestPacketSpec(kind: .multicastWithSLLA, tags: 1),
            AdvertisementRoundTripTests.TestPacketSpec(kind: .nudWithoutSLLA, tags: 2),
        ] {
            guard case .accepted(let ns) = validateSolicitation(packet.bytes, linkType: packet.linkType) else {
                Issue.record("test NS not accepted")
                continue
            }
            let na = NeighborAdvertisement(
                answering: ns, interfaceMAC: Fixture.interfaceMAC, source: Fixture.target,
                router: true, override: false)
            frames.append(try advertisementFrame(na))
            expected.append(
                (
                    "1", true, !ns.isDuplicateAddressDetection, false,
                    ns.vlanTags.all.map(\.vlanIdentifier), Fixture.interfaceMAC
                ))
        }
        // Control: the last byte of the target flipped after the checksum was computed.
        var corrupted = frames[0]
        corrupted[corrupted.count - 1] ^= 0x01
        frames.append(corrupted)
        let first = expected[0]
        expected.append(("0", first.r, first.s, first.o, first.vlans, first.tlla))

        let dir = try TemporaryDirectory()
        let file = try dir.write("built-nas.pcap", PcapWriter.file(frames: frames))
        let rows = try Tshark.fields(
            of: file,
            [
                "icmpv6.checksum.status", "icmpv6.nd.na.flag.r", "icmpv6.nd.na.flag.s", "icmpv6.nd.na.flag.o",
                "ieee8021ad.id", "vlan.id", "icmpv6.opt.linkaddr", "ipv6.hlim", "icmpv6.nd.na.flag.rsv",
            ], options: ["occurrence=a", "aggregator=,"])
        #expect(rows.count == frames.count)
        for (index, row, want) in Tshark.rows(rows, expected, width: 9) {
            func bit(_ b: Bool) -> String { b ? "1" : "0" }
            #expect(row[0] == want.status, "frame \(index + 1) checksum status \(row[0])")
            #expect(row[1] == bit(want.r), "frame \(index + 1) R")
            #expect(row[2] == bit(want.s), "frame \(index + 1) S")
            #expect(row[3] == bit(want.o), "frame \(index + 1) O")
            // tshark names an 802.1ad S-tag ieee8021ad.id and an 802.1Q C-tag vlan.id.
            let vlans = [row[4], row[5]].filter { !$0.isEmpty }.joined(separator: ",")
            #expect(vlans == want.vlans.map(String.init).joined(separator: ","), "frame \(index + 1) VLANs \(vlans)")
            #expect(row[6] == (want.tlla?.description ?? ""), "frame \(index + 1) TLLA \(row[6])")
            #expect(row[7] == "255", "frame \(index + 1) hop limit")
            #expect(row[8] == "0", "frame \(index + 1) reserved bits")
        }
        #expect(rows.count > 20)
    }
}
