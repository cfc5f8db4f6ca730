/*
 * A stand-in for the Linux sev-guest driver, for coco4j's SevGuestDevice tests. It is never shipped.
 *
 * It exports fake_open, fake_ioctl and fake_close with the C signatures of libc's open(2), ioctl(2) and close(2);
 * the Java test hands SevGuestDevice a SymbolLookup that maps "open" -> fake_open, "ioctl" -> fake_ioctl and
 * "close" -> fake_close, so the Java binding is exercised exactly as it calls libc, but no real device is touched.
 *
 * The test configures it through fake_sev_configure (a canned 1184-byte report, the certificate table to hand out
 * and an error mode) and reads what it saw through fake_sev_stat. The fake answers like the kernel:
 *   - SNP_GET_REPORT / SNP_GET_EXT_REPORT fill MSG_REPORT_RSP {u32 status; u32 report_size; 24 reserved; report};
 *     the report is the canned one with REPORT_DATA (0x50) replaced by user_data and VMPL (0x30) by vmpl;
 *   - SNP_GET_EXT_REPORT with certs_len below the table size (rounded up to 4 KiB pages) fails with -1/EIO,
 *     exitinfo2 = vmm_error INVALID_LEN (1) << 32, and writes the needed size into certs_len;
 *   - otherwise the table is copied into the certs buffer, the rest of the buffer zeroed.
 *
 * Build: gcc -shared -fPIC -O2 -Wall -Wextra -Werror -o libfake_sev_guest.so fake_sev_guest.c
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SNP_GET_REPORT 0xC0205300UL
#define SNP_GET_EXT_REPORT 0xC0205302UL
#define REPORT_SIZE 1184
#define RESP_SIZE 4000
#define PAGE 4096u
#define FAKE_FD 73

struct snp_guest_request_ioctl {
    uint8_t msg_version;
    uint64_t req_data;
    uint64_t resp_data;
    uint64_t exitinfo2;
};

struct snp_report_req {
    uint8_t user_data[64];
    uint32_t vmpl;
    uint8_t rsvd[28];
};

struct snp_ext_report_req {
    struct snp_report_req data;
    uint64_t certs_address;
    uint32_t certs_len;
};

_Static_assert(sizeof(struct snp_guest_request_ioctl) == 32, "snp_guest_request_ioctl is 32 bytes");
_Static_assert(sizeof(struct snp_report_req) == 96, "snp_report_req is 96 bytes");
_Static_assert(offsetof(struct snp_ext_report_req, certs_len) == 104, "certs_len at 104");

/* Error modes, chosen by the test. */
enum {
    MODE_OK = 0,
    MODE_STATUS_ERROR = 1,     /* MSG_REPORT_RSP.status = 0x16 (invalid parameters) */
    MODE_IOCTL_EIO = 2,        /* ioctl fails with EIO, fw_error = 0x27 */
    MODE_OPEN_ENOENT = 3,      /* open fails with ENOENT */
    MODE_OPEN_EACCES = 4,      /* open fails with EACCES */
    MODE_BAD_REPORT_SIZE = 5,  /* report_size = 1000 */
    MODE_BUSY = 6,             /* ioctl fails with EIO, vmm_error = BUSY (2) */
    MODE_ALWAYS_INVALID_LEN = 7 /* every ext request asks for one more page */
};

/* Keys for fake_sev_stat. */
enum {
    STAT_OPENS = 0,
    STAT_CLOSES = 1,
    STAT_IOCTLS = 2,
    STAT_INVALID_LEN = 3,
    STAT_LAST_VMPL = 4,
    STAT_LAST_MSG_VERSION = 5,
    STAT_OPEN_FDS = 6,
    STAT_LAST_CERTS_LEN = 7,
    STAT_LAST_OPEN_FLAGS = 8
};

static uint8_t canned[REPORT_SIZE];
static uint8_t *cert_table;
static uint32_t cert_table_len;
static int mode;
static long stats[9];

