// Reason words are payload-free `CaseIterable` enums whose raw values are the words: the
// declaration is the one list, and a case's position in it indexes its counter.

extension CaseIterable where Self: Equatable, AllCases == [Self] {
    /// The case's position in `allCases`: the index of its counter in an array of counters.
    /// Linear in the number of cases, and `allCases` builds its array at each call: a per-packet
    /// path looks it up once per change of reason (see the daemon's `ReasonCounters`).
    @inlinable public var position: Int {
        // Every case is in `allCases`, so the scan always ends in a match.
        var index = 0
        for candidate in Self.allCases {
            if candidate == self { return index }
            index &+= 1
        }
        preconditionFailure("\(self) is not in allCases")
    }
}
