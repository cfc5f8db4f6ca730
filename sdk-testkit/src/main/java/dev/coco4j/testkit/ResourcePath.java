package dev.coco4j.testkit;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The address of a KBS resource, {@code <repository>/<type>/<tag>}, as the Trustee {@code resource} plugin takes it
 * ({@code GET /kbs/v0/resource/<repository>/<type>/<tag>}). Each segment matches
 * {@code ^[A-Za-z0-9_-]+[A-Za-z0-9_.-]*$}, so a path can never climb out of the repository ({@code ..} is refused).
 * Immutable. Part of the testkit: for development and tests, not production.
 *
 * @param repository the repository segment
 * @param type the type segment
 * @param tag the tag segment
 */
public record ResourcePath(String repository, String type, String tag) {
    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9_-]+[A-Za-z0-9_.-]*$");

    /**
     * Checks every segment.
     *
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if a segment is null or does not match the
     *     pattern
     */
    public ResourcePath {
        check(repository);
        check(type);
        check(tag);
    }

    /**
     * Parses {@code repo/type/tag} (a leading slash is allowed).
     *
     * @param path the path text, not null, e.g. {@code default/key/app} or {@code /default/key/app}
     * @return the parsed path
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} unless there are exactly three valid
     *     segments
     */
    public static ResourcePath parse(String path) {
        Objects.requireNonNull(path, "path");
        String p = path.startsWith("/") ? path.substring(1) : path;
        String[] parts = p.split("/", -1);
        if (parts.length != 3) {
            throw new ConfigurationException(Reason.CONFIGURATION,
                    "a resource path has exactly three segments (repository/type/tag)");
        }
        return new ResourcePath(parts[0], parts[1], parts[2]);
    }

    /**
     * True if {@code segment} is a valid path segment.
     *
     * @param segment the candidate segment; null allowed
     * @return true if it is non-null and matches {@code ^[A-Za-z0-9_-]+[A-Za-z0-9_.-]*$}; false for null, empty,
     *     {@code .}, {@code ..} or any text with a slash or other character outside the pattern
     */
    public static boolean isValidSegment(String segment) {
        return segment != null && SEGMENT.matcher(segment).matches();
    }

    private static void check(String segment) {
        if (!isValidSegment(segment)) {
            throw new ConfigurationException(Reason.CONFIGURATION,
                    "resource path segments match [A-Za-z0-9_-]+[A-Za-z0-9_.-]*");
        }
    }

    /** {@code repository/type/tag}. */
    @Override
    public String toString() {
        return repository + "/" + type + "/" + tag;
    }
}
