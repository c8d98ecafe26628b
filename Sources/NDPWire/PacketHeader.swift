/// The per-record facts a packet source hands over with the bytes.
public struct PacketHeader: Sendable {
    /// 1-based index of the record in the file (or of the packet since capture start).
    public var index: Int
    /// Capture time: seconds since the epoch.
    public var seconds: Int
    /// Capture time: the sub-second part in microseconds.
    public var microseconds: Int
    /// Bytes captured.
    public var capturedLength: Int
    /// Bytes on the wire.
    public var originalLength: Int

    /// Creates a header.
    public init(index: Int, seconds: Int, microseconds: Int, capturedLength: Int, originalLength: Int) {
        self.index = index
        self.seconds = seconds
        self.microseconds = microseconds
        self.capturedLength = capturedLength
        self.originalLength = originalLength
    }
}
