package dev.septum.deploy.eapi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Arista eAPI over HTTPS with the JDK's HttpClient: JSON-RPC {@code runCmds}, HTTP Basic auth, and
 * TLS that trusts exactly the device's own certificate (pinned per device), never "trust all".
 */
public final class EapiClient {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final URI endpoint;
    private final String authorization;
    private final HttpClient http;
    private final Duration timeout;
    private final AtomicLong ids = new AtomicLong();

    public EapiClient(URI device, String user, char[] password, X509Certificate pinned, Duration timeout) {
        this.endpoint = device.resolve("/command-api");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + new String(password))
                .getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().sslContext(pinnedContext(pinned)).connectTimeout(timeout).build();
    }

    /** Reads a PEM or DER certificate, as {@code openssl s_client -showcerts} or the device's own file gives it. */
    public static X509Certificate certificate(byte[] encoded) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    private static SSLContext pinnedContext(X509Certificate pinned) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("device", pinned);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context for the pinned certificate: " + e.getMessage(), e);
        }
    }

    /** Runs the commands in order; EOS stops at the first failure, which is thrown with EOS's error text. */
    public List<JsonNode> run(List<String> commands, String format) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("version", 1);
        params.put("cmds", commands);
        params.put("format", format);
        String id = "septum-" + ids.incrementAndGet();
        String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "method", "runCmds", "params", params, "id", id));
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json-rpc").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new EapiException(0, "eAPI at " + endpoint + " is unreachable: " + e.getMessage(), "", List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EapiException(0, "interrupted while calling eAPI at " + endpoint, "", List.of());
        }
        if (response.statusCode() != 200) {
            throw new EapiException(response.statusCode(), "eAPI at " + endpoint + " answered HTTP " + response.statusCode()
                    + (response.statusCode() == 401 ? " (check the device credentials)" : ""), "", List.of());
        }
        JsonNode reply;
        try {
            reply = JSON.readTree(response.body());
        } catch (JacksonException e) {
            // a proxy or a non-EOS server answered: say so rather than fail somewhere deeper
            throw new EapiException(0, "eAPI at " + endpoint + " answered with something that is not JSON-RPC ("
                    + e.getOriginalMessage() + "); check that the target URL is the switch's eAPI (management api http-commands)",
                    "", List.of());
        }
        JsonNode error = reply.path("error");
        if (error.isObject()) {
            // data holds the results of the commands that ran; the last one is the failing command
            JsonNode data = error.path("data");
            int failedIndex = Math.max(0, data.size() - 1);
            List<String> errors = new ArrayList<>();
            data.path(failedIndex).path("errors").forEach(e -> errors.add(e.asString()));
            String failed = failedIndex < commands.size() ? commands.get(failedIndex) : "";
            throw new EapiException(error.path("code").asInt(), error.path("message").asString(), failed, errors);
        }
        List<JsonNode> results = new ArrayList<>();
        reply.path("result").forEach(results::add);
        return results;
    }
}
