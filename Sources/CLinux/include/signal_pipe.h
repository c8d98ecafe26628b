// Signals through the self-pipe: the handler only writes the signal number to a non-blocking
// pipe (write(2) is async-signal-safe); every piece of work happens in the event loop that
// reads it. The handler is C: a Swift function is not guaranteed async-signal-safe.
#ifndef NDPD_CLINUX_SIGNAL_PIPE_H
#define NDPD_CLINUX_SIGNAL_PIPE_H

#include <signal.h>

/// Routes `signal_number` to the pipe whose write end is `write_fd` (SA_RESTART, so only the
/// event wait sees EINTR). Returns sigaction's result.
int ndpd_signal_pipe_install(int write_fd, int signal_number);

/// Puts `signal_number` back to its default action.
int ndpd_signal_default(int signal_number);

/// Ignores `signal_number` (SIGPIPE: a failed write is an error return, not a death).
int ndpd_signal_ignore(int signal_number);

#endif
