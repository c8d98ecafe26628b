/// ICMPv6 message types of Neighbor Discovery (RFC 4861 §4).
public enum NDMessageType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Router Solicitation (§4.1).
    case routerSolicitation = 133
    /// Router Advertisement (§4.2).
    case routerAdvertisement = 134
    /// Neighbor Solicitation (§4.3).
    case neighborSolicitation = 135
    /// Neighbor Advertisement (§4.4).
    case neighborAdvertisement = 136
    /// Redirect (§4.5).
    case redirect = 137

    /// The fixed part of the message: options start here (RFC 4861 §4.1-4.5).
    public var fixedLength: Int {
        switch self {
        case .routerSolicitation: return 8
        case .routerAdvertisement: return 16
        case .neighborSolicitation, .neighborAdvertisement: return 24
        case .redirect: return 40
        }
    }

    public var description: String {
        switch self {
        case .routerSolicitation: return "RS"
        case .routerAdvertisement: return "RA"
        case .neighborSolicitation: return "NS"
        case .neighborAdvertisement: return "NA"
        case .redirect: return "Redirect"
        }
    }
}

/// The ICMPv6 header common to every message (RFC 4443 §2.1).
public enum ICMPv6Field {
    /// Type.
    public static let type = 0
    /// Code.
    public static let code = 1
    /// Checksum.
    public static let checksum = 2
    /// The first byte of the message body.
    public static let body = 4
}

/// The Neighbor Solicitation and Advertisement layout (RFC 4861 §4.3, §4.4):
///
/// ```
/// |     Type      |     Code      |          Checksum             |
/// |R|S|O|                     Reserved                            |   (NS: all Reserved)
/// |                       Target Address (16)                     |
/// |   Options ...
/// ```
public enum NeighborMessageField {
    /// NA flags R, S, O in the top three bits, then 29 reserved bits.
    public static let flags = 4
    /// Target Address.
    public static let targetAddress = 8
    /// The first option.
    public static let options = 24
}

/// The R, S and O flags of a Neighbor Advertisement (RFC 4861 §4.4), in wire position.
public struct NeighborAdvertisementFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    // Computed and inlinable rather than stored: other modules then fold them to constants
    // instead of calling a global accessor on every advertisement.
    /// R: the sender is a router.
    @inlinable public static var router: NeighborAdvertisementFlags {
        NeighborAdvertisementFlags(rawValue: 0x8000_0000)
    }
    /// S: sent in response to a Neighbor Solicitation from the destination.
    @inlinable public static var solicited: NeighborAdvertisementFlags {
        NeighborAdvertisementFlags(rawValue: 0x4000_0000)
    }
    /// O: the advertisement should override a cached link-layer address.
    @inlinable public static var override: NeighborAdvertisementFlags {
        NeighborAdvertisementFlags(rawValue: 0x2000_0000)
    }

    public var description: String {
        (contains(.router) ? "R" : "") + (contains(.solicited) ? "S" : "") + (contains(.override) ? "O" : "")
    }
}

/// The fixed fields of a Router Advertisement (RFC 4861 §4.2).
public struct RouterAdvertisementFields: Sendable, Equatable {
    /// Cur Hop Limit.
    public var currentHopLimit: UInt8
    /// M: managed address configuration.
    public var managedAddressConfiguration: Bool
    /// O: other configuration.
    public var otherConfiguration: Bool
    /// Router Lifetime in seconds.
    public var routerLifetime: UInt16
    /// Reachable Time in milliseconds.
    public var reachableTime: UInt32
    /// Retrans Timer in milliseconds.
    public var retransTimer: UInt32
}

/// Any ND message, decoded from its ICMPv6 bytes: the fixed fields of its type plus where its
/// options lie. Options are walked lazily with `options()`.
public struct NDMessage: Sendable {
    /// The message type.
    public var type: NDMessageType
    /// The ICMPv6 Code (0 for every valid ND message).
    public var code: UInt8
    /// The Checksum field as received.
    public var checksum: UInt16
    /// NS, NA and Redirect: the Target Address.
    public var targetAddress: IPv6Address?
    /// Redirect: the Destination Address.
    public var destinationAddress: IPv6Address?
    /// NA: the R, S and O flags.
    public var advertisementFlags: NeighborAdvertisementFlags?
    /// NA: the 29 reserved bits after the flags (must be zero on send, ignored on receipt).
    public var reservedBits: UInt32
    /// RA: its fixed fields.
    public var routerAdvertisement: RouterAdvertisementFields?
    /// The message length in bytes.
    public var length: Int

    /// Decodes `message` (the ICMPv6 header onwards). Returns nil if the type is not ND.
    /// Throws if the message is shorter than its type's fixed part.
    public init?(parsing message: Span<UInt8>) throws(NDRejection) {
        guard message.count >= 4 else { throw .tooShort(length: message.count) }
        guard let type = NDMessageType(rawValue: message[ICMPv6Field.type]) else { return nil }
        guard message.count >= type.fixedLength else { throw .tooShort(length: message.count) }
        self.type = type
        code = message[ICMPv6Field.code]
        checksum = message.uint16(at: ICMPv6Field.checksum)
        length = message.count
        reservedBits = 0
        switch type {
        case .routerSolicitation:
            break
        case .routerAdvertisement:
            let flags = message[5]
            routerAdvertisement = RouterAdvertisementFields(
                currentHopLimit: message[4],
                managedAddressConfiguration: flags & 0x80 != 0,
                otherConfiguration: flags & 0x40 != 0,
                routerLifetime: message.uint16(at: 6),
                reachableTime: message.uint32(at: 8),
                retransTimer: message.uint32(at: 12))
        case .neighborSolicitation:
            targetAddress = message.ipv6Address(at: NeighborMessageField.targetAddress)
        case .neighborAdvertisement:
            let word = message.uint32(at: NeighborMessageField.flags)
            advertisementFlags = NeighborAdvertisementFlags(rawValue: word & 0xE000_0000)
            reservedBits = word & 0x1FFF_FFFF
            targetAddress = message.ipv6Address(at: NeighborMessageField.targetAddress)
        case .redirect:
            targetAddress = message.ipv6Address(at: 8)
            destinationAddress = message.ipv6Address(at: 24)
        }
    }

    /// An iterator over this message's options.
    public func options() -> NDOptionIterator {
        NDOptionIterator(start: type.fixedLength, end: length)
    }
}
