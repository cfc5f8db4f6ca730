package dev.coco4j.tdx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Reads the real TDX vectors copied from shared/vectors/tdx into test resources (see PROVENANCE.md there). */
public final class Vectors {
    private Vectors() {
    }

    /** Set A quote (v4, UpToDate). */
    public static final String SET_A_QUOTE = "phala-dcap-qvl/quote_v4_fmspcb0c06f000000_uptodate.dat";
    /** Set B quote (v5, no matching TCB level). */
    public static final String SET_B_QUOTE = "phala-dcap-qvl/quote_v5_tdx15_fmspc90c06f000000_no_matching_tcb.dat";
    /** Set C quote (v4 SPR E4, 39 trailing text bytes). */
    public static final String SET_C_QUOTE = "google-go-tdx-guest/quote_v4_fmspc50806f000000_spr_e4.dat";
    /** Set D quote (v5). */
    public static final String SET_D_QUOTE = "google-go-tdx-guest/quote_v5_tdx15_fmspc90c06f000000.dat";
    /** Set E quote (v4, 70 bytes padding). */
    public static final String SET_E_QUOTE = "trustee/quote_v4_fmspc00a06d080000_70byte_pad.dat";
    /** Every real quote in the vectors. */
    public static final String[] ALL_QUOTES = {
        SET_A_QUOTE, SET_B_QUOTE, SET_C_QUOTE, SET_D_QUOTE, SET_E_QUOTE,
        "google-go-tdx-guest/quote_v4_gce_cos113_fmspc00806f050000_8000byte_buffer.dat",
        "trustee/quote_v4_fmspc50806f000000.dat",
        "trustee/quote_v5_tdx15_fmspc90c06f000000.dat",
        "trustee/az_tdx_vtpm_td_quote_v4_fmspc00806f050000.bin",
    };

    /** The bytes of {@code vectors/tdx/<path>}. */
    public static byte[] bytes(String path) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/tdx/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test vector " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file-system path of a vector directory (test resources are files under Maven). */
    public static Path path(String path) {
        try {
            return Paths.get(Vectors.class.getResource("/vectors/tdx/" + path).toURI());
        } catch (Exception e) {
            throw new IllegalArgumentException(path, e);
        }
    }
}
