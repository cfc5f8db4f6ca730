package dev.coco4j.cli;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.gpu.abi.OpaqueData;
import dev.coco4j.gpu.rim.ReferenceManifest;
import dev.coco4j.gpu.rim.RimKind;
import dev.coco4j.gpu.rim.RimParser;
import dev.coco4j.gpu.rim.RimServiceClient;
import dev.coco4j.gpu.rim.RimSource;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The RIMs {@code verify gpu} compares with: the {@code --rim} files, each assigned to the driver or the VBIOS by the
 * version it declares (its {@code colloquialVersion} must equal the report's driver or VBIOS version, else
 * {@link Reason#RIM_INVALID}); a RIM not given is fetched from NVIDIA's RIM service when online and is
 * {@link Reason#COLLATERAL_UNAVAILABLE} (exit 3) with {@code --offline}. Which file is used is decided here; whether
 * it is authentic is decided by the SDK's RIM verifier afterwards, for given and fetched RIMs alike.
 */
final class GpuRimFiles implements RimSource {
    private static final CollateralFetcher FETCHER = CollateralFetcher.builder().build();
    private static final String VBIOS_PREFIX = "NV_GPU_VBIOS_";

    private final Map<RimKind, byte[]> given;
    private final boolean offline;

    private GpuRimFiles(Map<RimKind, byte[]> given, boolean offline) {
        this.given = given;
        this.offline = offline;
    }

    /** Reads and assigns the {@code --rim} files for a report with this opaque data. */
    static GpuRimFiles of(List<Path> files, OpaqueData report, boolean offline) {
        String driver = report.driverVersion().orElse(null);
        String vbios = report.vbiosVersion().orElse(null);
        Map<RimKind, byte[]> given = new EnumMap<>(RimKind.class);
        for (Path file : files) {
            byte[] xml = InputFiles.read("--rim", file);
            ReferenceManifest m = RimParser.parse(xml);
            String version = m.colloquialVersion();
            RimKind kind;
            if (driver != null && version.equalsIgnoreCase(driver)) {
                kind = RimKind.DRIVER;
            } else if (vbios != null && version.equalsIgnoreCase(vbios)) {
                kind = RimKind.VBIOS;
            } else {
                throw new AttestationException(Reason.RIM_INVALID, "--rim " + file + " is for version " + version
                        + ", but the report's driver is " + driver + " and its VBIOS " + vbios);
            }
            if (given.putIfAbsent(kind, xml) != null) {
                throw Args.bad("--rim", "gives two " + kind.name().toLowerCase(Locale.ROOT) + " RIMs (" + file + ")");
            }
        }
        return new GpuRimFiles(given, offline);
    }

    boolean isEmpty() {
        return given.isEmpty();
    }

    @Override
    public byte[] fetch(String rimId) {
        RimKind kind = rimId.startsWith(VBIOS_PREFIX) ? RimKind.VBIOS : RimKind.DRIVER;
        byte[] xml = given.get(kind);
        if (xml != null) {
            return xml;
        }
        if (offline) {
            throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE, "no " + kind.name().toLowerCase(Locale.ROOT)
                    + " RIM given with --rim and --offline: RIM " + rimId + " cannot be fetched from NVIDIA's RIM "
                    + "service (give it with --rim, or --no-rim to skip the comparison)");
        }
        return RimServiceClient.builder().fetcher(FETCHER).build().fetch(rimId);
    }
}
