package dev.coco4j.gpu.rim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.collateral.CachePolicy;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.collateral.CollateralRequest;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * NVIDIA's RIM service through core's {@link CollateralFetcher} (timeouts, retries, caching, offline bundles):
 * {@code GET <base>/v1/rim/<id>} answers JSON whose {@code "rim"} field is the base64 SWID XML. HTTP 404 is
 * {@link Reason#RIM_NOT_FOUND} naming the id (the most common field failure: RIMs lag driver and VBIOS releases).
 * An optional service key is sent as {@code Authorization: Bearer}. RIMs are cached for a day by default.
 */
public final class RimServiceClient implements RimSource {
    /** NVIDIA's public RIM service. */
    public static final String NVIDIA_BASE_URL = "https://rim.attestation.nvidia.com";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private final CollateralFetcher fetcher;
    private final String baseUrl;
    private final String serviceKey;
    private final Duration cacheTtl;

    private RimServiceClient(Builder b) {
        this.fetcher = b.fetcher;
        this.baseUrl = b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
        this.serviceKey = b.serviceKey;
        this.cacheTtl = b.cacheTtl;
    }

    /**
     * A builder: NVIDIA's base URL, no service key, one-day cache.
     *
     * @return a new builder with those defaults; {@link Builder#fetcher} must still be set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The URL a RIM id is fetched from.
     *
     * @param rimId the RIM id, appended as is (not checked here; {@link #fetch} checks it)
     * @return the absolute URL {@code <base>/v1/rim/<rimId>}
     */
    public String url(String rimId) {
        return baseUrl + "/v1/rim/" + rimId;
    }

    @Override
    public byte[] fetch(String rimId) {
        if (!ID.matcher(rimId).matches()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "not a RIM id: " + rimId);
        }
        CollateralRequest.Builder req = CollateralRequest.builder(url(rimId))
                .cachePolicy(new CachePolicy.Ttl(cacheTtl))
                .validator(RimServiceClient::decode);
        if (serviceKey != null) {
            req.header("Authorization", "Bearer " + serviceKey);
        }
        try {
            return decode(fetcher.fetch(req.build()).body());
        } catch (CollateralException e) {
            if (e.reason() == Reason.COLLATERAL_UNAVAILABLE && e.detail().contains("answered HTTP 404")) {
                throw new CollateralException(Reason.RIM_NOT_FOUND, "NVIDIA's RIM service has no RIM " + rimId, e);
            }
            throw e;
        }
    }

    private static byte[] decode(byte[] body) {
        try {
            JsonNode n = new ObjectMapper().readTree(body);
            JsonNode rim = n == null ? null : n.get("rim");
            if (rim == null || !rim.isTextual()) {
                throw new CollateralException(Reason.RIM_INVALID, "RIM service answer has no 'rim' field");
            }
            return Base64.getMimeDecoder().decode(rim.asText());
        } catch (CollateralException e) {
            throw e;
        } catch (Exception e) {
            throw new CollateralException(Reason.RIM_INVALID, "RIM service answer is not JSON with a base64 'rim'", e);
        }
    }

    /** Builder for {@link RimServiceClient}. */
    public static final class Builder {
        private CollateralFetcher fetcher;
        private String baseUrl = NVIDIA_BASE_URL;
        private String serviceKey;
        private Duration cacheTtl = Duration.ofDays(1);

        private Builder() {
        }

        /**
         * The collateral fetcher (required).
         *
         * @param fetcher the fetcher that does the HTTP requests, retries and caching; must not be {@code null}
         * @return this builder
         */
        public Builder fetcher(CollateralFetcher fetcher) {
            this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
            return this;
        }

        /**
         * The service base URL (a mirror, a self-hosted RIM store, a test server).
         *
         * @param baseUrl the base URL without {@code /v1/rim}; a trailing {@code /} is dropped; must not be
         *     {@code null}
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * A service key sent as a bearer token; never logged.
         *
         * @param key the service key, or {@code null} for none (the default)
         * @return this builder
         */
        public Builder serviceKey(String key) {
            this.serviceKey = key;
            return this;
        }

        /**
         * How long fetched RIMs are cached.
         *
         * @param ttl how long a fetched RIM is reused from the fetcher's cache; must not be {@code null}
         * @return this builder
         */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * {@return a new {@code RimServiceClient} with these settings}
         *
         * @throws ConfigurationException without a fetcher
         */
        public RimServiceClient build() {
            if (fetcher == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "RimServiceClient needs a CollateralFetcher");
            }
            return new RimServiceClient(this);
        }
    }
}
