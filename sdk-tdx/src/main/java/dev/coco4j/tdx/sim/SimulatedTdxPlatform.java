package dev.coco4j.tdx.sim;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.tdx.abi.SgxReportBody;
import dev.coco4j.tdx.abi.TdReportBody;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.verify.TdxCollateral;
import dev.coco4j.tdx.verify.TdxQuoteVerifier;
import dev.coco4j.tdx.verify.TdxTcbStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A simulated Intel TDX platform: its own Intel-shaped P-256 PKI ("Simulated Intel SGX Root CA (coco4j sim)" → PCK
 * Platform CA → PCK leaf with the SGX extension, and a TCB Signing certificate), a root CA CRL and a PCK CRL, signed
 * TCB Info v3 (id TDX, one level matching the platform, so UpToDate by default) and QE Identity v2 (TD_QE), and a
 * simulated quoting enclave: a QE report signed by the PCK key whose report data is SHA-256(attestation key ‖ QE
 * auth data) ‖ 32 zero bytes, and DCAP quotes (v4, or v5 with a TDX 1.5 body) signed by the attestation key over the
 * exact signed region. For development and tests without TDX hardware.
 *
 * <p>The root is never trusted implicitly: {@link TdxQuoteVerifier} pins Intel's root and refuses these quotes
 * ({@code CHAIN_INVALID}) unless {@link #root()} is passed as the trusted root (as {@link #verifier()} does).
 *
 * <p>Collateral is issued at the builder's clock (a minute before it, to the second) and valid for 30 days;
 * certificates from an hour before it for several years. {@link Tweak} produces variants: edit the TCB Info or QE
 * Identity JSON before it is signed, the TD report body before the quote is signed, or the quote after signing.
 * Thread-safe after construction; build with {@link #builder()}.
 */
public final class SimulatedTdxPlatform {
    /** The SGX component SVNs of the simulated PCK (and of its TCB level). */
    private static final int[] SGX_COMPONENTS = {3, 3, 2, 2, 4, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0};
    /** The simulated PCESVN. */
    private static final int PCE_SVN = 11;
    private static final byte[] PCE_ID = {0, 0};
    private static final int QE_ISV_PROD_ID = 2;
    private static final int QE_ISV_SVN = 4;
    private static final byte[] QE_ATTRIBUTES = HexFormat.of().parseHex("11000000000000000000000000000000");
    private static final String QE_ATTRIBUTES_MASK = "FBFFFFFFFFFFFFFF0000000000000000";
    private static final Duration COLLATERAL_VALIDITY = Duration.ofDays(30);

    /** Edits applied while producing collateral and quotes; every method defaults to "unchanged". */
    public interface Tweak {
        /**
         * The raw TCB Info JSON text, before it is signed.
         *
         * @param json the {@code tcbInfo} JSON object text the simulator built
         * @return the text to sign and publish instead, not null; return {@code json} to leave it unchanged
         */
        default String tcbInfoJson(String json) {
            return json;
        }

        /**
         * The raw QE Identity JSON text, before it is signed.
         *
         * @param json the {@code enclaveIdentity} JSON object text the simulator built
         * @return the text to sign and publish instead, not null; return {@code json} to leave it unchanged
         */
        default String qeIdentityJson(String json) {
            return json;
        }

        /**
         * The TD report body (584 or 648 bytes), before the quote is signed.
         *
         * @param body the TD report body the simulator built; the tweak may edit and return it
         * @return the body to sign instead, not null; another length makes a quote the parser rejects
         */
        default byte[] body(byte[] body) {
            return body;
        }

        /**
         * The finished, signed quote bytes (a change here breaks the signature or the structure).
         *
         * @param quote the complete signed quote; the tweak may edit and return it
         * @return the bytes {@link SimulatedTdxPlatform#quote(ReportData)} returns, not null
         */
        default byte[] signedQuote(byte[] quote) {
            return quote;
        }
    }

    private final Clock clock;
    private final int version;
    private final byte[] teeTcbSvn;
    private final byte[] mrTd;
    private final byte[][] rtmrs;
    private final long tdAttributes;
    private final long xfam;
    private final byte[] fmspc;
    private final Tweak tweak;
    private final SimPki.Issued root;
    private final SimPki.Issued pckCa;
    private final SimPki.Issued pck;
    private final SimPki.Issued tcbSigning;
    private final KeyPair attestationKey;
    private final byte[] qeMrSigner;
    private final byte[] qeMrEnclave;
    private final TdxCollateral collateral;

    private SimulatedTdxPlatform(Builder b) {
        this.clock = b.clock;
        this.version = b.version;
        this.teeTcbSvn = b.teeTcbSvn.clone();
        this.mrTd = b.mrTd.clone();
        this.rtmrs = new byte[4][];
        for (int i = 0; i < 4; i++) {
            rtmrs[i] = b.rtmrs[i].clone();
        }
        this.tdAttributes = b.tdAttributes;
        this.xfam = b.xfam;
        this.fmspc = b.fmspc.clone();
        this.tweak = b.tweak;
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        SimPki pki = new SimPki(b.random, now);
        this.root = pki.root();
        this.pckCa = pki.pckCa(root);
        byte[] ppid = new byte[16];
        b.random.nextBytes(ppid);
        byte[] cpuSvn = new byte[16];
        for (int i = 0; i < 16; i++) {
            cpuSvn[i] = (byte) SGX_COMPONENTS[i];
        }
        this.pck = pki.pck(pckCa, ppid, SGX_COMPONENTS, PCE_SVN, cpuSvn, PCE_ID, fmspc);
        this.tcbSigning = pki.tcbSigning(root);
        this.attestationKey = pki.p256();
        this.qeMrSigner = sha256("coco4j sim TD quoting enclave signer".getBytes(StandardCharsets.US_ASCII));
        this.qeMrEnclave = sha256("coco4j sim TD quoting enclave".getBytes(StandardCharsets.US_ASCII));

        Instant issued = now.minusSeconds(60);
        Instant next = issued.plus(COLLATERAL_VALIDITY);
        X509CRL rootCrl = pki.crl(root, issued, next, List.of());
        List<BigInteger> revoked = b.revokePck ? List.of(pck.certificate().getSerialNumber()) : List.of();
        X509CRL pckCrl = pki.crl(pckCa, issued, next, revoked);
        byte[] tcbInfo = tweak.tcbInfoJson(tcbInfoJson(issued, next, b.tcbStatus, b.advisoryIds))
                .getBytes(StandardCharsets.UTF_8);
        byte[] qeId = tweak.qeIdentityJson(qeIdentityJson(issued, next)).getBytes(StandardCharsets.UTF_8);
        List<X509Certificate> signingChain = List.of(tcbSigning.certificate(), root.certificate());
        this.collateral = new TdxCollateral(List.of(pckCa.certificate(), root.certificate()), rootCrl, pckCrl,
                signingChain, tcbInfo, SimPki.signRaw(tcbSigning.keys().getPrivate(), tcbInfo), signingChain, qeId,
                SimPki.signRaw(tcbSigning.keys().getPrivate(), qeId));
    }

    /**
     * A builder with a non-debug TD, quote v4 and the system UTC clock.
     *
     * @return a new builder; keys and certificates are generated only by {@link Builder#build()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A quote binding {@code reportData}, signed by the simulated quoting enclave.
     *
     * @param reportData the 64 bytes to place in REPORTDATA, not null
     * @return the quote bytes (after {@link Tweak#signedQuote})
     */
    public byte[] quote(ReportData reportData) {
        Objects.requireNonNull(reportData, "reportData");
        byte[] body = tweak.body(body(reportData.toByteArray()));
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        ByteBuffer h = le(TdxQuote.HEADER_SIZE);
        h.putShort((short) version).putShort((short) TdxQuote.ATT_KEY_TYPE_ECDSA_P256).putInt((int) TdxQuote.TEE_TYPE_TDX)
                .putInt(0).put(TdxQuote.INTEL_QE_VENDOR_ID).put(Arrays.copyOf(qeMrEnclave, 20));
        signed.writeBytes(h.array());
        if (version == 5) {
            signed.writeBytes(le(6).putShort((short) (body.length == TdReportBody.SIZE_1_5 ? 3 : 2))
                    .putInt(body.length).array());
        }
        signed.writeBytes(body);
        byte[] region = signed.toByteArray();

        byte[] ak = rawPublicKey((ECPublicKey) attestationKey.getPublic());
        byte[] auth = new byte[32];
        for (int i = 0; i < auth.length; i++) {
            auth[i] = (byte) i;
        }
        byte[] qeReport = qeReport(Arrays.copyOf(sha256(concat(ak, auth)), 64));
        byte[] chain = pemChain();
        ByteArrayOutputStream cert = new ByteArrayOutputStream();
        cert.writeBytes(qeReport);
        cert.writeBytes(SimPki.signRaw(pck.keys().getPrivate(), qeReport));
        cert.writeBytes(le(2).putShort((short) auth.length).array());
        cert.writeBytes(auth);
        cert.writeBytes(le(6).putShort((short) 5).putInt(chain.length).array());
        cert.writeBytes(chain);
        byte[] certData = cert.toByteArray();

        ByteArrayOutputStream sig = new ByteArrayOutputStream();
        sig.writeBytes(SimPki.signRaw(attestationKey.getPrivate(), region));
        sig.writeBytes(ak);
        sig.writeBytes(le(6).putShort((short) 6).putInt(certData.length).array());
        sig.writeBytes(certData);
        byte[] sigData = sig.toByteArray();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(region);
        out.writeBytes(le(4).putInt(sigData.length).array());
        out.writeBytes(sigData);
        return tweak.signedQuote(out.toByteArray());
    }

    /**
     * The collateral for this platform's quotes (TCB Info, QE Identity, CRLs and issuer chains).
     *
     * @return the collateral generated at build time, issued a minute before the builder's clock read and valid for
     *     30 days; the same instance on every call (immutable)
     */
    public TdxCollateral collateral() {
        return collateral;
    }

    /**
     * The simulated root CA, self-signed. Pass it as the trusted root to accept this platform's quotes.
     *
     * @return the simulated root CA certificate; never Intel's
     */
    public X509Certificate root() {
        return root.certificate();
    }

    /**
     * The PCK leaf certificate carried in every quote.
     *
     * @return the PCK leaf certificate, with the builder's FMSPC in its SGX extension
     */
    public X509Certificate pckCertificate() {
        return pck.certificate();
    }

    /**
     * A verifier trusting {@link #root()} and using this platform's clock.
     *
     * @return a new verifier that trusts only {@link #root()} and checks windows at the builder's clock
     */
    public TdxQuoteVerifier verifier() {
        return TdxQuoteVerifier.builder().trustedRoot(root()).clock(clock).build();
    }

    /**
     * The quote version, 4 or 5.
     *
     * @return 4 or 5, as the builder set it
     */
    public int quoteVersion() {
        return version;
    }

    /**
     * Writes {@code DIR/quote.dat} (raw quote bytes), {@code DIR/root.pem} and the collateral directory form that
     * {@link TdxCollateral#fromDirectory(Path)} reads: {@value TdxCollateral#TCB_INFO_FILE},
     * {@value TdxCollateral#QE_IDENTITY_FILE} (Intel PCS body form), the three issuer chains as PEM and the two CRLs as
     * DER. Creates {@code dir} if needed.
     *
     * @param dir the directory to write into, not null; existing files of the same names are replaced
     * @param reportData the 64 bytes to place in the quote's REPORTDATA, not null
     * @return the quote bytes written
     * @throws IOException if the directory or a file cannot be written
     */
    public byte[] writeTo(Path dir, ReportData reportData) throws IOException {
        Files.createDirectories(dir);
        byte[] q = quote(reportData);
        Files.write(dir.resolve("quote.dat"), q);
        Files.writeString(dir.resolve("root.pem"), Certificates.toPem(root()), StandardCharsets.US_ASCII);
        Files.write(dir.resolve(TdxCollateral.TCB_INFO_FILE), pcsBody("tcbInfo", collateral.tcbInfoJson(),
                collateral.tcbInfoSignature()));
        Files.write(dir.resolve(TdxCollateral.QE_IDENTITY_FILE), pcsBody("enclaveIdentity",
                collateral.qeIdentityJson(), collateral.qeIdentitySignature()));
        Files.writeString(dir.resolve(TdxCollateral.TCB_INFO_CHAIN_FILE), pem(collateral.tcbInfoIssuerChain()));
        Files.writeString(dir.resolve(TdxCollateral.QE_IDENTITY_CHAIN_FILE), pem(collateral.qeIdentityIssuerChain()));
        Files.writeString(dir.resolve(TdxCollateral.PCK_CRL_CHAIN_FILE), pem(collateral.pckCrlIssuerChain()));
        try {
            Files.write(dir.resolve(TdxCollateral.PCK_CRL_FILE), collateral.pckCrl().getEncoded());
            Files.write(dir.resolve(TdxCollateral.ROOT_CA_CRL_FILE), collateral.rootCaCrl().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode a simulated CRL", e);
        }
        return q;
    }

    private static byte[] pcsBody(String member, byte[] raw, byte[] signature) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("{\"" + member + "\":").getBytes(StandardCharsets.US_ASCII));
        o.writeBytes(raw);
        o.writeBytes((",\"signature\":\"" + HexFormat.of().formatHex(signature) + "\"}")
                .getBytes(StandardCharsets.US_ASCII));
        return o.toByteArray();
    }

    private static String pem(List<X509Certificate> chain) {
        StringBuilder s = new StringBuilder();
        for (X509Certificate c : chain) {
            s.append(Certificates.toPem(c));
        }
        return s.toString();
    }

    private byte[] pemChain() {
        return pem(List.of(pck.certificate(), pckCa.certificate(), root.certificate()))
                .getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] body(byte[] reportData) {
        int size = version == 5 ? TdReportBody.SIZE_1_5 : TdReportBody.SIZE_1_0;
        ByteBuffer b = le(size);
        b.put(0, teeTcbSvn);
        b.put(16, sha384("coco4j sim TDX module"));
        // MRSIGNERSEAM (64) and SEAMATTRIBUTES (112) stay zero: an Intel-signed module
        b.putLong(120, tdAttributes);
        b.putLong(128, xfam);
        b.put(136, mrTd);
        for (int i = 0; i < 4; i++) {
            b.put(328 + 48 * i, rtmrs[i]);
        }
        b.put(520, reportData);
        if (size == TdReportBody.SIZE_1_5) {
            b.put(584, teeTcbSvn);
        }
        return b.array();
    }

    private byte[] qeReport(byte[] reportData) {
        ByteBuffer r = le(SgxReportBody.SIZE);
        for (int i = 0; i < 16; i++) {
            r.put(i, (byte) SGX_COMPONENTS[i]);
        }
        r.put(48, QE_ATTRIBUTES);
        r.put(64, qeMrEnclave);
        r.put(128, qeMrSigner);
        r.putShort(256, (short) QE_ISV_PROD_ID);
        r.putShort(258, (short) QE_ISV_SVN);
        r.put(320, reportData);
        return r.array();
    }

    private String tcbInfoJson(Instant issued, Instant next, TdxTcbStatus status, List<String> advisories) {
        String hexFmspc = HexFormat.of().withUpperCase().formatHex(fmspc);
        String zeroSigner = "0".repeat(96);
        StringBuilder sgx = new StringBuilder();
        StringBuilder tdx = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sgx.append(i == 0 ? "" : ",").append("{\"svn\":").append(SGX_COMPONENTS[i]).append('}');
            // components 0 and 1 (module minor SVN, major version) are matched through the module identity
            int t = i < 2 && teeTcbSvn[1] != 0 ? 0 : teeTcbSvn[i] & 0xff;
            tdx.append(i == 0 ? "" : ",").append("{\"svn\":").append(t).append('}');
        }
        String adv = advisories.isEmpty() ? "" : ",\"advisoryIDs\":[\"" + String.join("\",\"", advisories) + "\"]";
        String moduleId = String.format(java.util.Locale.ROOT, "TDX_%02X", teeTcbSvn[1] & 0xff);
        return "{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"" + issued + "\",\"nextUpdate\":\"" + next
                + "\",\"fmspc\":\"" + hexFmspc + "\",\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":17,"
                + "\"tdxModule\":{\"mrsigner\":\"" + zeroSigner + "\",\"attributes\":\"0000000000000000\","
                + "\"attributesMask\":\"FFFFFFFFFFFFFFFF\"},"
                + "\"tdxModuleIdentities\":[{\"id\":\"" + moduleId + "\",\"mrsigner\":\"" + zeroSigner
                + "\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\","
                + "\"tcbLevels\":[{\"tcb\":{\"isvsvn\":" + (teeTcbSvn[0] & 0xff) + "},\"tcbDate\":\"2024-03-13T00:00:00Z\","
                + "\"tcbStatus\":\"UpToDate\"}]}],"
                + "\"tcbLevels\":[{\"tcb\":{\"sgxtcbcomponents\":[" + sgx + "],\"pcesvn\":" + PCE_SVN
                + ",\"tdxtcbcomponents\":[" + tdx + "]},\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":\""
                + status.jsonName() + "\"" + adv + "}]}";
    }

    private String qeIdentityJson(Instant issued, Instant next) {
        return "{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":\"" + issued + "\",\"nextUpdate\":\"" + next
                + "\",\"tcbEvaluationDataNumber\":17,\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\","
                + "\"attributes\":\"" + HexFormat.of().withUpperCase().formatHex(QE_ATTRIBUTES)
                + "\",\"attributesMask\":\"" + QE_ATTRIBUTES_MASK + "\",\"mrsigner\":\""
                + HexFormat.of().withUpperCase().formatHex(qeMrSigner) + "\",\"isvprodid\":" + QE_ISV_PROD_ID
                + ",\"tcbLevels\":[{\"tcb\":{\"isvsvn\":" + QE_ISV_SVN
                + "},\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":\"UpToDate\"}]}";
    }

    private static byte[] rawPublicKey(ECPublicKey k) {
        byte[] out = new byte[64];
        put32(out, 0, k.getW().getAffineX());
        put32(out, 32, k.getW().getAffineY());
        return out;
    }

    private static void put32(byte[] out, int at, BigInteger v) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, at + 32 - n, n);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] sha256(byte[] b) {
        return digest("SHA-256", b);
    }

    private static byte[] sha384(String s) {
        return digest("SHA-384", s.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] digest(String alg, byte[] b) {
        try {
            return MessageDigest.getInstance(alg).digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "SimulatedTdxPlatform[v" + version + ", fmspc " + HexFormat.of().formatHex(fmspc) + ", root "
                + SimPki.ROOT_CN + "]";
    }

    /** Builds a {@link SimulatedTdxPlatform}. Not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private int version = 4;
        private byte[] teeTcbSvn = HexFormat.of().parseHex("06010300000000000000000000000000");
        private byte[] mrTd = sha384("coco4j sim MRTD");
        private final byte[][] rtmrs = {new byte[48], new byte[48], new byte[48], new byte[48]};
        private long tdAttributes = TdReportBody.ATTR_SEPT_VE_DISABLE;
        private long xfam = 0x61ae7L;
        private byte[] fmspc = HexFormat.of().parseHex("00906ed50000");
        private TdxTcbStatus tcbStatus = TdxTcbStatus.UP_TO_DATE;
        private List<String> advisoryIds = List.of();
        private boolean revokePck;
        private Tweak tweak = new Tweak() {
        };
        private SecureRandom random = new SecureRandom();

        private Builder() {
        }

        /**
         * MRTD, 48 bytes.
         *
         * @param value the MRTD, exactly 48 bytes; copied
         * @return this builder
         * @throws ConfigurationException {@code CONFIGURATION} if {@code value} is null or not 48 bytes
         */
        public Builder mrTd(byte[] value) {
            this.mrTd = exact(value, 48, "MRTD");
            return this;
        }

        /**
         * RTMR{@code index} (0..3), 48 bytes; zero by default.
         *
         * @param index the register, 0 to 3
         * @param value the RTMR value, exactly 48 bytes; copied
         * @return this builder
         * @throws ConfigurationException {@code CONFIGURATION} if {@code index} is not 0 to 3 or {@code value} is null
         *     or not 48 bytes
         */
        public Builder rtmr(int index, byte[] value) {
            if (index < 0 || index > 3) {
                throw bad("RTMR index must be 0..3, got " + index);
            }
            this.rtmrs[index] = exact(value, 48, "RTMR" + index);
            return this;
        }

        /**
         * TDATTRIBUTES (default SEPT_VE_DISABLE only; bit 0 makes a debug TD).
         *
         * @param value the TDATTRIBUTES mask (see the {@code TdReportBody.ATTR_*} constants)
         * @return this builder
         */
        public Builder tdAttributes(long value) {
            this.tdAttributes = value;
            return this;
        }

        /**
         * XFAM (default 0x61ae7).
         *
         * @param value the XFAM mask
         * @return this builder
         */
        public Builder xfam(long value) {
            this.xfam = value;
            return this;
        }

        /**
         * TEE_TCB_SVN, 16 bytes (default 06 01 03 00…: module SVN 6, major version 1, late microcode SVN 3). The
         * TCB Info is built to match it.
         *
         * @param value TEE_TCB_SVN, exactly 16 bytes; copied
         * @return this builder
         * @throws ConfigurationException {@code CONFIGURATION} if {@code value} is null or not 16 bytes
         */
        public Builder teeTcbSvn(byte[] value) {
            this.teeTcbSvn = exact(value, 16, "TEE_TCB_SVN");
            return this;
        }

        /**
         * The platform's FMSPC, 6 bytes, written into the PCK certificate and TCB Info.
         *
         * @param value the FMSPC, exactly 6 bytes; copied
         * @return this builder
         * @throws ConfigurationException {@code CONFIGURATION} if {@code value} is null or not 6 bytes
         */
        public Builder fmspc(byte[] value) {
            this.fmspc = exact(value, 6, "FMSPC");
            return this;
        }

        /**
         * Quote version 4 (TDX 1.0 body) or 5 (body type 3, TDX 1.5).
         *
         * @param value 4 or 5
         * @return this builder
         * @throws ConfigurationException {@code CONFIGURATION} for any other version
         */
        public Builder quoteVersion(int value) {
            if (value != 4 && value != 5) {
                throw bad("quote version must be 4 or 5, got " + value);
            }
            this.version = value;
            return this;
        }

        /**
         * The clock collateral and certificates are issued at (default system UTC).
         *
         * @param value the clock, not null; {@link SimulatedTdxPlatform#verifier()} uses it too
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * The status (and advisory IDs) of the TCB level that matches the platform (default UpToDate, none).
         *
         * @param status the matched level's status, not null; {@code REVOKED} makes quotes that verification refuses
         * @param advisories the advisory IDs of that level, not null, no null elements; copied
         * @return this builder
         */
        public Builder tcbStatus(TdxTcbStatus status, List<String> advisories) {
            this.tcbStatus = Objects.requireNonNull(status, "status");
            this.advisoryIds = List.copyOf(advisories);
            return this;
        }

        /**
         * Lists the PCK leaf in the PCK CRL.
         *
         * @param value {@code true} to list the PCK leaf's serial in the PCK CRL, so that verification fails as
         *     {@code REVOKED}; default {@code false}
         * @return this builder
         */
        public Builder revokePck(boolean value) {
            this.revokePck = value;
            return this;
        }

        /**
         * Edits for variants (see {@link Tweak}).
         *
         * @param value the edits to apply, not null; kept and called on every
         *     {@link SimulatedTdxPlatform#quote(ReportData)}
         * @return this builder
         */
        public Builder tweak(Tweak value) {
            this.tweak = Objects.requireNonNull(value, "tweak");
            return this;
        }

        /**
         * The randomness keys and serials come from (default a new {@link SecureRandom}).
         *
         * @param value the source of randomness for keys, serial numbers and the PPID, not null; kept, not copied
         * @return this builder
         */
        public Builder random(SecureRandom value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /**
         * Generates the keys, certificates and collateral.
         *
         * @return a new platform with fresh keys, certificates and collateral
         */
        public SimulatedTdxPlatform build() {
            return new SimulatedTdxPlatform(this);
        }

        private static byte[] exact(byte[] v, int len, String what) {
            if (v == null || v.length != len) {
                throw bad(what + " must be " + len + " bytes");
            }
            return v.clone();
        }

        private static ConfigurationException bad(String detail) {
            return new ConfigurationException(Reason.CONFIGURATION, detail);
        }
    }
}
