// ndpd-policy-bench: target-table lookup flatness and targets-file load time.
// The timed loops live in Lookup.swift and ReplayPath.swift as nonisolated functions
// (ARCHITECTURE.md, "Invariants").
PolicyBenchmark.main(Array(CommandLine.arguments.dropFirst()))
