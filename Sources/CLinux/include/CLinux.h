// The Linux interfaces NDPIO calls that Swift cannot call as they are: structures with unions
// or flexible arrays, variadic calls (ioctl, prctl), system calls without a glibc
// wrapper (capget, capset), headers Glibc's Swift module does not import (epoll, netlink,
// packet sockets, sendmmsg, accept4, Unix socket credentials, timerfd), and the signal handler, which must be C to be async-signal-safe.
// Each header holds one concern; this one gathers them for the module.
#ifndef NDPD_CLINUX_H
#define NDPD_CLINUX_H

#include "packet_socket.h"
#include "interfaces.h"
#include "netlink.h"
#include "event_poll.h"
#include "signal_pipe.h"
#include "capabilities.h"
#include "pipe.h"
#include "send_batch.h"
#include "unix_socket.h"
#include "timer.h"

#endif
