package dev.coco4j.kbs.internal;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.internal.LoopbackHosts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Base-URL checks and OkHttp construction shared by the CDH and KBS admin clients: {@code scheme://host:port} only,
 * plain http only to loopback, https only with an explicit trust configuration (never trust-all), no redirects.
 */
public final class HttpClients {
    private HttpClients() {
    }

    /**
     * Parses {@code baseUrl}, which must be {@code scheme://host:port} only; {@code what} names the service.
     *
     * @param baseUrl the URL text; null is refused
     * @param what the service name used in error messages, e.g. {@code CDH}
     * @return the parsed URL with its path normalised to {@code /}
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if the URL is missing or malformed, or has a path,
     *     query or user info
     */
    public static HttpUrl baseUrl(String baseUrl, String what) {
        if (baseUrl == null) {
            throw new ConfigurationException(Reason.CONFIGURATION, what + " base URL missing");
        }
        HttpUrl url = HttpUrl.parse(baseUrl);
        if (url == null) {
            throw new ConfigurationException(Reason.CONFIGURATION, "malformed " + what + " URL '" + baseUrl + "'");
        }
        String p = url.encodedPath();
        if (!p.isEmpty() && !p.equals("/") || url.query() != null || !url.username().isEmpty()
                || !url.password().isEmpty()) {
            throw new ConfigurationException(Reason.CONFIGURATION,
                    "the " + what + " URL is scheme://host:port only, got '" + url.redact() + "'");
        }
        return url.newBuilder().encodedPath("/").build();
    }

    /**
     * Reads the CA certificate(s) of a PEM or DER file into a key store.
     *
     * @param pem a file with one or more certificates, PEM or DER
     * @param what the service name used in error messages
     * @return a new in-memory PKCS#12 key store holding the certificates as trusted entries {@code ca0}, {@code ca1},
     *     ...
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if the file cannot be read or parsed
     */
    public static KeyStore trustStoreOf(Path pem, String what) {
        try {
            List<X509Certificate> certs = Certificates.parseAll(Files.readAllBytes(pem));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < certs.size(); i++) {
                ks.setCertificateEntry("ca" + i, certs.get(i));
            }
            return ks;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot read " + what + " CA file " + pem, e);
        }
    }

    /**
     * Reads a secret text file (a token), trimmed; the content never appears in a message.
     *
     * @param file the file to read as UTF-8
     * @param what what the file holds, used in error messages (never the content)
     * @return the content with leading and trailing white space removed, never empty
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if the file cannot be read or is blank
     */
    public static String readSecretFile(Path file, String what) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (s.isEmpty()) {
                throw new ConfigurationException(Reason.CONFIGURATION, what + " file " + file + " is empty");
            }
            return s;
        } catch (IOException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot read " + what + " file " + file, e);
        }
    }

    /**
     * An OkHttp client for {@code url}: every timeout set to {@code timeout}, no redirects, no silent retries.
     *
     * @param url the service base URL, as returned by {@link #baseUrl(String, String)}
     * @param timeout the call, connect, read and write timeout; not null
     * @param trustStore the trust anchors for https, or null to rely on {@code systemTrust}
     * @param systemTrust whether https may use the JDK's default CA set when {@code trustStore} is null
     * @param what the service name used in error messages
     * @return a new client keeping up to 16 idle connections
     * @throws ConfigurationException if http goes to a non-loopback host, or https has neither a trust store nor
     *     system trust
     */
    public static OkHttpClient build(HttpUrl url, Duration timeout, KeyStore trustStore, boolean systemTrust,
            String what) {
        return build(url, timeout, trustStore, systemTrust, what, 16);
    }

    /**
     * As {@link #build(HttpUrl, Duration, KeyStore, boolean, String)}, keeping up to {@code idleConnections} pooled
     * connections (a client shared by many threads keeps theirs instead of reconnecting).
     *
     * @param url the service base URL, as returned by {@link #baseUrl(String, String)}
     * @param timeout the call, connect, read and write timeout; not null
     * @param trustStore the trust anchors for https, or null to rely on {@code systemTrust}
     * @param systemTrust whether https may use the JDK's default CA set when {@code trustStore} is null
     * @param what the service name used in error messages
     * @param idleConnections the most idle connections kept, each for up to one minute; positive
     * @return a new client
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if http goes to a non-loopback host, https has
     *     neither a trust store nor system trust, or the trust store is unusable
     */
    public static OkHttpClient build(HttpUrl url, Duration timeout, KeyStore trustStore, boolean systemTrust,
            String what, int idleConnections) {
        OkHttpClient.Builder hb = new OkHttpClient.Builder().callTimeout(timeout).connectTimeout(timeout)
                .readTimeout(timeout).writeTimeout(timeout).followRedirects(false).followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(idleConnections, 1, TimeUnit.MINUTES));
        if (url.isHttps()) {
            if (trustStore != null) {
                try {
                    TrustManagerFactory tmf =
                            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(trustStore);
                    X509TrustManager tm = null;
                    for (TrustManager t : tmf.getTrustManagers()) {
                        if (t instanceof X509TrustManager x) {
                            tm = x;
                        }
                    }
                    SSLContext ctx = SSLContext.getInstance("TLS");
                    ctx.init(null, new TrustManager[] {tm}, null);
                    hb.sslSocketFactory(ctx.getSocketFactory(), Objects.requireNonNull(tm));
                } catch (GeneralSecurityException e) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "unusable " + what + " trust store", e);
                }
            } else if (!systemTrust) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "https " + what + " needs a trust configuration (trustCaFile, trustStore or systemTrust)");
            }
        } else if (!LoopbackHosts.isLoopback(url.host())) {
            throw new ConfigurationException(Reason.CONFIGURATION,
                    "plain http is allowed only to loopback addresses; use https for " + url.host());
        }
        return hb.build();
    }

    /**
     * Validates a positive timeout.
     *
     * @param timeout the timeout to check; not null
     * @return {@code timeout} itself
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if it is zero or negative
     */
    public static Duration positive(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "timeout must be positive");
        }
        return timeout;
    }

    /**
     * Up to 200 printable characters of an error body, for messages.
     *
     * @param body the response body, decoded as UTF-8 (malformed bytes replaced); not null
     * @return the text with control characters turned into spaces, stripped, cut to 200 characters plus an ellipsis
     */
    public static String excerpt(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}&&[^ ]]", " ").strip();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static final java.util.regex.Pattern SEGMENT =
            java.util.regex.Pattern.compile("^[A-Za-z0-9_-]+[A-Za-z0-9_.-]*$");

    /**
     * The three segments of a KBS resource path {@code repo/type/tag} or {@code kbs:///repo/type/tag} (also
     * {@code kbs+resource:///...}), each matching Trustee's {@code ^[A-Za-z0-9_-]+[A-Za-z0-9_.-]*$}.
     *
     * @param path the path or URI; not null; the host and port of a URI are ignored
     * @return a new array of exactly three segments: repo, type, tag
     * @throws ConfigurationException otherwise
     */
    public static String[] resourceSegments(String path) {
        Objects.requireNonNull(path, "path");
        String p = path;
        for (String scheme : new String[] {"kbs://", "kbs+resource://"}) {
            if (p.startsWith(scheme)) {
                p = p.substring(scheme.length());
                int slash = p.indexOf('/');
                if (slash < 0) {
                    throw new ConfigurationException(Reason.CONFIGURATION,
                            "a KBS resource URI is kbs:///repo/type/tag, got '" + path + "'");
                }
                p = p.substring(slash + 1); // the host and port of a resource URI are ignored
            }
        }
        String[] seg = p.split("/", -1);
        if (seg.length != 3) {
            throw new ConfigurationException(Reason.CONFIGURATION,
                    "a KBS resource path is repo/type/tag, got '" + path + "'");
        }
        for (String s : seg) {
            if (!SEGMENT.matcher(s).matches()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "invalid KBS resource path segment '" + s
                        + "'");
            }
        }
        return seg;
    }

    /**
     * Closes an OkHttp client's pools.
     *
     * @param http the client to shut down; not null. Its executor stops accepting calls and idle connections close
     */
    public static void shutdown(OkHttpClient http) {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
