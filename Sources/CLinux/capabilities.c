#include "capabilities.h"

#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int ndpd_capget(unsigned long long *effective, unsigned long long *permitted,
                unsigned long long *inheritable) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    int result = (int)syscall(SYS_capget, &header, data);
    if (result == 0) {
        *effective = (unsigned long long)data[0].effective | ((unsigned long long)data[1].effective << 32);
        *permitted = (unsigned long long)data[0].permitted | ((unsigned long long)data[1].permitted << 32);
        *inheritable = (unsigned long long)data[0].inheritable | ((unsigned long long)data[1].inheritable << 32);
    }
    return result;
}

int ndpd_capset(unsigned long long effective, unsigned long long permitted,
                unsigned long long inheritable) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    data[0].effective = (unsigned int)effective;
    data[1].effective = (unsigned int)(effective >> 32);
    data[0].permitted = (unsigned int)permitted;
    data[1].permitted = (unsigned int)(permitted >> 32);
    data[0].inheritable = (unsigned int)inheritable;
    data[1].inheritable = (unsigned int)(inheritable >> 32);
    return (int)syscall(SYS_capset, &header, data);
}

int ndpd_prctl(int option, unsigned long a2, unsigned long a3) {
    return prctl(option, a2, a3, 0UL, 0UL);
}
