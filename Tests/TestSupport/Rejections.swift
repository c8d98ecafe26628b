import NDPWire

extension NDRejection {
    /// One rejection of every kind, in the order of `allReasons` (the wire and the statistics
    /// tests check that order): a new kind is added here once.
    public static let oneOfEach: [NDRejection] = [
        .truncated, .discarded(.loopbackAddress), .discarded(.unspecifiedDestination), .discarded(.multicastScope),
        .discarded(.optionOverrun), .discarded(.padding), .discarded(.tooManyOptions),
        .discarded(.unknownOption), .discarded(.routerAlertLength), .discarded(.jumboPayload), .discarded(.calipso),
        .discarded(.ioamAlignment),
        .discarded(.multicastRouted), .discarded(.routingHeader), .fragmented, .hopLimit(1), .multicastSource,
        .checksum, .code(1), .tooShort(length: 8),
        .multicastTarget, .zeroLengthOption, .optionOverrun,
        .dadWithSourceLinkLayerAddress, .dadNotToSolicitedNode,
    ]
}
