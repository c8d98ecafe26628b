#include "signal_pipe.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/// The pipe's write end; -1 until ndpd_signal_pipe_install. Only the handler below reads it.
static volatile int signal_pipe_write_fd = -1;

static void signal_pipe_handler(int signal_number) {
    int saved = errno;
    unsigned char byte = (unsigned char)signal_number;
    if (signal_pipe_write_fd >= 0) (void)write(signal_pipe_write_fd, &byte, 1);
    errno = saved;
}

static int set_action(int signal_number, void (*handler)(int), int flags) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = flags;
    return sigaction(signal_number, &action, NULL);
}

int ndpd_signal_pipe_install(int write_fd, int signal_number) {
    signal_pipe_write_fd = write_fd;
    return set_action(signal_number, signal_pipe_handler, SA_RESTART);
}

int ndpd_signal_default(int signal_number) { return set_action(signal_number, SIG_DFL, 0); }

int ndpd_signal_ignore(int signal_number) { return set_action(signal_number, SIG_IGN, 0); }
