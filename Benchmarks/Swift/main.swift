// ndpd-bench: ndpd's Swift benchmarks. Only the call to the driver lives here: timed loops are
// `nonisolated` functions in other files (ARCHITECTURE.md, "Invariants": top-level code in main.swift gets executor
// checks inserted by Swift 6).

#if canImport(Glibc)
    import Glibc
#endif

exit(benchmarkMain(CommandLine.arguments))
