// Linux capabilities (capabilities(7)): capget/capset have no glibc wrapper, and prctl is
// variadic.
#ifndef NDPD_CLINUX_CAPABILITIES_H
#define NDPD_CLINUX_CAPABILITIES_H

#include <sys/prctl.h>
#include <linux/capability.h>

/// Reads the effective, permitted and inheritable sets (64-bit masks, version 3 of the ABI).
int ndpd_capget(unsigned long long *effective, unsigned long long *permitted,
                unsigned long long *inheritable);

/// Sets the effective, permitted and inheritable sets (64-bit masks) of this thread.
int ndpd_capset(unsigned long long effective, unsigned long long permitted,
                unsigned long long inheritable);

/// prctl with integer arguments.
int ndpd_prctl(int option, unsigned long a2, unsigned long a3);

/// CAP_NET_RAW's number.
static inline int ndpd_cap_net_raw(void) { return CAP_NET_RAW; }
/// CAP_SETPCAP's number.
static inline int ndpd_cap_setpcap(void) { return CAP_SETPCAP; }

#endif
