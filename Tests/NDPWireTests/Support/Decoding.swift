// Thin wrappers that run the code under test over `[UInt8]` and turn its typed errors into
// values, so tests can compare whole outcomes with `#expect(a == b)`.

import NDPWire

/// What NS validation made of a frame.
enum NSOutcome: Equatable, CustomStringConvertible {
    /// Passed RFC 4861 §7.1.1.
    case accepted(NeighborSolicitation)
    /// `NDFrame` refused the headers.
    case wireError(WireError)
    /// Decoded to an ICMPv6 message that is not an NS.
    case notSolicitation(icmpType: UInt8)
    /// An NS that failed validation.
    case invalid(InvalidSolicitation)

    var isAccepted: Bool { if case .accepted = self { true } else { false } }

    var rejection: NDRejection? { if case .invalid(let i) = self { i.rejection } else { nil } }

    /// The refusal, as a comparable value (`InvalidSolicitation` has no public initializer).
    var refusal: Refusal? {
        if case .invalid(let i) = self { Refusal(i.rejection, source: i.source, target: i.targetAddress) } else { nil }
    }

    var description: String {
        switch self {
        case .accepted(let ns): return "accepted(target \(ns.targetAddress))"
        case .wireError(let e): return "wireError(\(e))"
        case .notSolicitation(let t): return "notSolicitation(\(t))"
        case .invalid(let i):
            return "invalid(\(i.rejection), target \(i.targetAddress.map(String.init(describing:)) ?? "nil"))"
        }
    }
}

/// The content of an `InvalidSolicitation`.
struct Refusal: Equatable, CustomStringConvertible {
    var rejection: NDRejection
    var source: IPv6Address
    var targetAddress: IPv6Address?
    init(_ rejection: NDRejection, source: IPv6Address, target: IPv6Address?) {
        self.rejection = rejection
        self.source = source
        self.targetAddress = target
    }
    var description: String { "\(rejection) from \(source) target \(targetAddress.map { "\($0)" } ?? "nil")" }
}

/// Decodes `frame` and validates it as an NS.
func validateSolicitation(_ frame: [UInt8], linkType: LinkType) -> NSOutcome {
    let span = frame.span
    let parsed: NDFrame
    do throws(WireError) {
        parsed = try NDFrame(parsing: span, linkType: linkType)
    } catch {
        return .wireError(error)
    }
    guard parsed.icmpType == NDMessageType.neighborSolicitation.rawValue else {
        return .notSolicitation(icmpType: parsed.icmpType)
    }
    do throws(InvalidSolicitation) {
        return .accepted(try NeighborSolicitation(validating: parsed, in: span))
    } catch {
        return .invalid(error)
    }
}

/// Decodes `frame` to `NDFrame`, as a Result.
func decodeFrame(_ frame: [UInt8], linkType: LinkType) -> Result<NDFrame, WireError> {
    do throws(WireError) {
        return .success(try NDFrame(parsing: frame.span, linkType: linkType))
    } catch {
        return .failure(error)
    }
}

/// The ICMPv6 message bytes of a decoded frame (as far as the capture holds them).
func messageBytes(_ frame: [UInt8], _ parsed: NDFrame) -> [UInt8] {
    let start = parsed.messageOffset
    let end = min(frame.count, start + parsed.messageLength)
    return start < end ? Array(frame[start..<end]) : []
}

/// An ND message decoded by `NDMessage(parsing:)` with its option list walked.
struct DecodedND {
    var message: NDMessage?
    /// Set when `NDMessage(parsing:)` threw.
    var messageError: NDRejection?
    var options: [NDOption] = []
    /// Set when `NDOptionIterator` threw.
    var optionError: NDOptionError?
}

/// Runs `NDMessage(parsing:)` and `NDOptionIterator` over an ICMPv6 message.
func decodeND(_ message: [UInt8]) -> DecodedND {
    let span = message.span
    var result = DecodedND()
    do throws(NDRejection) {
        result.message = try NDMessage(parsing: span)
    } catch {
        result.messageError = error
        return result
    }
    guard let parsed = result.message else { return result }
    var iterator = parsed.options()
    do throws(NDOptionError) {
        while let option = try iterator.next(in: span) {
            result.options.append(option)
            if result.options.count > 1000 { break }  // a walk that never ends is a failure, not a hang
        }
    } catch {
        result.optionError = error
    }
    return result
}

extension NDOption {
    /// The option's Type field.
    var typeNumber: UInt8 {
        switch self {
        case .sourceLinkLayerAddress: return 1
        case .targetLinkLayerAddress: return 2
        case .prefixInformation: return 3
        case .redirectedHeader: return 4
        case .mtu: return 5
        case .nonce: return 14
        case .other(let type, _, _): return type
        }
    }

    /// The address of an SLLA/TLLA option.
    var linkLayerAddress: MACAddress? {
        switch self {
        case .sourceLinkLayerAddress(let mac), .targetLinkLayerAddress(let mac): return mac
        default: return nil
        }
    }
}

/// Writes `advertisement` into a buffer of `capacity` bytes pre-filled with `fill`.
func writeAdvertisement(
    _ advertisement: NeighborAdvertisement, capacity: Int = 256,
    fill: UInt8 = 0xAA
) throws(BufferTooSmall) -> (length: Int, buffer: [UInt8]) {
    var buffer = [UInt8](repeating: fill, count: capacity)
    var span = buffer.mutableSpan
    let length = try advertisement.write(into: &span)
    return (length, buffer)
}

/// Writes `advertisement` and returns exactly the frame.
func advertisementFrame(_ advertisement: NeighborAdvertisement) throws(BufferTooSmall) -> [UInt8] {
    let (length, buffer) = try writeAdvertisement(advertisement)
    return Array(buffer[0..<length])
}

/// A readable list of the offsets where two byte arrays differ (for failure messages).
func byteDifferences(_ actual: [UInt8], _ expected: [UInt8], names: (Int) -> String = { _ in "" }) -> String {
    var lines: [String] = []
    if actual.count != expected.count { lines.append("length \(actual.count) != expected \(expected.count)") }
    for i in 0..<min(actual.count, expected.count) where actual[i] != expected[i] {
        lines.append(
            "offset \(i) \(names(i)): 0x\(String(actual[i], radix: 16)) != expected 0x\(String(expected[i], radix: 16))"
        )
    }
    return lines.isEmpty ? "identical" : lines.joined(separator: "; ")
}

/// `ICMPv6Checksum.isValid` over an array (a Span cannot be built inside `#expect`).
func checksumIsValid(_ message: [UInt8], source: IPv6Address, destination: IPv6Address) -> Bool {
    ICMPv6Checksum.isValid(message.span, source: source, destination: destination)
}

/// `ICMPv6Checksum.compute` over an array.
func computedChecksum(_ message: [UInt8], source: IPv6Address, destination: IPv6Address) -> UInt16 {
    ICMPv6Checksum.compute(message.span, source: source, destination: destination)
}
