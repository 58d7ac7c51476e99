package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code septum serve} with TLS: a self-signed certificate for 127.0.0.1 made by the JDK's keytool
 * (PKCS#12) or by openssl (PEM), a JDK HttpClient that trusts exactly that certificate, and a
 * plain-HTTP request to the same port that must not be answered by the API.
 */
class TlsTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private Path keytoolKeystore(String password) throws Exception {
        Path store = dir.resolve("server.p12");
        run(List.of("keytool", "-genkeypair", "-alias", "septum", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", password, "-keypass", password));
        run(List.of("keytool", "-exportcert", "-rfc", "-alias", "septum", "-keystore", store.toString(),
                "-storepass", password, "-file", dir.resolve("server.crt").toString()));
        return store;
    }

    private static HttpClient trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("septum", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(T).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(T).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertServesHttpsOnly(ServerConfig config, Path certificate) throws Exception {
        try (SeptumServer server = SeptumServer.start(config.withAdminPassword("tls-test-admin-password"))) {
            HttpResponse<String> ok = get(trusting(certificate), "https://127.0.0.1:" + server.port() + "/openapi.json");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"openapi\"");

            // plain HTTP to the same port reaches only the TLS handshake, never the API
            HttpClient plain = HttpClient.newBuilder().connectTimeout(T).build();
            try {
                HttpResponse<String> refused = get(plain, "http://127.0.0.1:" + server.port() + "/openapi.json");
                assertThat(refused.statusCode()).isNotEqualTo(200);
                assertThat(refused.body()).doesNotContain("\"openapi\"");
            } catch (IOException expected) {
                // the connection was closed: also not served
            }

            // a client that does not trust this certificate refuses the server
            assertThatThrownBy(() -> get(HttpClient.newBuilder().connectTimeout(T).build(),
                    "https://127.0.0.1:" + server.port() + "/openapi.json")).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void servesHttpsFromAPkcs12KeystoreMadeByKeytool() throws Exception {
        Path store = keytoolKeystore("changeit-tls");
        assertServesHttpsOnly(ServerConfig.local(dir.resolve("data")).withTls(new TlsConfig.Pkcs12(store, "changeit-tls")),
                dir.resolve("server.crt"));
    }

    @Test
    void servesHttpsFromPemCertificateAndPkcs8Key() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1"));
        assertServesHttpsOnly(ServerConfig.local(dir.resolve("data")).withTls(new TlsConfig.Pem(cert, key)), cert);
    }

    @Test
    void aWrongKeystorePasswordStopsTheStartWithAClearMessage() throws Exception {
        Path store = keytoolKeystore("changeit-tls");
        assertThatThrownBy(() -> SeptumServer.start(ServerConfig.local(dir.resolve("data"))
                .withTls(new TlsConfig.Pkcs12(store, "wrong"))))
                .hasMessageContaining("--tls-keystore " + store)
                .hasMessageContaining("SEPTUM_TLS_KEYSTORE_PASSWORD")
                .hasMessageNotContaining("wrong");
    }
}
