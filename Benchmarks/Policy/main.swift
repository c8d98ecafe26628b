// ndpd-policy-bench: target-table lookup flatness and targets-file load time.
// The timed loops live in Lookup.swift and ReplayPath.swift as nonisolated functions
// (DESIGN.md, "Conventions").
PolicyBenchmark.main(Array(CommandLine.arguments.dropFirst()))
