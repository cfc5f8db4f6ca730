package dev.coco4j.azure.verify;

import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.VerifiedTpmQuote;
import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.TeeType;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Azure vTPM evidence that verified end to end: the hardware evidence, the HCL runtime-claims binding and the TPM
 * quote signed by the attestation key in those claims.
 *
 * @param tee            {@link TeeType#AZ_SNP_VTPM} or {@link TeeType#AZ_TDX_VTPM}
 * @param hclReport      the parsed HCL report (its runtime claims are now authenticated)
 * @param tpmQuote       the verified TPM quote with its PCR values
 * @param hardware       the hardware verifier's result ({@code snp} or {@code tdx} claims)
 * @param nonceChecked   whether the quote's nonce was compared with an expected value
 */
public record VerifiedAzVtpmEvidence(TeeType tee, HclReport hclReport, VerifiedTpmQuote tpmQuote,
                                     AttestationResult hardware, boolean nonceChecked) {
    /** The warning added when no expected nonce was given. */
    public static final String NONCE_NOT_CHECKED = "TPM quote nonce not checked (no expected nonce given)";

    /** Checks for nulls. */
    public VerifiedAzVtpmEvidence {
        Objects.requireNonNull(tee, "tee");
        Objects.requireNonNull(hclReport, "hclReport");
        Objects.requireNonNull(tpmQuote, "tpmQuote");
        Objects.requireNonNull(hardware, "hardware");
    }

    /**
     * The claims for policy: the hardware claims under {@code snp}/{@code tdx}, the quoted PCRs under {@code pcrs}
     * ({@code "sha256:N" -> hex}), the quote's {@code nonce} (hex), and the HCL runtime claims under {@code hcl}
     * ({@code vm-configuration}, {@code user-data}, the whole claims object as {@code runtime_claims}).
     *
     * @return a new result with this TEE, the hardware result's TCB status and verification time, and its warnings
     *         plus {@link #NONCE_NOT_CHECKED} when {@link #nonceChecked()} is false
     */
    public AttestationResult toAttestationResult() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(hardware.tee().id(), hardware.claims());
        c.put("pcrs", tpmQuote.pcrClaims());
        c.put("nonce", HexFormat.of().formatHex(tpmQuote.attest().extraData()));
        Map<String, Object> hcl = new LinkedHashMap<>();
        hcl.put("report_type", hclReport.reportType().name().toLowerCase(java.util.Locale.ROOT));
        hcl.put("vm-configuration", hclReport.runtimeClaims().vmConfiguration());
        hclReport.runtimeClaims().userData().ifPresent(u -> hcl.put("user-data", u));
        hcl.put("runtime_claims", hclReport.runtimeClaims().all());
        c.put("hcl", hcl);
        List<String> warnings = new ArrayList<>(hardware.warnings());
        if (!nonceChecked) {
            warnings.add(NONCE_NOT_CHECKED);
        }
        return new AttestationResult(tee, c, hardware.tcbStatus(), warnings, hardware.verifiedAt());
    }
}
