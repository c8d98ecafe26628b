// NDPWire's own builders, for tests that need a well-formed frame and are not testing the
// builder itself (those lay frames out by hand: TestFrames.swift).

import NDPWire

extension NeighborAdvertisement {
    /// The frame `write(into:)` lays out.
    public var frameBytes: [UInt8] {
        written { (span: inout MutableSpan<UInt8>) throws(BufferTooSmall) in try write(into: &span) }
    }
}

extension SolicitationProbe {
    /// The frame `write(into:)` lays out.
    public var frameBytes: [UInt8] {
        written { (span: inout MutableSpan<UInt8>) throws(BufferTooSmall) in try write(into: &span) }
    }
}

/// The bytes `write` puts into a 128-byte buffer (none when they do not fit).
private func written(_ write: (inout MutableSpan<UInt8>) throws(BufferTooSmall) -> Int) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 128)
    var span = buffer.mutableSpan
    let length = (try? write(&span)) ?? 0
    return Array(buffer[0..<length])
}
