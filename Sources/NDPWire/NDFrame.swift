/// A captured frame decoded down to its ICMPv6 header: link layer, IPv6 with its extension
/// headers walked, and where the ICMPv6 message lies. Holds offsets, never the bytes.
public struct NDFrame: Sendable {
    /// The link-layer header.
    public var link: LinkHeader
    /// The IPv6 header and chain.
    public var ip: IPv6Packet
    /// ICMPv6 Type.
    public var icmpType: UInt8
    /// ICMPv6 Code (0 when the message is a single octet).
    public var icmpCode: UInt8

    /// Where the ICMPv6 message starts in the frame.
    public var messageOffset: Int { ip.upperLayerOffset }
    /// The ICMPv6 message's length as the IPv6 header declares it.
    public var messageLength: Int { ip.upperLayerLength }

    /// Decodes `frame` down to ICMPv6. Throws for anything that is not IPv6 + ICMPv6 or whose
    /// headers are cut; a payload cut by the capture is reported by `ip.isTruncated`.
    public init(parsing frame: Span<UInt8>, linkType: LinkType) throws(WireError) {
        link = try LinkHeader(parsing: frame, linkType: linkType)
        ip = try IPv6Packet(parsing: frame, at: link.networkOffset)
        guard ip.upperLayerProtocol == IPProtocol.icmpv6 else {
            throw .notICMPv6(nextHeader: ip.upperLayerProtocol)
        }
        let available = min(frame.count - ip.upperLayerOffset, ip.upperLayerLength)
        // Type and Code. A message of one octet has a type but no code: it is still named (an NS
        // of one octet is `too-short`), and fails every check that reads further.
        let needed = ip.upperLayerLength == 1 ? 1 : 2
        guard available >= needed else {
            throw .truncated(layer: .icmpv6, needed: 2, have: max(0, available))
        }
        icmpType = frame[ip.upperLayerOffset]
        icmpCode = needed == 2 ? frame[ip.upperLayerOffset + 1] : 0
    }

    /// Stops the program unless this frame carries message `type`: a validating init handed
    /// another message is the caller's bug, never a property of the bytes.
    @inline(__always)
    public func require(_ type: NDMessageType) {
        precondition(icmpType == type.rawValue, "a \(type) (ICMPv6 type \(type.rawValue)) needed, not type \(icmpType)")
    }

    /// The ND message type, if the ICMPv6 type is one.
    public var ndType: NDMessageType? { NDMessageType(rawValue: icmpType) }

    /// The byte range of the ICMPv6 message in the frame. Nil when the capture holds less
    /// than the IPv6 header declares.
    public var messageRange: Range<Int>? {
        ip.isTruncated ? nil : ip.upperLayerOffset..<(ip.upperLayerOffset + ip.upperLayerLength)
    }
}

/// The three ways a frame fails to yield a valid ND message of one type, as each message's
/// `init(decoding:linkType:)` throws them (`SolicitationFrameError`, `AdvertisementFrameError`).
public protocol NDMessageFrameError: Error {
    /// What the message's validating init throws.
    associatedtype Invalid: Error
    /// Not an IPv6 packet ending in ICMPv6, or its headers are cut.
    static func undecodable(_ error: WireError) -> Self
    /// Another ICMPv6 message.
    static func otherMessage(icmpType: UInt8) -> Self
    /// The message fails its validation.
    static func invalid(_ error: Invalid) -> Self
}

extension NDFrame {
    /// The layered decoding every ND message shares: `frame` parsed down to ICMPv6, its type
    /// checked against `type`, then `validate`d; each step's failure wrapped in `failure`.
    @inline(__always)
    static func decode<Message, Failure: NDMessageFrameError>(
        _ frame: Span<UInt8>, linkType: LinkType, as type: NDMessageType, failure: Failure.Type,
        validate: (NDFrame, Span<UInt8>) throws(Failure.Invalid) -> Message
    ) throws(Failure) -> Message {
        let parsed: NDFrame
        do {
            parsed = try NDFrame(parsing: frame, linkType: linkType)
        } catch {
            throw .undecodable(error)
        }
        guard parsed.icmpType == type.rawValue else { throw .otherMessage(icmpType: parsed.icmpType) }
        do {
            return try validate(parsed, frame)
        } catch {
            throw .invalid(error)
        }
    }
}
