import CLinux
import NDPWire

#if canImport(Glibc)
    import Glibc
#endif

/// What the system says about one interface right now.
public struct LinkState: Sendable, Equatable {
    /// The interface index (`if_nametoindex`): changes when the interface is deleted and
    /// created again, which is how a recreated bridge is told from the old one.
    public var index: Int32
    /// The hardware address (SIOCGIFHWADDR); nil when it is not a 6-byte Ethernet address.
    public var mac: MACAddress?
    /// IFF_UP and IFF_RUNNING: administratively up with its carrier.
    public var isUp: Bool
    /// Every IPv6 address on it (getifaddrs), link-local included, in the kernel's order.
    public var addresses: [IPv6Address]
    /// The MTU (SIOCGIFMTU): bounds the size of any solicitation it can carry.
    public var mtu: Int

    /// Creates a state.
    public init(index: Int32, mac: MACAddress?, isUp: Bool, addresses: [IPv6Address], mtu: Int = 1500) {
        self.index = index
        self.mac = mac
        self.isUp = isUp
        self.addresses = addresses
        self.mtu = mtu
    }
}

/// Reads interface facts from the kernel. Unprivileged: no capability is needed.
public enum SystemInterfaces {
    /// The index of `name`, or nil if no such interface exists.
    public static func index(of name: String) -> Int32? {
        let index = if_nametoindex(name)
        return index == 0 ? nil : Int32(bitPattern: index)
    }

    /// The name of the interface with index `index`, or nil if there is none.
    public static func name(of index: Int32) -> String? {
        var name = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
        guard if_indextoname(UInt32(bitPattern: index), &name) != nil else { return nil }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The state of `name`, or nil if no such interface exists (it was deleted, or not yet
    /// created). Throws when the kernel cannot be asked at all.
    public static func state(of name: String) throws(IOError) -> LinkState? {
        guard let index = index(of: name) else { return nil }
        // Interface ioctls are answered by any socket; a datagram AF_UNIX one needs no
        // privilege and is allowed by the service's RestrictAddressFamilies.
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket(AF_UNIX, SOCK_DGRAM)") }
        defer { close(fd) }
        var facts = ndpd_link_facts()
        var failed: UnsafePointer<CChar>?
        if ndpd_get_link_facts(fd, name, &facts, &failed) != 0 {
            if errno == ENODEV { return nil }
            throw .system("ioctl(\(failed.map { String(cString: $0) } ?? "?"), \(name))")
        }
        let hardware = facts.hardware_address
        let mac: MACAddress? =
            facts.hardware_type == Int32(ARPHRD_ETHER)
            ? MACAddress(hardware.0, hardware.1, hardware.2, hardware.3, hardware.4, hardware.5) : nil
        let flags = facts.flags
        let up = flags & Int32(IFF_UP) != 0 && flags & Int32(IFF_RUNNING) != 0
        return LinkState(index: index, mac: mac, isUp: up, addresses: try ipv6Addresses(of: name), mtu: Int(facts.mtu))
    }

    /// The IPv6 addresses of `name` (getifaddrs), link-local ones included.
    public static func ipv6Addresses(of name: String) throws(IOError) -> [IPv6Address] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { throw .system("getifaddrs") }
        defer { freeifaddrs(list) }
        var addresses: [IPv6Address] = []
        var entry = list
        while let current = entry {
            defer { entry = current.pointee.ifa_next }
            guard let bytes = ndpd_sockaddr_in6_bytes(current.pointee.ifa_addr),
                let entryName = current.pointee.ifa_name, String(cString: entryName) == name
            else { continue }
            var high: UInt64 = 0
            var low: UInt64 = 0
            for i in 0..<8 { high = high << 8 | UInt64(bytes[i]) }
            for i in 8..<16 { low = low << 8 | UInt64(bytes[i]) }
            let address = IPv6Address(high: high, low: low)
            if !addresses.contains(address) { addresses.append(address) }
        }
        return addresses
    }
}
