// timerfd(2), which Glibc's Swift module does not import: the loop's one timer, a descriptor
// in its epoll set, armed only when the earliest deadline moves.
#ifndef NDPD_CLINUX_TIMER_H
#define NDPD_CLINUX_TIMER_H

#include <sys/timerfd.h>
#include <time.h>

/// A non-blocking, close-on-exec timer on CLOCK_MONOTONIC.
static inline int ndpd_timer_create(void) { return timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC); }

/// Arms `fd` to fire once, `nanoseconds` from now (at least 1 ns: 0 would disarm it), or
/// disarms it when `nanoseconds` is negative.
static inline int ndpd_timer_set(int fd, long long nanoseconds) {
    struct itimerspec value = {0};
    if (nanoseconds >= 0) {
        if (nanoseconds == 0) nanoseconds = 1;
        value.it_value.tv_sec = nanoseconds / 1000000000LL;
        value.it_value.tv_nsec = nanoseconds % 1000000000LL;
    }
    return timerfd_settime(fd, 0, &value, NULL);
}

#endif
