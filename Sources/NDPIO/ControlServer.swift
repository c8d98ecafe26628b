import CLinux
import Foundation
import NDPControl

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon's control socket (README, "Control socket"): a Unix stream socket that answers
/// `status` and `reload` requests on a thread of its own, so that no client, however slow,
/// malformed or numerous, ever holds the poll loop that answers solicitations.
///
/// Every client is bounded: `ControlRequest.maximumLength` bytes and `requestTimeout` to send
/// its request, `replyTimeout` to take the reply, at most `maximumClients` at once (the next
/// ones are told "busy" and closed). Only root and the daemon's own user may connect: the
/// socket file is mode 0600, and each peer's user id is checked again (SO_PEERCRED).
public final class ControlServer: @unchecked Sendable {
    /// The socket's path.
    public let path: String
    /// Clients served at once; more are refused.
    public static let maximumClients = 32
    /// Time a client has to send its whole request.
    public static let requestTimeout: Duration = .seconds(1)
    /// Time a client has to read the whole reply.
    public static let replyTimeout: Duration = .seconds(2)

    private let listener: Int32
    private let stopPipe: NonBlockingPipe
    private let thread: Thread
    private let finished = DispatchSemaphore(value: 0)

    /// Binds `path` and starts answering with `handler`, which runs on the server's thread and
    /// may block (it waits for the daemon's loop). A stale socket file at `path` (no daemon
    /// behind it) is replaced; a live one, or a file that is no socket, is an error.
    public init(path: String, handler: @escaping @Sendable (ControlRequest) -> ControlReply) throws(IOError) {
        self.path = path
        var address = sockaddr_un()
        let length = ndpd_sockaddr_un(path, &address)
        guard length > 0 else { throw .message("control socket", "\(path): path too long for a Unix socket") }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && access(directory, F_OK) != 0 && mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw .system("mkdir \(directory)")
        }
        var status = stat()
        if lstat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFSOCK else {
                throw .message("control socket", "\(path) exists and is not a socket: not replacing it")
            }
            if let probe = try? ControlClient.connect(path: path, timeout: .milliseconds(200)) {
                Glibc.close(probe)
                throw .message("control socket", "\(path) is in use: is another ndpd running?")
            }
            unlink(path)
        }
        let fd = socket(
            AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .system("socket(AF_UNIX)") }
        // Whatever the umask, nobody but the owner (and root) may connect, from the moment it exists:
        // Linux creates the socket's file with the mode of the socket's own inode (less the umask),
        // so the mode is set on the socket before bind. Not with umask(2): it is the whole
        // process's, and a thread creating a file meanwhile would get this one.
        guard fchmod(fd, 0o600) == 0 else {
            let error = IOError.system("fchmod(socket, 0600)")
            Glibc.close(fd)
            throw error
        }
        try callWithAddress(Glibc.bind, fd, &address, socklen_t(length), "bind \(path)")
        guard listen(fd, 128) == 0 else {
            let error = IOError.system("listen \(path)")
            Glibc.close(fd)
            unlink(path)
            throw error
        }
        listener = fd
        do {
            stopPipe = try NonBlockingPipe()
        } catch {
            Glibc.close(fd)
            unlink(path)
            throw error
        }
        let loop = ServerLoop(listener: fd, stop: stopPipe.readEnd.rawValue, handler: handler)
        let finished = self.finished
        thread = Thread {
            loop.run()
            finished.signal()
        }
        thread.name = "ndpd-control"
        thread.start()
    }

    /// Stops the thread, closes every connection and removes the socket file.
    public func stop() {
        var byte: UInt8 = 1
        let stopEnd = stopPipe.writeEnd.rawValue
        _ = retryingOnInterrupt { Glibc.write(stopEnd, &byte, 1) }
        finished.wait()
        Glibc.close(listener)
        // The stop pipe closes with this server.
        unlink(path)
    }
}

/// The server thread's state: the clients and their deadlines. Handed to the thread at start
/// and touched by no other.
private final class ServerLoop: @unchecked Sendable {
    struct Client {
        var fd: Int32
        var received: [UInt8] = []
        var reply: [UInt8]?
        var written = 0
        var deadline: ContinuousClock.Instant
    }

    let listener: Int32
    let stop: Int32
    let handler: @Sendable (ControlRequest) -> ControlReply
    var clients: [Client] = []
    let owner = geteuid()

    init(listener: Int32, stop: Int32, handler: @escaping @Sendable (ControlRequest) -> ControlReply) {
        self.listener = listener
        self.stop = stop
        self.handler = handler
    }