int fake_sev_configure(const uint8_t *report, size_t report_len, const uint8_t *certs, size_t certs_len, int m) {
    if (report_len != REPORT_SIZE) {
        return -1;
    }
    memcpy(canned, report, REPORT_SIZE);
    free(cert_table);
    cert_table = NULL;
    cert_table_len = 0;
    if (certs_len > 0) {
        cert_table = malloc(certs_len);
        if (cert_table == NULL) {
            return -1;
        }
        memcpy(cert_table, certs, certs_len);
        cert_table_len = (uint32_t)certs_len;
    }
    mode = m;
    memset(stats, 0, sizeof stats);
    return 0;
}

long fake_sev_stat(int key) {
    return key >= 0 && key < (int)(sizeof stats / sizeof stats[0]) ? stats[key] : -1;
}

int fake_open(const char *path, int flags, ...) {
    (void)path;
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

static void fill_response(const struct snp_report_req *req, uint8_t *resp) {
    memset(resp, 0, RESP_SIZE);
    uint32_t status = mode == MODE_STATUS_ERROR ? 0x16 : 0;
    uint32_t size = mode == MODE_STATUS_ERROR ? 0 : mode == MODE_BAD_REPORT_SIZE ? 1000 : REPORT_SIZE;
    memcpy(resp, &status, 4);
    memcpy(resp + 4, &size, 4);
    if (status == 0) {
        uint8_t *report = resp + 0x20;
        memcpy(report, canned, REPORT_SIZE);
        memcpy(report + 0x50, req->user_data, 64);
        memcpy(report + 0x30, &req->vmpl, 4);
    }
    stats[STAT_LAST_VMPL] = req->vmpl;
}

int fake_ioctl(int fd, unsigned long request, ...) {
    va_list ap;
    va_start(ap, request);
    struct snp_guest_request_ioctl *arg = va_arg(ap, struct snp_guest_request_ioctl *);
    va_end(ap);

    stats[STAT_IOCTLS]++;
    if (fd != FAKE_FD) {
        errno = EBADF;
        return -1;
    }
    if (request != SNP_GET_REPORT && request != SNP_GET_EXT_REPORT) {
        errno = ENOTTY;
        return -1;
    }
    stats[STAT_LAST_MSG_VERSION] = arg->msg_version;
    if (arg->msg_version == 0 || arg->req_data == 0 || arg->resp_data == 0) {
        errno = EINVAL;
        return -1;
    }
    arg->exitinfo2 = 0;
    if (mode == MODE_IOCTL_EIO) {
        arg->exitinfo2 = 0x27;
        errno = EIO;
        return -1;
    }
    if (mode == MODE_BUSY) {
        arg->exitinfo2 = (uint64_t)2 << 32;
        errno = EIO;
        return -1;
    }
    uint8_t *resp = (uint8_t *)(uintptr_t)arg->resp_data;
    if (request == SNP_GET_REPORT) {
        fill_response((const struct snp_report_req *)(uintptr_t)arg->req_data, resp);
        return 0;
    }

    struct snp_ext_report_req *ext = (struct snp_ext_report_req *)(uintptr_t)arg->req_data;
    stats[STAT_LAST_CERTS_LEN] = ext->certs_len;
    if (ext->certs_len % PAGE != 0 || (ext->certs_len != 0 && ext->certs_address == 0)) {
        errno = EINVAL;
        return -1;
    }
    uint32_t needed = (cert_table_len + PAGE - 1) / PAGE * PAGE;
    if (mode == MODE_ALWAYS_INVALID_LEN) {
        needed = ext->certs_len + PAGE;
    }
    if (ext->certs_len < needed) {
        ext->certs_len = needed;
        arg->exitinfo2 = (uint64_t)1 << 32;
        stats[STAT_INVALID_LEN]++;
        errno = EIO;
        return -1;
    }
    if (ext->certs_len > 0) {
        uint8_t *certs = (uint8_t *)(uintptr_t)ext->certs_address;
        memset(certs, 0, ext->certs_len);
        if (cert_table_len > 0) {
            memcpy(certs, cert_table, cert_table_len);
        }
    }
    fill_response(&ext->data, resp);
    return 0;
}
