#define _GNU_SOURCE
#include "pipe.h"

#include <fcntl.h>
#include <unistd.h>

int ndpd_pipe_nonblocking(int ends[2]) { return pipe2(ends, O_NONBLOCK | O_CLOEXEC); }
