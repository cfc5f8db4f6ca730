package dev.coco4j.cli;

import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.sev.kds.KdsClient;
import dev.coco4j.sev.verify.CrlFetcher;
import dev.coco4j.sev.verify.VekFetcher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@code verify snp} gets collateral it was not given when online: the AMD KDS (or the mirror named by
 * {@code --kds-url}) through one collateral fetcher per process, with bounded retries and backoff on 429/5xx and an
 * in-memory cache. With {@code --offline} none of this is used.
 */
final class OnlineSources {
    private static final CollateralFetcher FETCHER = CollateralFetcher.builder().build();
    private static final Map<String, KdsClient> CLIENTS = new ConcurrentHashMap<>();

    private OnlineSources() {
    }

    private static KdsClient kds(String baseUrl) {
        String key = baseUrl == null ? "" : baseUrl;
        return CLIENTS.computeIfAbsent(key, k -> {
            KdsClient.Builder b = KdsClient.builder().fetcher(FETCHER);
            if (!k.isEmpty()) {
                b.baseUrl(k);
            }
            return b.build();
        });
    }

    /** Fetches VCEKs from the KDS at {@code baseUrl} (null: AMD's). */
    static VekFetcher vekFetcher(String baseUrl) {
        return (product, chipId, tcb) -> kds(baseUrl).fetchVcek(product, chipId, tcb);
    }

    /** Fetches AMD's CRLs from the KDS at {@code baseUrl} (null: AMD's). */
    static CrlFetcher crlFetcher(String baseUrl) {
        return (product, kind) -> kds(baseUrl).fetchCrl(product, KdsClient.KeyKind.valueOf(kind.name()));
    }
}
