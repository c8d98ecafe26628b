// Unix stream sockets (unix(7)) for the control socket: the address, the peer's credentials and
// accept4(2), which need structures or flags glibc declares only under _GNU_SOURCE.
#ifndef NDPD_CLINUX_UNIX_SOCKET_H
#define NDPD_CLINUX_UNIX_SOCKET_H

#include <sys/socket.h>
#include <sys/un.h>

/// A sockaddr_un for `path` in `*out`; its length, or -1 if the path does not fit sun_path.
int ndpd_sockaddr_un(const char *path, struct sockaddr_un *out);

/// The user id of the process at the other end of the Unix socket `fd` (SO_PEERCRED): 0 on
/// success, -1 with errno set.
int ndpd_peer_uid(int fd, unsigned int *uid);

/// accept4(2) on `listener`: the new connection non-blocking and close-on-exec from the start.
int ndpd_accept_nonblocking(int listener);

#endif
