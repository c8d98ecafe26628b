/// ND option types (RFC 4861 §4.6, RFC 3971 §5.3.2 for the Nonce).
public enum NDOptionType {
    /// Source Link-Layer Address (RFC 4861 §4.6.1).
    public static let sourceLinkLayerAddress: UInt8 = 1
    /// Target Link-Layer Address (RFC 4861 §4.6.1).
    public static let targetLinkLayerAddress: UInt8 = 2
    /// Prefix Information (RFC 4861 §4.6.2).
    public static let prefixInformation: UInt8 = 3
    /// Redirected Header (RFC 4861 §4.6.3).
    public static let redirectedHeader: UInt8 = 4
    /// MTU (RFC 4861 §4.6.4).
    public static let mtu: UInt8 = 5
    /// Nonce (RFC 3971 §5.3.2), sent with DAD probes by Linux's enhanced DAD (RFC 7527).
    public static let nonce: UInt8 = 14
}

/// A Prefix Information option (RFC 4861 §4.6.2):
///
/// ```
/// | Type=3 | Length=4 | Prefix Length |L|A| Reserved1 |
/// |                    Valid Lifetime                 |
/// |                  Preferred Lifetime               |
/// |                      Reserved2                    |
/// |                      Prefix (16)                  |
/// ```
public struct PrefixInformation: Sendable, Equatable {
    /// Prefix Length: how many leading bits of `prefix` are valid.
    public var prefixLength: UInt8
    /// L: the prefix is on-link.
    public var onLink: Bool
    /// A: the prefix may be used for SLAAC.
    public var autonomousAddressConfiguration: Bool
    /// Valid Lifetime in seconds (0xffffffff = infinity).
    public var validLifetime: UInt32
    /// Preferred Lifetime in seconds.
    public var preferredLifetime: UInt32
    /// The prefix.
    public var prefix: IPv6Address
}

/// One decoded ND option. Offsets are relative to the start of the ICMPv6 message.
public enum NDOption: Sendable, Equatable {
    /// Source Link-Layer Address: the sender's MAC (the first 6 bytes of the address field).
    case sourceLinkLayerAddress(MACAddress)
    /// Target Link-Layer Address.
    case targetLinkLayerAddress(MACAddress)
    /// Prefix Information (only a well-formed, length-4 option decodes as this).
    case prefixInformation(PrefixInformation)
    /// Redirected Header: the bytes of the original packet at `offset`, `length` long.
    case redirectedHeader(offset: Int, length: Int)
    /// MTU.
    case mtu(UInt32)
    /// Nonce: the nonce bytes at `offset`, `length` long.
    case nonce(offset: Int, length: Int)
    /// Any other option, skipped by its length (RFC 4861 §4.6: "MUST silently ignore").
    case other(type: UInt8, offset: Int, length: Int)
}

/// Why an option list is malformed (RFC 4861 §7.1.1: "All included options have a length that
/// is greater than zero", and every option lies inside the message).
public enum NDOptionError: Error, Equatable, Sendable {
    /// An option whose Length field is 0: a receiver that trusted it would loop forever.
    case zeroLength(offset: Int)
    /// An option that runs past the end of the message.
    case overrun(offset: Int, needed: Int, have: Int)
}

/// Walks the options of an ND message, one at a time, without copying.
///
/// ```
/// |     Type      |    Length     |              ...              |
/// ```
/// Length is in units of 8 octets, including the type and length fields.
public struct NDOptionIterator: Sendable {
    private var cursor: Int
    private let end: Int

    /// Options lie at `start..<end` of the message.
    public init(start: Int, end: Int) {
        self.cursor = start
        self.end = end
    }

    /// The next option's type, offset and length (in bytes, header included), nil after the
    /// last; throws on a malformed option. The cheap walk for callers that want one or two types.
    @inline(__always)
    public mutating func nextHeader(in message: Span<UInt8>) throws(NDOptionError) -> (
        type: UInt8, offset: Int, length: Int
    )? {
        guard cursor < end else { return nil }
        let offset = cursor
        guard end - offset >= 2 else { throw .overrun(offset: offset, needed: 2, have: end - offset) }
        let header = message.extracting(offset..<(offset + 2))
        let length = Int(header[1]) &* 8
        guard length > 0 else { throw .zeroLength(offset: offset) }
        guard end - offset >= length else { throw .overrun(offset: offset, needed: length, have: end - offset) }
        cursor = offset + length
        return (header[0], offset, length)
    }

    /// The next option in `message`, decoded; nil after the last; throws on a malformed option.
    public mutating func next(in message: Span<UInt8>) throws(NDOptionError) -> NDOption? {
        guard let (type, offset, length) = try nextHeader(in: message) else { return nil }
        switch type {
        case NDOptionType.sourceLinkLayerAddress:
            return .sourceLinkLayerAddress(message.macAddress(at: offset + 2))
        case NDOptionType.targetLinkLayerAddress:
            return .targetLinkLayerAddress(message.macAddress(at: offset + 2))
        case NDOptionType.prefixInformation where length == 32:
            let flags = message[offset + 3]
            return .prefixInformation(
                PrefixInformation(
                    prefixLength: message[offset + 2],
                    onLink: flags & 0x80 != 0,
                    autonomousAddressConfiguration: flags & 0x40 != 0,
                    validLifetime: message.uint32(at: offset + 4),
                    preferredLifetime: message.uint32(at: offset + 8),
                    prefix: message.ipv6Address(at: offset + 16)))
        case NDOptionType.redirectedHeader:
            return .redirectedHeader(offset: offset + 8, length: length - 8)
        case NDOptionType.mtu where length == 8:
            return .mtu(message.uint32(at: offset + 4))
        case NDOptionType.nonce:
            return .nonce(offset: offset + 2, length: length - 2)
        default:
            return .other(type: type, offset: offset, length: length)
        }
    }
}
