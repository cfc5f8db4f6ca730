package dev.coco4j.sev.guest;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;

/**
 * The uapi structures of {@code linux/sev-guest.h} as FFM layouts (x86-64, natural alignment, little-endian):
 *
 * <pre>
 * struct snp_guest_request_ioctl {   // 32 bytes, the argument of every ioctl
 *     __u8  msg_version;             // 0   (1 for report requests)
 *     // 7 bytes padding
 *     __u64 req_data;                // 8   user pointer to the request
 *     __u64 resp_data;               // 16  user pointer to the response
 *     __u64 exitinfo2;               // 24  out: fw_error (low 32 bits) | vmm_error (high 32 bits)
 * };
 * struct snp_report_req {            // 96 bytes
 *     __u8  user_data[64];           // 0   becomes REPORT_DATA
 *     __u32 vmpl;                    // 64
 *     __u8  rsvd[28];                // 68
 * };
 * struct snp_ext_report_req {        // 112 bytes
 *     struct snp_report_req data;    // 0
 *     __u64 certs_address;           // 96  user pointer to a page-multiple buffer
 *     __u32 certs_len;               // 104 in: buffer size; out on INVALID_LEN: size needed
 * };
 * struct snp_report_resp { __u8 data[4000]; };   // MSG_REPORT_RSP: u32 status; u32 report_size; 24 reserved;
 *                                                // report at 0x20
 * </pre>
 */
final class SevGuestAbi {
    private SevGuestAbi() {
    }

    /** {@code _IOWR('S', 0x0, struct snp_guest_request_ioctl)}. */
    static final long SNP_GET_REPORT = 0xC0205300L;
    /** {@code _IOWR('S', 0x2, struct snp_guest_request_ioctl)}. */
    static final long SNP_GET_EXT_REPORT = 0xC0205302L;
    /** The message version report requests use. */
    static final byte MSG_VERSION = 1;
    /** vmm_error: the certificate buffer is too small; certs_len holds the size needed. */
    static final int VMM_ERR_INVALID_LEN = 1;
    /** vmm_error: the host is throttling guest requests. */
    static final int VMM_ERR_BUSY = 2;

    static final StructLayout GUEST_REQUEST = MemoryLayout.structLayout(
            JAVA_BYTE.withName("msg_version"),
            MemoryLayout.paddingLayout(7),
            JAVA_LONG.withName("req_data"),
            JAVA_LONG.withName("resp_data"),
            JAVA_LONG.withName("exitinfo2")).withName("snp_guest_request_ioctl");

    static final StructLayout REPORT_REQ = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(64, JAVA_BYTE).withName("user_data"),
            JAVA_INT.withName("vmpl"),
            MemoryLayout.sequenceLayout(28, JAVA_BYTE).withName("rsvd")).withName("snp_report_req");

    static final StructLayout EXT_REPORT_REQ = MemoryLayout.structLayout(
            REPORT_REQ.withName("data"),
            JAVA_LONG.withName("certs_address"),
            JAVA_INT.withName("certs_len"),
            MemoryLayout.paddingLayout(4)).withName("snp_ext_report_req");

    /** Size of {@code struct snp_report_resp}. */
    static final int REPORT_RESP_SIZE = 4000;
    /** Offset of the report inside MSG_REPORT_RSP. */
    static final int RESP_REPORT_OFFSET = 0x20;

    static final long OFF_MSG_VERSION = offset(GUEST_REQUEST, "msg_version");
    static final long OFF_REQ_DATA = offset(GUEST_REQUEST, "req_data");
    static final long OFF_RESP_DATA = offset(GUEST_REQUEST, "resp_data");
    static final long OFF_EXITINFO2 = offset(GUEST_REQUEST, "exitinfo2");
    static final long OFF_USER_DATA = offset(REPORT_REQ, "user_data");
    static final long OFF_VMPL = offset(REPORT_REQ, "vmpl");
    static final long OFF_CERTS_ADDRESS = offset(EXT_REPORT_REQ, "certs_address");
    static final long OFF_CERTS_LEN = offset(EXT_REPORT_REQ, "certs_len");

    private static long offset(StructLayout layout, String name) {
        return layout.byteOffset(PathElement.groupElement(name));
    }
}
