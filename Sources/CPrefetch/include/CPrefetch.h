// The CPU's prefetch hint, which Swift has no spelling for.
#ifndef NDPD_CPREFETCH_H
#define NDPD_CPREFETCH_H

/// Asks the CPU to bring the cache line holding `address` into every cache level: a hint with no
/// effect on results. Unlike a load, it never waits and never faults, so many can be in flight
/// while the CPU keeps working.
static inline void ndpd_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
