// swift-tools-version: 6.2
import PackageDescription

/// ndpd: a user-space Neighbor Discovery proxy (README.md; the map of the code is ARCHITECTURE.md).
///
/// Module layering, bottom to top: NDPWire (pure parse/build) -> NDPPolicy (pure decisions)
/// -> CPcap/CLinux/NDPIO (the only system calls) -> NDPDaemon (the engine) -> ndpd (the CLI).
/// CacheHints (over CPrefetch) gives the engine its one machine-level hint without I/O.
///
/// Linux only: NDPIO uses AF_PACKET sockets, rtnetlink, epoll, Linux capabilities and Glibc, so
/// no Apple platform is declared.

// The dependencies' products the targets use, each named once.
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let prometheus = Target.Dependency.product(name: "Prometheus", package: "swift-prometheus")

let package = Package(
    name: "ndpd",
    products: [
        .executable(name: "ndpd", targets: ["ndpd"]),
        .library(name: "NDPWire", targets: ["NDPWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "NDPWire"),
        // The version and commit, generated before every build (VERSION is the one source).
        .plugin(name: "VersionStamp", capability: .buildTool()),
        .target(name: "NDPVersion", plugins: ["VersionStamp"]),
        // Reads the peers' configurations (ndppd, npd6, ip neigh, systemd-networkd) into ndpd.toml.
        .target(name: "NDPImport", dependencies: ["NDPWire", "NDPPolicy"]),
        .target(
            name: "NDPPolicy",
            dependencies: ["NDPWire", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // libpcap: live captures and the capture files ndpd does not read itself.
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        // The Linux calls Swift cannot make as they are (packet sockets, netlink, epoll, ioctl,
        // capabilities, the signal handler, Unix socket credentials); used by NDPIO only.
        .target(name: "CLinux"),
        // The CPU's prefetch hint, and its one Swift wrapper: what the engine needs of the machine.
        .target(name: "CPrefetch"),
        .target(name: "CacheHints", dependencies: ["CPrefetch"]),
        // The control socket's requests and replies: pure, so the fuzzer builds it alone.
        .target(name: "NDPControl"),
        .target(name: "NDPIO", dependencies: ["NDPWire", "CPcap", "CLinux", "NDPControl"]),
        .target(
            name: "NDPDaemon",
            dependencies: [
                "NDPWire", "NDPPolicy", "NDPIO", "NDPControl", "NDPVersion", "CacheHints", logging, prometheus,
            ]
        ),
        .executableTarget(
            name: "ndpd",
            dependencies: [
                "NDPDaemon", "NDPPolicy", "NDPIO", "NDPWire", "NDPVersion", "NDPImport", argumentParser, logging,
            ]
        ),
        .executableTarget(
            name: "ndpd-bench",
            dependencies: ["NDPWire", "NDPPolicy", "NDPIO"],
            path: "Benchmarks/Swift"
        ),
        .executableTarget(
            name: "ndpd-policy-bench",
            dependencies: ["NDPWire", "NDPPolicy", "NDPIO", "NDPDaemon", "CacheHints", "TestSupport"],
            path: "Benchmarks/Policy"
        ),
        // Where the tests run (folders, corpus, CI), a scratch directory, a seeded generator and
        // frames built by hand, for every test target and the benchmarks.
        .target(name: "TestSupport", dependencies: ["NDPWire"], path: "Tests/TestSupport"),
        .testTarget(name: "NDPWireTests", dependencies: ["NDPWire", "NDPIO", "TestSupport"]),
        .testTarget(name: "NDPPolicyTests", dependencies: ["NDPPolicy", "NDPWire", "TestSupport"]),
        .testTarget(
            name: "NDPImportTests", dependencies: ["NDPImport", "NDPPolicy", "NDPWire", "TestSupport"],
            exclude: ["Fixtures"]),
        // CPcap too: libpcap is the reference the own pcap reader and writer are compared with.
        .testTarget(name: "NDPIOTests", dependencies: ["NDPIO", "NDPWire", "CPcap", "TestSupport"]),
        .testTarget(name: "ReplayTests", dependencies: ["NDPDaemon", "NDPPolicy", "NDPIO", "NDPWire", "TestSupport"]),
        // Depends on the executable so that `swift test` builds the real ndpd binary it runs.
        .testTarget(name: "EndToEndTests", dependencies: ["ndpd", "NDPPolicy", "TestSupport"]),
        .testTarget(
            name: "NDPDaemonTests",
            dependencies: ["NDPDaemon", "NDPPolicy", "NDPIO", "NDPWire", "NDPControl", "TestSupport", logging]
        ),
    ]
)
