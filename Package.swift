// swift-tools-version: 6.2
import PackageDescription

/// ndpd: a user-space Neighbor Discovery proxy (see ../shared/DESIGN.md for the design brief).
///
/// Module layering, bottom to top: NDPWire (pure parse/build) -> NDPPolicy (pure decisions)
/// -> CPcap/CLinux/NDPIO (the only system calls) -> NDPDaemon (the engine) -> ndpd (the CLI).
/// CacheHints (over CPrefetch) gives the engine its one machine-level hint without I/O.
let package = Package(
    name: "ndpd",
    platforms: [.macOS(.v26)],
    products: [
        .executable(name: "ndpd", targets: ["ndpd"]),
        .library(name: "NDPWire", targets: ["NDPWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .target(name: "NDPWire"),
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
        // capabilities, the signal handler); used by NDPIO only.
        .target(name: "CLinux"),
        // The CPU's prefetch hint, and its one Swift wrapper: what the engine needs of the machine.
        .target(name: "CPrefetch"),
        .target(name: "CacheHints", dependencies: ["CPrefetch"]),
        .target(name: "NDPIO", dependencies: ["NDPWire", "CPcap", "CLinux"]),
        .target(
            name: "NDPDaemon",
            dependencies: [
                "NDPWire", "NDPPolicy", "NDPIO", "CacheHints",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ndpd",
            dependencies: [
                "NDPDaemon", "NDPPolicy", "NDPIO", "NDPWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ndpd-bench",
            dependencies: ["NDPWire", "NDPPolicy", "NDPIO"],
            path: "Benchmarks/Swift"
        ),
        .executableTarget(
            name: "ndpd-policy-bench",
            dependencies: ["NDPWire", "NDPPolicy", "NDPIO", "NDPDaemon", "CacheHints"],
            path: "Benchmarks/Policy"
        ),
        // Where the tests run (folders, corpus, CI) and a scratch directory, for every test target.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "NDPWireTests", dependencies: ["NDPWire", "NDPIO", "TestSupport"]),
        .testTarget(name: "NDPPolicyTests", dependencies: ["NDPPolicy", "NDPWire"]),
        // CPcap too: libpcap is the reference the own pcap reader and writer are compared with.
        .testTarget(name: "NDPIOTests", dependencies: ["NDPIO", "NDPWire", "CPcap", "TestSupport"]),
        .testTarget(name: "ReplayTests", dependencies: ["NDPDaemon", "NDPPolicy", "NDPIO", "NDPWire", "TestSupport"]),
        // Depends on the executable so that `swift test` builds the real ndpd binary it runs.
        .testTarget(name: "EndToEndTests", dependencies: ["ndpd", "TestSupport"]),
        .testTarget(
            name: "NDPDaemonTests",
            dependencies: ["NDPDaemon", "NDPPolicy", "NDPIO", "NDPWire", .product(name: "Logging", package: "swift-log")]
        ),
    ]
)
