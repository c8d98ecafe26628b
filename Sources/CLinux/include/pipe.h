// pipe2(2), which glibc declares only under _GNU_SOURCE.
#ifndef NDPD_CLINUX_PIPE_H
#define NDPD_CLINUX_PIPE_H

/// A pipe whose ends are both non-blocking and close-on-exec from the start: `ends[0]` reads,
/// `ends[1]` writes. Returns pipe2's result (errno set on failure).
int ndpd_pipe_nonblocking(int ends[2]);

#endif
