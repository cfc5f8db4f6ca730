package dev.coco4j.core.internal;

import java.io.IOException;
import java.net.InetAddress;

/** Decides whether a URL host is this machine's loopback, the only place plain HTTP is allowed. */
public final class LoopbackHosts {
    private LoopbackHosts() {
    }

    /**
     * True for {@code localhost} and loopback IP literals (127.0.0.0/8, ::1 in any spelling). Other names are never
     * looked up in DNS, so a name that resolves to 127.0.0.1 does not count.
     *
     * @param host a URL host (IPv6 literals with or without brackets)
     * @return whether plain HTTP to it stays on this machine
     */
    public static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean literal = h.contains(":") || h.matches("[0-9.]+");
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
