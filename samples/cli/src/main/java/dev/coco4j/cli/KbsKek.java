package dev.coco4j.cli;

import dev.coco4j.core.envelope.KeyEncryptionKey;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.envelope.KbsKeyEncryptionKey;

/**
 * {@code envelope --kbs-url URL --kbs-key REPO/TYPE/TAG}: a {@link KbsKeyEncryptionKey} that owns its client, so
 * destroying it also closes the client (and its TEE keys).
 */
final class KbsKek implements KeyEncryptionKey {
    private final KbsClient client;
    private final KbsKeyEncryptionKey kek;

    private KbsKek(KbsClient client, KbsKeyEncryptionKey kek) {
        this.client = client;
        this.kek = kek;
    }

    static KbsKek open(KbsConnection.Settings settings, String resource) {
        KbsClient client = KbsConnection.open(settings);
        try {
            return new KbsKek(client, KbsKeyEncryptionKey.builder().client(client).resource(resource).build());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public String id() {
        return kek.id();
    }

    @Override
    public byte[] wrap(byte[] dataKey, byte[] aad) {
        return kek.wrap(dataKey, aad);
    }

    @Override
    public byte[] unwrap(byte[] wrappedKey, byte[] aad) {
        return kek.unwrap(wrappedKey, aad);
    }

    @Override
    public void destroy() {
        kek.destroy();
        client.close();
    }

    @Override
    public boolean isDestroyed() {
        return kek.isDestroyed();
    }

    @Override
    public String toString() {
        return kek.toString();
    }
}
