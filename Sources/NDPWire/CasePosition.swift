// Reason words are payload-free `CaseIterable` enums whose raw values are the words: the
// declaration is the one list, and a case's position in it indexes its counter.

extension CaseIterable where Self: Equatable, AllCases == [Self] {
    /// The case's position in `allCases`: the index of its counter in an array of counters.
    @inlinable @inline(__always) public var position: Int {
        // A short scan of one-byte tags; every case is in `allCases`, so it always ends in a match.
        var index = 0
        for candidate in Self.allCases {
            if candidate == self { return index }
            index &+= 1
        }
        preconditionFailure("\(self) is not in allCases")
    }
}
