package dev.coco4j.azure.tpm;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A small TPM 2.0 command encoder: exactly the commands vTPM evidence collection (and provisioning a test TPM) needs,
 * marshalled per TPM 2.0 Library Part 3, with empty-password authorization sessions ({@code TPM_RS_PW}). Responses
 * are checked for their response code and parsed bounds-checked; a non-zero code raises an
 * {@link AttestationException} with {@link Reason#SERVICE_UNAVAILABLE} naming the command and the {@code TPM_RC}.
 * Not thread-safe.
 */
public final class Tpm2 implements AutoCloseable {
    /** TPM_RH_OWNER. */
    public static final int RH_OWNER = 0x40000001;
    /** TPM_RH_ENDORSEMENT. */
    public static final int RH_ENDORSEMENT = 0x4000000B;
    /** TPM_RS_PW. */
    public static final int RS_PW = 0x40000009;
    /** TPMA_NV_OWNERWRITE | AUTHWRITE | OWNERREAD | AUTHREAD | NO_DA. */
    public static final int NV_OWNER_AUTH_RW = (1 << 1) | (1 << 2) | (1 << 17) | (1 << 18) | (1 << 25);
    /** TPMA_OBJECT for a restricted signing key: fixedTPM, fixedParent, sensitiveDataOrigin, userWithAuth,
     *  restricted, sign. */
    public static final int AK_ATTRIBUTES = (1 << 1) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 16) | (1 << 18);

    private static final int ST_NO_SESSIONS = 0x8001;
    private static final int ST_SESSIONS = 0x8002;
    private static final int CC_NV_UNDEFINE_SPACE = 0x122;
    private static final int CC_EVICT_CONTROL = 0x120;
    private static final int CC_NV_DEFINE_SPACE = 0x12A;
    private static final int CC_CREATE_PRIMARY = 0x131;
    private static final int CC_NV_WRITE = 0x137;
    private static final int CC_STARTUP = 0x144;
    private static final int CC_NV_READ = 0x14E;
    private static final int CC_QUOTE = 0x158;
    private static final int CC_NV_READ_PUBLIC = 0x169;
    private static final int CC_FLUSH_CONTEXT = 0x165;
    private static final int CC_READ_PUBLIC = 0x173;
    private static final int CC_PCR_READ = 0x17E;
    private static final int CC_PCR_EXTEND = 0x182;
    /** Bytes per NV read/write command (below every TPM's MAX_NV_BUFFER_SIZE). */
    static final int NV_CHUNK = 512;
    private static final int RETRIES = 20;

    private final TpmTransport transport;

    /**
     * Uses (and on {@link #close()} closes) the given transport.
     *
     * @param transport the connection to the TPM, not {@code null}; kept (not copied) and owned by this object from
     *                  now on
     */
    public Tpm2(TpmTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * A quote: the {@code TPMS_ATTEST} bytes and the {@code TPMT_SIGNATURE}.
     *
     * @param attest    the signed {@code TPMS_ATTEST} message as the TPM returned it (at most 1024 bytes); copied
     * @param signature the parsed signature over {@code attest}
     */
    public record Quote(byte[] attest, TpmSignature signature) {
        /** Copies the message. */
        public Quote {
            attest = attest.clone();
        }

        /**
         * Returns the signed message.
         *
         * @return a copy of the {@code attest} bytes (the record keeps its own)
         */
        @Override
        public byte[] attest() {
            return attest.clone();
        }
    }

    /**
     * TPM2_Startup(TPM_SU_CLEAR); an already started TPM ({@code TPM_RC_INITIALIZE}) is fine.
     *
     * @throws AttestationException {@link Reason#SERVICE_UNAVAILABLE} if the TPM answers with another error code or
     *                              the transport fails; {@link Reason#MALFORMED_EVIDENCE} for a malformed response
     */
    public void startup() {
        Response r = tryCall(ST_NO_SESSIONS, CC_STARTUP, new int[0], false, new TpmWriter().u16(0).toByteArray());
        if (r.rc != 0 && r.rc != 0x100) {
            throw failed(CC_STARTUP, r.rc);
        }
    }

    /**
     * The template of a restricted RSA-2048 signing key (RSASSA, SHA-256), e.g. an attestation key.
     *
     * @return a fresh marshalled {@code TPMT_PUBLIC} template (no size prefix) for {@link #createPrimary}
     */
    public static byte[] rsaAkTemplate() {
        return new TpmWriter().u16(TpmAlg.RSA).u16(TpmAlg.SHA256).u32(AK_ATTRIBUTES).tpm2b(new byte[0])
                .u16(TpmAlg.NULL).u16(TpmAlg.RSASSA).u16(TpmAlg.SHA256).u16(2048).u32(0).tpm2b(new byte[0])
                .toByteArray();
    }

    /**
     * The template of a restricted ECC P-256 signing key (ECDSA, SHA-256).
     *
     * @return a fresh marshalled {@code TPMT_PUBLIC} template (no size prefix) for {@link #createPrimary}
     */
    public static byte[] eccAkTemplate() {
        return new TpmWriter().u16(TpmAlg.ECC).u16(TpmAlg.SHA256).u32(AK_ATTRIBUTES).tpm2b(new byte[0])
                .u16(TpmAlg.NULL).u16(TpmAlg.ECDSA).u16(TpmAlg.SHA256).u16(TpmPublic.ECC_NIST_P256).u16(TpmAlg.NULL)
                .tpm2b(new byte[0]).tpm2b(new byte[0]).toByteArray();
    }

    /**
     * TPM2_CreatePrimary under a hierarchy with an empty auth; returns the transient object handle.
     *
     * @param hierarchy          the primary seed's hierarchy handle, e.g. {@link #RH_OWNER} or {@link #RH_ENDORSEMENT}
     * @param tpmtPublicTemplate the marshalled {@code TPMT_PUBLIC} template without a size prefix, e.g.
     *                           {@link #rsaAkTemplate()}; not {@code null}
     * @return the transient handle of the created key; flush it with {@link #flushContext} or persist it with
     *         {@link #evictControl} when done
     * @throws AttestationException {@link Reason#SERVICE_UNAVAILABLE} if the TPM refuses the command (the message
     *                              names the {@code TPM_RC}) or the transport fails
     */
    public int createPrimary(int hierarchy, byte[] tpmtPublicTemplate) {
        byte[] params = new TpmWriter().tpm2b(new TpmWriter().tpm2b(new byte[0]).tpm2b(new byte[0]).toByteArray())
                .tpm2b(tpmtPublicTemplate).tpm2b(new byte[0]).u32(0).toByteArray();
        Response r = call(ST_SESSIONS, CC_CREATE_PRIMARY, new int[] {hierarchy}, true, params);
        return r.handle;
    }

    /**
     * TPM2_EvictControl by the owner: makes a transient object persistent at {@code persistent}, or removes a
     * persistent one when {@code object == persistent}.
     *
     * @param object     the transient handle to persist, or the persistent handle to remove
     * @param persistent the persistent handle ({@code 0x81xxxxxx}) to use or to remove
     * @throws AttestationException {@link Reason#SERVICE_UNAVAILABLE} if the TPM refuses the command (e.g. the
     *                              persistent handle is taken) or the transport fails
     */
    public void evictControl(int object, int persistent) {
        call(ST_SESSIONS, CC_EVICT_CONTROL, new int[] {RH_OWNER, object}, false,
                new TpmWriter().u32(persistent).toByteArray());
    }

    /**
     * TPM2_FlushContext of a transient handle.
     *
     * @param handle the transient object or session handle to unload
     * @throws AttestationException {@link Reason#SERVICE_UNAVAILABLE} if the TPM refuses the command (e.g. an
     *                              unknown handle) or the transport fails
     */
    public void flushContext(int handle) {
        call(ST_NO_SESSIONS, CC_FLUSH_CONTEXT, new int[0], false, new TpmWriter().u32(handle).toByteArray());
    }

    /**
     * TPM2_ReadPublic: the object's {@code TPMT_PUBLIC}.
     *
     * @param handle a transient or persistent object handle
     * @return the parsed public area of the object
     * @throws AttestationException {@link Reason#SERVICE_UNAVAILABLE} if the TPM refuses the command or the
     *                              transport fails; {@link Reason#MALFORMED_EVIDENCE} if the public area cannot be
     *                              parsed (including an unsupported key type or curve)
     */
    public TpmPublic readPublic(int handle) {
        Response r = call(ST_NO_SESSIONS, CC_READ_PUBLIC, new int[] {handle}, false, new byte[0]);
        TpmReader rd = new TpmReader(r.params, "TPM2_ReadPublic response");
        return TpmPublic.parse(rd.tpm2b(1024));
    }

    /**
     * TPM2_NV_DefineSpace by the owner, empty index auth, SHA-256 name.
     *
     * @param index      the NV index handle ({@code 0x01xxxxxx}) to define
     * @param size       the data size in bytes, 0..65535 and at most what the TPM allows for an index
     * @param attributes the {@code TPMA_NV} bits, e.g. {@link #NV_OWNER_AUTH_RW}
     * @throws AttestationException {@link Reason#SERVICE_UNAVAILABLE} if the TPM refuses the command (e.g. the
     *                              index is already defined) or the transport fails
     */
    public void nvDefine(int index, int size, int attributes) {
        byte[] nvPublic = new TpmWriter().u32(index).u16(TpmAlg.SHA256).u32(attributes & 0xFFFFFFFFL)
                .tpm2b(new byte[0]).u16(size).toByteArray();
        call(ST_SESSIONS, CC_NV_DEFINE_SPACE, new int[] {RH_OWNER}, false,
                new TpmWriter().tpm2b(new byte[0]).tpm2b(nvPublic).toByteArray());
    }

    /**
     * TPM2_NV_UndefineSpace by the owner.
     *
     * @param index the NV index handle to remove
     * @throws AttestationException {@link Reason#SERVICE_UNAVAILABLE} if the TPM refuses the command (e.g. the
     *                              index is not defined) or the transport fails
     */
    public void nvUndefine(int index) {
        call(ST_SESSIONS, CC_NV_UNDEFINE_SPACE, new int[] {RH_OWNER, index}, false, new byte[0]);
    }

    /**
     * The data size of an NV index (TPM2_NV_ReadPublic), or -1 if it is not defined.
     *
     * @param index the NV index handle
     * @return the index's data size in bytes, or {@code -1} if the TPM reports the index as not defined
     * @throws AttestationException {@link Reason#SERVICE_UNAVAILABLE} for any other TPM error or a transport
     *                              failure; {@link Reason#MALFORMED_EVIDENCE} for a malformed response
     */
    public int nvSize(int index) {
        Response r = tryCall(ST_NO_SESSIONS, CC_NV_READ_PUBLIC, new int[] {index}, false, new byte[0]);
        if ((r.rc & 0xBF) == 0x8B) {
            return -1;
        }
        if (r.rc != 0) {
            throw failed(CC_NV_READ_PUBLIC, r.rc);
        }
        TpmReader rd = new TpmReader(new TpmReader(r.params, "TPM2_NV_ReadPublic").tpm2b(1024), "TPMS_NV_PUBLIC");
        rd.u32();
        rd.u16();
        rd.u32();
        rd.tpm2b(64);
        return rd.u16();
    }

    /**
     * TPM2_NV_Write with owner authorization, in chunks.
     *
     * @param index the defined NV index handle to write
     * @param data  the bytes to write from offset 0, at most the index's size; not {@code null}, not kept
     * @throws AttestationException {@link Reason#SERVICE_UNAVAILABLE} if the TPM refuses a chunk (e.g. the data
     *                              is larger than the index) or the transport fails
     */
    public void nvWrite(int index, byte[] data) {
        for (int off = 0; off < data.length; off += NV_CHUNK) {
            byte[] chunk = Arrays.copyOfRange(data, off, Math.min(data.length, off + NV_CHUNK));
            call(ST_SESSIONS, CC_NV_WRITE, new int[] {RH_OWNER, index}, false,
                    new TpmWriter().tpm2b(chunk).u16(off).toByteArray());
        }
    }

    /**
     * TPM2_NV_Read of the whole index with owner authorization, in chunks.
     *
     * @param index the NV index handle to read
     * @return a new array with the index's whole content (its defined size)
     * @throws AttestationException {@link Reason#SERVICE_UNAVAILABLE} if the index is not defined, the TPM refuses
     *                              a read or the transport fails; {@link Reason#MALFORMED_EVIDENCE} if the TPM
     *                              returns a malformed response or fewer bytes than asked
     */
    public byte[] nvRead(int index) {
        int size = nvSize(index);
        if (size < 0) {
            throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "NV index 0x" + Integer.toHexString(index)
                    + " is not defined in the TPM");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < size; off += NV_CHUNK) {
            int n = Math.min(NV_CHUNK, size - off);
            Response r = call(ST_SESSIONS, CC_NV_READ, new int[] {RH_OWNER, index}, false,
                    new TpmWriter().u16(n).u16(off).toByteArray());
            byte[] chunk = new TpmReader(r.params, "TPM2_NV_Read response").tpm2b(NV_CHUNK);
            if (chunk.length != n) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "TPM2_NV_Read returned " + chunk.length
                        + " bytes, " + n + " asked");
            }
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    /**
     * TPM2_PCR_Extend of one bank (for tests and measured applications).
     *
     * @param pcr     the PCR index (0..23)
     * @param hashAlg the bank's {@code TPM_ALG_ID}, e.g. {@link TpmAlg#SHA256}
     * @param digest  the digest to extend, exactly the bank's digest size; not {@code null}
     * @throws AttestationException {@link Reason#SERVICE_UNAVAILABLE} if the TPM refuses the command (e.g. a wrong
     *                              digest size or a locality-protected PCR) or the transport fails
     */
    public void pcrExtend(int pcr, int hashAlg, byte[] digest) {
        call(ST_SESSIONS, CC_PCR_EXTEND, new int[] {pcr}, false,
                new TpmWriter().u32(1).u16(hashAlg).bytes(digest).toByteArray());
    }

    /**
     * TPM2_Quote with an empty-password signing key, the key's own scheme ({@code TPM_ALG_NULL}) and the given
     * qualifying data (nonce, at most 64 bytes).
     *
     * @param signHandle     the handle of a loaded restricted signing key with an empty password
     * @param qualifyingData the nonce to sign into {@code extraData}, 0..64 bytes; not {@code null}
     * @param selection      the PCR bank and indices to quote
     * @return the signed {@code TPMS_ATTEST} and its parsed signature
     * @throws IllegalArgumentException if {@code qualifyingData} is longer than 64 bytes
     * @throws AttestationException     {@link Reason#SERVICE_UNAVAILABLE} if the TPM refuses the command or the
     *                                  transport fails; {@link Reason#MALFORMED_EVIDENCE} if the response or its
     *                                  signature cannot be parsed
     */
    public Quote quote(int signHandle, byte[] qualifyingData, PcrSelection selection) {
        if (qualifyingData.length > 64) {
            throw new IllegalArgumentException("a TPM quote nonce is at most 64 bytes");
        }
        byte[] params = new TpmWriter().tpm2b(qualifyingData).u16(TpmAlg.NULL).bytes(selectionList(selection))
                .toByteArray();
        Response r = call(ST_SESSIONS, CC_QUOTE, new int[] {signHandle}, false, params);
        TpmReader rd = new TpmReader(r.params, "TPM2_Quote response");
        byte[] attest = rd.tpm2b(1024);
        byte[] sig = rd.bytes(rd.remaining());
        return new Quote(attest, TpmSignature.parse(sig));
    }

    /**
     * TPM2_PCR_Read of every PCR in a selection, in selection order (the TPM answers at most 8 per call; this loops).
     *
     * @param selection the bank and indices to read
     * @return a new mutable list with one value per selected index, in increasing index order (empty for an empty
     *         selection)
     * @throws AttestationException {@link Reason#SERVICE_UNAVAILABLE} if the TPM refuses the command, lacks a PCR
     *                              or bank, makes no progress, or the transport fails;
     *                              {@link Reason#MALFORMED_EVIDENCE} for a malformed or inconsistent response
     */
    public List<byte[]> pcrRead(PcrSelection selection) {
        List<Integer> wanted = new ArrayList<>(selection.indices());
        java.util.Map<Integer, byte[]> got = new java.util.TreeMap<>();
        int rounds = 0;
        while (got.size() < wanted.size()) {
            if (rounds++ > 32) {
                throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "TPM2_PCR_Read made no progress");
            }
            int[] rest = wanted.stream().filter(i -> !got.containsKey(i)).mapToInt(Integer::intValue).toArray();
            PcrSelection ask = PcrSelection.of(selection.hashAlg(), rest);
            Response r = call(ST_NO_SESSIONS, CC_PCR_READ, new int[0], false, selectionList(ask));
            TpmReader rd = new TpmReader(r.params, "TPM2_PCR_Read response");
            rd.u32();
            long count = rd.u32();
            List<Integer> returned = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int hash = rd.u16();
                int size = rd.u8();
                PcrSelection s = new PcrSelection(hash, rd.bytes(size));
                if (hash == selection.hashAlg()) {
                    returned.addAll(s.indices());
                }
            }
            long digests = rd.u32();
            if (digests != returned.size()) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "TPM2_PCR_Read returned " + digests
                        + " values for " + returned.size() + " PCRs");
            }
            for (int index : returned) {
                got.put(index, rd.tpm2b(64));
            }
            if (returned.isEmpty()) {
                throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "the TPM has no PCRs " + ask);
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (int i : wanted) {
            out.add(got.get(i));
        }
        return out;
    }

    private static byte[] selectionList(PcrSelection s) {
        byte[] map = s.bitmap();
        return new TpmWriter().u32(1).u16(s.hashAlg()).u8(map.length).bytes(map).toByteArray();
    }

    private record Response(int rc, int handle, byte[] params) {
    }

    private static AttestationException failed(int cc, int rc) {
        return new AttestationException(Reason.SERVICE_UNAVAILABLE, name(cc) + " failed with TPM_RC 0x"
                + Integer.toHexString(rc));
    }

    private Response call(int tag, int cc, int[] handles, boolean returnsHandle, byte[] params) {
        Response r = tryCall(tag, cc, handles, returnsHandle, params);
        // TPM_RC_YIELDED, TPM_RC_TESTING, TPM_RC_RETRY: the TPM asks for the same command again
        for (int i = 0; i < RETRIES && (r.rc == 0x908 || r.rc == 0x90A || r.rc == 0x922); i++) {
            try {
                Thread.sleep(20L * (i + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            r = tryCall(tag, cc, handles, returnsHandle, params);
        }
        if (r.rc != 0) {
            throw failed(cc, r.rc);
        }
        return r;
    }

    private Response tryCall(int tag, int cc, int[] handles, boolean returnsHandle, byte[] params) {
        TpmWriter body = new TpmWriter();
        for (int h : handles) {
            body.u32(h & 0xFFFFFFFFL);
        }
        if (tag == ST_SESSIONS) {
            byte[] auth = new TpmWriter().u32(RS_PW).tpm2b(new byte[0]).u8(0).tpm2b(new byte[0]).toByteArray();
            body.u32(auth.length).bytes(auth);
        }
        body.bytes(params);
        byte[] b = body.toByteArray();
        byte[] cmd = new TpmWriter().u16(tag).u32(10 + b.length).u32(cc).bytes(b).toByteArray();
        byte[] resp = transport.transmit(cmd);
        TpmReader rd = new TpmReader(resp, "TPM response");
        int rtag = rd.u16();
        long size = rd.u32();
        long rc = rd.u32();
        if (size != resp.length) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "TPM response size " + size + " but "
                    + resp.length + " bytes received");
        }
        if (rc != 0) {
            return new Response((int) rc, 0, new byte[0]);
        }
        int handle = returnsHandle ? (int) rd.u32() : 0;
        byte[] out;
        if (rtag == ST_SESSIONS) {
            long paramSize = rd.u32();
            if (paramSize > rd.remaining()) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "TPM response parameter size "
                        + paramSize + " exceeds the response");
            }
            out = rd.bytes((int) paramSize);
        } else {
            out = rd.bytes(rd.remaining());
        }
        return new Response(0, handle, out);
    }

    private static String name(int cc) {
        return switch (cc) {
            case CC_CREATE_PRIMARY -> "TPM2_CreatePrimary";
            case CC_EVICT_CONTROL -> "TPM2_EvictControl";
            case CC_NV_DEFINE_SPACE -> "TPM2_NV_DefineSpace";
            case CC_NV_UNDEFINE_SPACE -> "TPM2_NV_UndefineSpace";
            case CC_NV_WRITE -> "TPM2_NV_Write";
            case CC_NV_READ -> "TPM2_NV_Read";
            case CC_NV_READ_PUBLIC -> "TPM2_NV_ReadPublic";
            case CC_QUOTE -> "TPM2_Quote";
            case CC_PCR_READ -> "TPM2_PCR_Read";
            case CC_PCR_EXTEND -> "TPM2_PCR_Extend";
            case CC_READ_PUBLIC -> "TPM2_ReadPublic";
            case CC_STARTUP -> "TPM2_Startup";
            case CC_FLUSH_CONTEXT -> "TPM2_FlushContext";
            default -> "TPM command 0x" + Integer.toHexString(cc);
        };
    }

    @Override
    public void close() {
        transport.close();
    }
}
