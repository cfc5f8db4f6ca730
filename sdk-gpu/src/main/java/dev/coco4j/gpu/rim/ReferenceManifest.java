package dev.coco4j.gpu.rim;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A parsed NVIDIA RIM (SWID tag). Produced by {@link RimParser} (unverified) and returned by {@link RimVerifier} only
 * after its signature and chain were checked. Layout:
 * <pre>{@code
 * <SoftwareIdentity xmlns="http://standards.iso.org/iso/19770/-2/2015/schema.xsd" name="GH100" tagId=... version=...>
 *   <Entity .../>
 *   <Meta colloquialVersion="545.00" product="GH100" rim:FirmwareManufacturerId="5703" .../>
 *   <Payload>
 *     <Resource type="Measurement" index="0" active="True|False" alternatives="N" size="48"
 *               h:Hash0="<96 hex>" ... h:Hash{N-1}="..." name="Measurement_0"/>   (h = http://www.w3.org/2001/04/xmlenc#sha384)
 *   </Payload>
 *   <ds:Signature> ... <ds:KeyInfo><ds:X509Data> leaf first ... </ds:X509Data></ds:KeyInfo></ds:Signature>
 * </SoftwareIdentity>
 * }</pre>
 *
 * @param tagId the SWID tagId
 * @param name the SoftwareIdentity name (chip, e.g. GH100)
 * @param version the SoftwareIdentity version attribute
 * @param colloquialVersion the driver or VBIOS version the RIM is for
 * @param product the Meta product
 * @param firmwareManufacturerId the TCG FirmwareManufacturerId (NVIDIA: 5703), or null
 * @param measurements every Resource record, in document order
 * @param signerChain the X509Data certificates, leaf first
 */
public record ReferenceManifest(String tagId, String name, String version, String colloquialVersion,
                                String product, String firmwareManufacturerId, List<RimMeasurement> measurements,
                                List<X509Certificate> signerChain) {
    /** Copies the lists. */
    public ReferenceManifest {
        measurements = List.copyOf(measurements);
        signerChain = List.copyOf(signerChain);
    }

    /**
     * The active records.
     *
     * @return an unmodifiable list of the records whose {@code active} attribute is true, in document order; may be
     *     empty
     */
    public List<RimMeasurement> activeMeasurements() {
        return measurements.stream().filter(RimMeasurement::active).toList();
    }

    /**
     * The record for a RIM index.
     *
     * @param index the 0-based RIM index ({@code index} attribute of the Resource)
     * @return the first record with that index, active or not, or {@link Optional#empty()} if the RIM has none
     */
    public Optional<RimMeasurement> measurement(int index) {
        return measurements.stream().filter(m -> m.index() == index).findFirst();
    }
}
