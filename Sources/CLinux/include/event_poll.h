// epoll(7), which Glibc's Swift module does not import.
#ifndef NDPD_CLINUX_EVENT_POLL_H
#define NDPD_CLINUX_EVENT_POLL_H

#include <sys/epoll.h>

#endif
