// sendmmsg(2), which glibc declares only under _GNU_SOURCE (with struct mmsghdr).
#ifndef NDPD_CLINUX_SEND_BATCH_H
#define NDPD_CLINUX_SEND_BATCH_H

/// Sends `count` frames on the socket `fd`, frame i at `frames + i * stride`, `lengths[i]` bytes
/// long, in as few sendmmsg(2) calls as the kernel takes them. A frame the kernel refuses is
/// counted and skipped, and the rest still go out, as if each had been sent alone. Returns how
/// many were refused; `*last_error` is then the errno of the last refusal.
unsigned ndpd_send_frames(int fd, const unsigned char *frames, unsigned stride,
                          const unsigned short *lengths, unsigned count, int *last_error);

#endif
