/// The configurations `ndpd import` reads.
public enum ImportFormat: String, CaseIterable, Sendable {
    /// ndppd's `ndppd.conf`, 0.2.x or master syntax.
    case ndppd
    /// npd6's `npd6.conf`.
    case npd6
    /// The output of `ip -6 neigh show proxy`.
    case ipNeigh = "ip-neigh"
    /// A systemd-networkd `.network` file.
    case networkd

    /// The format of `text`, read from a file named `name`: by the name where it says (`.network`,
    /// `npd6`, `ndppd`), else by the content. Nil if nothing fits.
    public static func detect(name: String, text: String) -> ImportFormat? {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        if base.hasSuffix(".network") { return .networkd }
        if base.contains("npd6") { return .npd6 }
        if base.contains("ndppd") { return .ndppd }
        let lines = text.split(separator: "\n").map { $0.trimmingBlanks() }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix("//") }
        if lines.contains(where: { $0.hasPrefix("[Match]") || $0.hasPrefix("[Network]") }) { return .networkd }
        if lines.contains(where: { $0.hasPrefix("proxy ") && $0.contains("{") }) || lines.first == "proxy" {
            return .ndppd
        }
        let npd6Keys = ["prefix", "interface", "listtype", "addrlist", "linkOption", "ignoreLocal", "routerNA"]
        if lines.contains(where: { line in npd6Keys.contains { line.hasPrefix($0) && line.contains("=") } }) {
            return .npd6
        }
        if !lines.isEmpty && lines.allSatisfy({ $0.contains(" dev ") }) { return .ipNeigh }
        return nil
    }

    /// Reads `text` (named `file` in messages) as this format into `result`.
    public func read(_ text: String, file: String, into result: inout ImportedConfiguration) {
        switch self {
        case .ndppd: NdppdConfiguration.read(text, file: file, into: &result)
        case .npd6: Npd6Configuration.read(text, file: file, into: &result)
        case .ipNeigh: ProxyNeighbours.read(text, file: file, into: &result)
        case .networkd: NetworkdFile.read(text, file: file, into: &result)
        }
    }
}
