/* A stand-in for libnvidia-ml.so.1 exporting the NVML symbols coco4j's NvmlDevice binds (same names, same
 * signatures and struct layouts as NVIDIA's nvml.h), for FFM tests without a GPU. Tests set the report and
 * certificate chain to return, the CC state and error modes, and read back the nonce the caller passed. */
#include <stdint.h>
#include <string.h>

#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3

typedef struct {
    unsigned int certChainSize;
    unsigned int attestationCertChainSize;
    unsigned char certChain[0x1000];
    unsigned char attestationCertChain[0x1400];
} nvmlConfComputeGpuCertificate_t;

typedef struct {
    unsigned int isCecAttestationReportPresent;
    unsigned int attestationReportSize;
    unsigned int cecAttestationReportSize;
    unsigned char nonce[32];
    unsigned char attestationReport[0x2000];
    unsigned char cecAttestationReport[0x1000];
} nvmlConfComputeGpuAttestationReport_t;

typedef struct {
    unsigned int environment;
    unsigned int ccFeature;
    unsigned int devToolsMode;
} nvmlConfComputeSystemState_t;

static int initialized;
static int inits, shutdowns;
static unsigned int cc_feature = 1, devtools;
#define MAX_DEVICES 8
#define HANDLE_BASE 0x1234
#define HANDLE_STEP 0x100
static unsigned int device_count = 1;
static unsigned char reports[MAX_DEVICES][0x2000];
static unsigned int report_lens[MAX_DEVICES];
static unsigned int report_len_override;
static unsigned char chains[MAX_DEVICES][0x1400];
static unsigned int chain_lens[MAX_DEVICES];
static unsigned char nonces[MAX_DEVICES][32];
static unsigned char last_nonce[32];
static int fail_report;

/* test controls */
void fake_nvml_set_device(unsigned int i, const unsigned char *r, unsigned int rlen, const unsigned char *c,
                          unsigned int clen) {
    if (i >= MAX_DEVICES) return;
    if (rlen > sizeof(reports[i])) rlen = sizeof(reports[i]);
    if (clen > sizeof(chains[i])) clen = sizeof(chains[i]);
    memcpy(reports[i], r, rlen);
    report_lens[i] = rlen;
    memcpy(chains[i], c, clen);
    chain_lens[i] = clen;
}
void fake_nvml_set(const unsigned char *r, unsigned int rlen, const unsigned char *c, unsigned int clen) {
    fake_nvml_set_device(0, r, rlen, c, clen);
}
/* how many GPUs nvmlDeviceGetCount_v2 reports (0..MAX_DEVICES) */
void fake_nvml_devices(unsigned int n) { device_count = n > MAX_DEVICES ? MAX_DEVICES : n; }
void fake_nvml_nonce_of(unsigned int i, unsigned char *out) { if (i < MAX_DEVICES) memcpy(out, nonces[i], 32); }

static int device_index(void *dev) {
    unsigned long h = (unsigned long) dev;
    if (h < HANDLE_BASE || (h - HANDLE_BASE) % HANDLE_STEP != 0) return -1;
    unsigned long i = (h - HANDLE_BASE) / HANDLE_STEP;
    return i < device_count ? (int) i : -1;
}
void fake_nvml_mode(unsigned int cc, unsigned int dev_tools, int report_error, unsigned int bad_len) {
    cc_feature = cc;
    devtools = dev_tools;
    fail_report = report_error;
    report_len_override = bad_len;
}
void fake_nvml_last_nonce(unsigned char *out) { memcpy(out, last_nonce, 32); }
int fake_nvml_stat(int which) { return which == 0 ? inits : which == 1 ? shutdowns : initialized; }

/* NVML */
int nvmlInit_v2(void) { initialized = 1; inits++; return NVML_SUCCESS; }
int nvmlShutdown(void) { initialized = 0; shutdowns++; return NVML_SUCCESS; }
const char *nvmlErrorString(int r) { return r == 0 ? "Success" : r == NVML_ERROR_NOT_SUPPORTED ? "Not Supported" : "Error"; }
int nvmlSystemGetDriverVersion(char *buf, unsigned int len) {
    if (!initialized) return NVML_ERROR_UNINITIALIZED;
    strncpy(buf, "999.01.01", len);
    return NVML_SUCCESS;
}
int nvmlSystemGetConfComputeState(nvmlConfComputeSystemState_t *s) {
    if (!initialized) return NVML_ERROR_UNINITIALIZED;
    s->environment = 2; s->ccFeature = cc_feature; s->devToolsMode = devtools;
    return NVML_SUCCESS;
}
int nvmlDeviceGetCount_v2(unsigned int *n) {
    if (!initialized) return NVML_ERROR_UNINITIALIZED;
    *n = device_count;
    return NVML_SUCCESS;
}
int nvmlDeviceGetHandleByIndex_v2(unsigned int i, void **dev) {
    if (!initialized) return NVML_ERROR_UNINITIALIZED;
    if (i >= device_count) return NVML_ERROR_INVALID_ARGUMENT;
    *dev = (void *) (unsigned long) (HANDLE_BASE + i * HANDLE_STEP);
    return NVML_SUCCESS;
}
int nvmlDeviceGetArchitecture(void *dev, unsigned int *arch) { (void) dev; *arch = 9; return NVML_SUCCESS; }
int nvmlDeviceGetConfComputeGpuCertificate(void *dev, nvmlConfComputeGpuCertificate_t *c) {
    int i = device_index(dev);
    if (i < 0) return NVML_ERROR_INVALID_ARGUMENT;
    c->certChainSize = 0;
    c->attestationCertChainSize = chain_lens[i];
    memcpy(c->attestationCertChain, chains[i], chain_lens[i]);
    return NVML_SUCCESS;
}
int nvmlDeviceGetConfComputeGpuAttestationReport(void *dev, nvmlConfComputeGpuAttestationReport_t *r) {
    int i = device_index(dev);
    if (i < 0) return NVML_ERROR_INVALID_ARGUMENT;
    memcpy(last_nonce, r->nonce, 32);
    memcpy(nonces[i], r->nonce, 32);
    if (fail_report) return NVML_ERROR_NOT_SUPPORTED;
    r->isCecAttestationReportPresent = 0;
    r->attestationReportSize = report_len_override ? report_len_override : report_lens[i];
    memcpy(r->attestationReport, reports[i], report_lens[i]);
    return NVML_SUCCESS;
}
