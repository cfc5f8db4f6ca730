package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.internal.Hex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/** Reads the command's input files; a missing or unreadable file is a {@link Reason#CONFIGURATION} error (exit 2). */
final class InputFiles {
    private InputFiles() {
    }

    /** The file's bytes. */
    static byte[] read(String option, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, option + ": no such file " + file);
        } catch (IOException | SecurityException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, option + ": cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Binary evidence: raw bytes, or hex text with whitespace. */
    static byte[] binary(String option, Path file) {
        return Hex.rawOrHex(read(option, file));
    }

    /** Every certificate in a DER or PEM file, in file order. */
    static List<X509Certificate> certificates(String option, Path file) {
        return Certificates.parseAll(read(option, file));
    }

    /** The first certificate in a DER or PEM file. */
    static X509Certificate certificate(String option, Path file) {
        return certificates(option, file).getFirst();
    }

    /** A CRL in DER or PEM. */
    static X509CRL crl(String option, Path file) {
        return Certificates.parseCrl(read(option, file));
    }
}