    func run() {
        while true {
            var descriptors = [
                pollfd(fd: stop, events: Int16(POLLIN), revents: 0),
                pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
            ]
            for client in clients {
                descriptors.append(
                    pollfd(fd: client.fd, events: Int16(client.reply == nil ? POLLIN : POLLOUT), revents: 0))
            }
            let now = ContinuousClock.now
            // No client, no deadline: the thread sleeps until a connection or the stop pipe,
            // instead of waking the process once a second for nothing.
            var timeout: Int32 = -1
            if let next = clients.map(\.deadline).min().map({ max(.zero, $0 - now) }) {
                let (seconds, attoseconds) = min(next, .seconds(1)).components
                timeout = Int32(seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
            }
            let ready = retryingOnInterrupt { poll(&descriptors, nfds_t(descriptors.count), timeout) }
            if ready < 0 { break }
            if descriptors[0].revents != 0 { break }
            // Clients first (their indices match the poll set), then new connections.
            var index = 0
            for slot in descriptors.indices.dropFirst(2) {
                let events = descriptors[slot].revents
                if events != 0 { index = service(index, events: events) } else { index += 1 }
            }
            expire(now: .now)
            if descriptors[1].revents & Int16(POLLIN) != 0 { acceptNew() }
        }
        for client in clients { Glibc.close(client.fd) }
        clients.removeAll()
    }

    /// Accepts what is waiting, a bounded number per round; refuses strangers and the excess.
    func acceptNew() {
        for _ in 0..<64 {
            let fd = retryingOnInterrupt { ndpd_accept_nonblocking(listener) }
            guard fd >= 0 else { return }
            var uid: UInt32 = 0
            guard ndpd_peer_uid(fd, &uid) == 0, uid == 0 || uid == owner else {
                refuse(fd, "not allowed: only root and the daemon's user may use the control socket\n")
                continue
            }
            guard clients.count < ControlServer.maximumClients else {
                refuse(fd, "busy: \(ControlServer.maximumClients) clients already connected; try again\n")
                continue
            }
            clients.append(Client(fd: fd, deadline: .now + ControlServer.requestTimeout))
        }
    }

    /// Writes a short error reply if the socket takes it at once, and closes.
    func refuse(_ fd: Int32, _ message: String) {
        let bytes = ControlReply(ok: false, body: message).bytes
        _ = bytes.withUnsafeBytes {
            Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
        }
        Glibc.close(fd)
    }

    /// Reads or writes for the client at `index`; returns the index of the next client (the
    /// same index if this one was closed and removed).
    func service(_ index: Int, events: Int16) -> Int {
        var client = clients[index]
        if client.reply == nil {
            var buffer = [UInt8](repeating: 0, count: ControlRequest.maximumLength)
            let room = ControlRequest.maximumLength - client.received.count
            let fd = client.fd
            let count = buffer.withUnsafeMutableBytes { bytes in
                retryingOnInterrupt { Glibc.read(fd, bytes.baseAddress, room) }
            }
            if count <= 0 {
                if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return index + 1 }
                return close(index)
            }
            client.received += buffer[..<count]
            switch ControlRequest.parse(client.received) {
            case .failure(.incomplete) where client.received.count < ControlRequest.maximumLength:
                clients[index] = client
                return index + 1
            case .failure(.incomplete):
                client.reply = ControlReply(ok: false, body: ControlRequest.ParseError.tooLong.description + "\n").bytes
            case .failure(let error):
                client.reply = ControlReply(ok: false, body: error.description + "\n").bytes
            case .success(let request):
                client.reply = handler(request).bytes
            }
            client.deadline = .now + ControlServer.replyTimeout
        }
        guard let reply = client.reply else { return index + 1 }
        let sent = reply.withUnsafeBytes { bytes in
            retryingOnInterrupt {
                Glibc.send(
                    client.fd, bytes.baseAddress! + client.written, bytes.count - client.written,
                    Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
        }
        if sent < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK {
                clients[index] = client
                return index + 1
            }
            return close(index)
        }
        client.written += sent
        if client.written == reply.count { return close(index) }
        clients[index] = client
        return index + 1
    }

    /// Closes the clients whose time is up.
    func expire(now: ContinuousClock.Instant) {
        var index = 0
        while index < clients.count {
            if clients[index].deadline <= now {
                if clients[index].reply == nil {
                    refuse(clients[index].fd, "timeout: no whole request within 1 s\n")
                } else {
                    Glibc.close(clients[index].fd)
                }
                clients.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    func close(_ index: Int) -> Int {
        Glibc.close(clients[index].fd)
        clients.remove(at: index)
        return index
    }
}

/// `ndpd status` and `ndpd reload`: one request, one reply.
public enum ControlClient {
    /// Connects to the daemon's socket at `path`, with `timeout` for each send and receive.
    public static func connect(path: String, timeout: Duration) throws(IOError) -> Int32 {
        var address = sockaddr_un()
        let length = ndpd_sockaddr_un(path, &address)
        guard length > 0 else { throw .message("connect", "\(path): path too long for a Unix socket") }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket(AF_UNIX)") }
        let (seconds, attoseconds) = timeout.components
        var limit = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        try callWithAddress(Glibc.connect, fd, &address, socklen_t(length), "connect \(path)")
        return fd
    }

    /// Sends `request` to the daemon at `path` and returns its reply.
    public static func send(_ request: ControlRequest, path: String, timeout: Duration) throws(IOError) -> ControlReply
    {
        let fd = try connect(path: path, timeout: timeout)
        defer { Glibc.close(fd) }
        // send(MSG_NOSIGNAL): a daemon that closes early must not kill the client with SIGPIPE.
        let line = Array(request.line.utf8)
        let sent = line.withUnsafeBytes { bytes in
            retryingOnInterrupt { Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
        }
        if sent != line.count { throw .system("send \(path)") }
        shutdown(fd, Int32(SHUT_WR))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while received.count < ControlReply.maximumLength {
            let count = buffer.withUnsafeMutableBytes { bytes in
                retryingOnInterrupt { Glibc.read(fd, bytes.baseAddress, bytes.count) }
            }
            if count < 0 { throw .system("read \(path)") }
            if count == 0 { break }
            received += buffer[..<count]
        }
        guard let reply = ControlReply(bytes: received) else {
            throw .message(
                "read \(path)", received.isEmpty ? "the daemon closed the connection without a reply" : "not a reply")
        }
        return reply
    }
}

/// `bind` or `connect` of `fd` to the Unix socket `address`; when it fails, `fd` is closed and the
/// error (errno read first) is thrown as `what`'s.
private func callWithAddress(
    _ function: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32, _ fd: Int32, _ address: inout sockaddr_un,
    _ length: socklen_t, _ what: String
) throws(IOError) {
    let result = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { function(fd, $0, length) }
    }
    guard result == 0 else {
        let error = IOError.system(what)
        Glibc.close(fd)
        throw error
    }
}
