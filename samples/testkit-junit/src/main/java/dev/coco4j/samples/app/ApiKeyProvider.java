package dev.coco4j.samples.app;

import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An ordinary application component: it gets an API key for a downstream service from a Trustee KBS, which releases
 * it only to an attested workload. The application code knows nothing about TEEs; it is handed a {@link KbsClient}
 * (built with the machine's attester in production, with the testkit's simulated one in tests).
 */
public final class ApiKeyProvider {
    private final KbsClient kbs;
    private final String resource;

    /**
     * A provider reading {@code resource} ({@code repo/type/tag}) through {@code kbs}.
     *
     * @param kbs the KBS client; the caller owns and closes it
     * @param resource the KBS resource holding the key, UTF-8 text
     */
    public ApiKeyProvider(KbsClient kbs, String resource) {
        this.kbs = Objects.requireNonNull(kbs, "kbs");
        this.resource = Objects.requireNonNull(resource, "resource");
    }

    /**
     * The API key, fetched now (the client attests first if it holds no valid token).
     *
     * @return the resource decoded as UTF-8 with leading and trailing white space stripped; a secret, do not log it
     * @throws dev.coco4j.core.KeyReleaseException if the KBS refuses or does not have the key
     */
    public String apiKey() {
        try (KbsSecret s = kbs.getResource(resource)) {
            return new String(s.bytes(), StandardCharsets.UTF_8).strip();
        }
    }

    /** Shows the resource path only, never the key. */
    @Override
    public String toString() {
        return "ApiKeyProvider[" + resource + "]";
    }
}
