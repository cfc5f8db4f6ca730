package dev.coco4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoopbackHostsTest {
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1"})
    void loopbackHostsAllowPlainHttp(String host) {
        assertThat(LoopbackHosts.isLoopback(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "192.168.1.1", "::2", "kbs.example", "localhost.example", "127.0.0.1.nip.io",
        "1.2.3.4"})
    void everythingElseDoesNot(String host) {
        assertThat(LoopbackHosts.isLoopback(host)).isFalse();
    }
}
