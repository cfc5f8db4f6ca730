/*
 * A stand-in for the Linux tdx_guest driver, for coco4j's TdxGuestDevice tests. It is never shipped.
 *
 * It exports fake_open, fake_ioctl and fake_close with the C signatures of libc's open(2), ioctl(2) and close(2);
 * the Java test hands TdxGuestDevice a SymbolLookup mapping "open" -> fake_open and so on, so the Java binding is
 * exercised exactly as it calls libc, but no real device is touched.
 *
 * The test sets a canned 1024-byte TDREPORT and an error mode with fake_tdx_configure and reads counters with
 * fake_tdx_stat. Like the kernel, TDX_CMD_GET_REPORT0 (_IOWR('T', 1, struct tdx_report_req) = 0xC4405401) fills
 * tdreport with the canned report whose REPORTDATA (offset 128) is the request's reportdata.
 *
 * Build: gcc -shared -fPIC -O2 -Wall -Wextra -Werror -o libfake_tdx_guest.so fake_tdx_guest.c
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TDX_CMD_GET_REPORT0 0xC4405401UL
#define TDREPORT_SIZE 1024
#define REPORTDATA_OFFSET 128
#define FAKE_FD 74

struct tdx_report_req {
    uint8_t reportdata[64];
    uint8_t tdreport[TDREPORT_SIZE];
};

_Static_assert(sizeof(struct tdx_report_req) == 1088, "tdx_report_req is 1088 bytes");
_Static_assert(((sizeof(struct tdx_report_req) << 16) | ('T' << 8) | 1 | (3UL << 30)) == TDX_CMD_GET_REPORT0,
               "TDX_CMD_GET_REPORT0 is _IOWR('T', 1, struct tdx_report_req)");

enum {
    MODE_OK = 0,
    MODE_IOCTL_EIO = 1,        /* ioctl fails with EIO */
    MODE_OPEN_ENOENT = 2,      /* open fails with ENOENT */
    MODE_OPEN_EACCES = 3,      /* open fails with EACCES */
    MODE_IGNORE_REPORTDATA = 4,/* the report keeps the canned REPORTDATA */
    MODE_IOCTL_ENOTTY = 5      /* the driver does not know the request */
};

enum { STAT_OPENS = 0, STAT_CLOSES = 1, STAT_IOCTLS = 2, STAT_OPEN_FDS = 3, STAT_LAST_OPEN_FLAGS = 4,
       STAT_LAST_REQUEST_LOW32 = 5, STAT_COUNT = 6 };

static uint8_t canned[TDREPORT_SIZE];
static int mode;
static long stats[STAT_COUNT];

int fake_tdx_configure(const uint8_t *report, long length, int new_mode) {
    if (length != TDREPORT_SIZE || report == NULL) {
        return -1;
    }
    memcpy(canned, report, TDREPORT_SIZE);
    mode = new_mode;
    memset(stats, 0, sizeof stats);
    return 0;
}

long fake_tdx_stat(int which) {
    return which >= 0 && which < STAT_COUNT ? stats[which] : -1;
}

int fake_open(const char *path, int flags, ...) {
    (void) path;
    stats[STAT_LAST_OPEN_FLAGS] = flags;
    if (mode == MODE_OPEN_ENOENT) {
        errno = ENOENT;
        return -1;
    }
    if (mode == MODE_OPEN_EACCES) {
        errno = EACCES;
        return -1;
    }
    stats[STAT_OPENS]++;
    stats[STAT_OPEN_FDS]++;
    return FAKE_FD;
}

int fake_close(int fd) {
    if (fd != FAKE_FD) {
        errno = EBADF;
        return -1;
    }
    stats[STAT_CLOSES]++;
    stats[STAT_OPEN_FDS]--;
    return 0;
}

int fake_ioctl(int fd, unsigned long request, ...) {
    va_list ap;
    va_start(ap, request);
    struct tdx_report_req *req = va_arg(ap, struct tdx_report_req *);
    va_end(ap);
    stats[STAT_IOCTLS]++;
    stats[STAT_LAST_REQUEST_LOW32] = (long) (request & 0xffffffffUL);
    if (fd != FAKE_FD) {
        errno = EBADF;
        return -1;
    }
    if (request != TDX_CMD_GET_REPORT0 || mode == MODE_IOCTL_ENOTTY) {
        errno = ENOTTY;
        return -1;
    }
    if (mode == MODE_IOCTL_EIO) {
        errno = EIO;
        return -1;
    }
    memcpy(req->tdreport, canned, TDREPORT_SIZE);
    if (mode != MODE_IGNORE_REPORTDATA) {
        memcpy(req->tdreport + REPORTDATA_OFFSET, req->reportdata, 64);
    }
    return 0;
}
