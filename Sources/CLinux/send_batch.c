#define _GNU_SOURCE
#include "send_batch.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

/// Messages per sendmmsg call: the headers live on the stack.
enum { SEND_BATCH_MESSAGES = 64 };

unsigned ndpd_send_frames(int fd, const unsigned char *frames, unsigned stride,
                          const unsigned short *lengths, unsigned count, int *last_error) {
    struct mmsghdr messages[SEND_BATCH_MESSAGES];
    struct iovec vectors[SEND_BATCH_MESSAGES];
    unsigned refused = 0, next = 0;
    while (next < count) {
        unsigned n = count - next < SEND_BATCH_MESSAGES ? count - next : SEND_BATCH_MESSAGES;
        memset(messages, 0, n * sizeof messages[0]);
        for (unsigned i = 0; i < n; i++) {
            vectors[i].iov_base = (void *)(frames + (size_t)(next + i) * stride);
            vectors[i].iov_len = lengths[next + i];
            messages[i].msg_hdr.msg_iov = &vectors[i];
            messages[i].msg_hdr.msg_iovlen = 1;
        }
        int sent = sendmmsg(fd, messages, n, 0);
        if (sent > 0) {
            next += (unsigned)sent;
        } else if (sent < 0 && errno == EINTR) {
            continue;
        } else {
            // The first frame of this call was refused (sendmmsg reports an error only for
            // the first message it tried): count it, and go on with the next.
            refused++;
            *last_error = sent < 0 ? errno : EAGAIN;
            next++;
        }
    }
    return refused;
}
