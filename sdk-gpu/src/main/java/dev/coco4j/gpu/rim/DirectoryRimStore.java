package dev.coco4j.gpu.rim;

import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * RIMs in a local directory (air-gapped operation): the RIM {@code <id>} is read from {@code <dir>/<id>.xml} or
 * {@code <dir>/<id>.swidtag}. Ids are restricted to {@code [A-Za-z0-9._-]} so they cannot leave the directory. A
 * missing file is {@link Reason#RIM_NOT_FOUND}.
 */
public final class DirectoryRimStore implements RimSource {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private final Path dir;

    /**
     * A store over {@code dir}.
     *
     * @param dir the directory holding {@code <id>.xml} or {@code <id>.swidtag} files; must not be {@code null}; not
     *     read until {@link #fetch} (it need not exist yet)
     */
    public DirectoryRimStore(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    @Override
    public byte[] fetch(String rimId) {
        if (!ID.matcher(rimId).matches() || rimId.contains("..")) {
            throw new ConfigurationException(Reason.CONFIGURATION, "not a RIM id: " + rimId);
        }
        for (String ext : new String[] {".xml", ".swidtag"}) {
            Path p = dir.resolve(rimId + ext);
            if (Files.isRegularFile(p)) {
                try {
                    if (Files.size(p) > RimParser.MAX_LENGTH) {
                        throw new CollateralException(Reason.RIM_INVALID, "RIM file " + p + " is too large");
                    }
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE, "cannot read " + p, e);
                }
            }
        }
        throw new CollateralException(Reason.RIM_NOT_FOUND, "RIM " + rimId + " is not in " + dir);
    }
}
