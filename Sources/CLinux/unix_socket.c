#define _GNU_SOURCE
#include "unix_socket.h"

#include <stddef.h>
#include <string.h>

int ndpd_sockaddr_un(const char *path, struct sockaddr_un *out) {
    size_t length = strlen(path);
    memset(out, 0, sizeof(*out));
    if (length == 0 || length >= sizeof(out->sun_path)) return -1;
    out->sun_family = AF_UNIX;
    memcpy(out->sun_path, path, length);
    return (int)(offsetof(struct sockaddr_un, sun_path) + length + 1);
}

int ndpd_peer_uid(int fd, unsigned int *uid) {
    struct ucred credentials;
    socklen_t length = sizeof(credentials);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) < 0) return -1;
    *uid = credentials.uid;
    return 0;
}

int ndpd_accept_nonblocking(int listener) {
    return accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}
