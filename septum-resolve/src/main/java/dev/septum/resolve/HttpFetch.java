package dev.septum.resolve;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one HTTP client of the sources: TLS verified (the JDK's CAs, or a source's {@code ca-file}
 * instead, never off), no redirects (an auth header is never carried to another host), bounded
 * time and body.
 */
final class HttpFetch {
    static final int MAX_BODY = 8 * 1024 * 1024;
    static final Duration CONNECT = Duration.ofSeconds(5);
    static final Duration REQUEST = Duration.ofSeconds(15);

    private final Path baseDir;

    /** @param baseDir where a relative {@code ca-file} is looked up: the policy directory */
    HttpFetch(Path baseDir) {
        this.baseDir = baseDir;
    }

    JsonNode get(URI url, Map<String, String> headers, Optional<String> caFile) throws SourceFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(REQUEST).GET().header("Accept", "application/json");
        headers.forEach(request::header);
        return send(request.build(), caFile);
    }

    JsonNode post(URI url, Map<String, String> headers, JsonNode body) throws SourceFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(REQUEST)
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)))
                .header("Content-Type", "application/json").header("Accept", "application/json");
        headers.forEach(request::header);
        return send(request.build(), Optional.empty());
    }

    private JsonNode send(HttpRequest request, Optional<String> caFile) throws SourceFailure {
        String where = request.method() + " " + shown(request.uri());
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(CONNECT).followRedirects(HttpClient.Redirect.NEVER);
        if (caFile.isPresent()) {
            client.sslContext(trusting(caFile.get()));
        }
        try (HttpClient http = client.build()) {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] body = in.readNBytes(MAX_BODY + 1);
                if (body.length > MAX_BODY) {
                    throw new SourceFailure(where + ": the answer is larger than " + MAX_BODY / (1024 * 1024) + " MiB");
                }
                if (response.statusCode() / 100 != 2) {
                    throw new SourceFailure(where + ": HTTP " + response.statusCode()
                            + (response.statusCode() == 401 || response.statusCode() == 403
                            ? " (check the credential in the auth-env variable)" : ""));
                }
                return Json.MAPPER.readTree(body);
            }
        } catch (SSLHandshakeException e) {
            throw new SourceFailure(where + ": the server's certificate is not trusted (" + e.getMessage()
                    + "); set ca-file to the CA that signed it");
        } catch (JacksonException e) {
            throw new SourceFailure(where + ": the answer is not JSON: " + ParseProblem.at(e));
        } catch (IOException e) {
            throw new SourceFailure(where + ": " + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceFailure(where + ": interrupted");
        }
    }

    /** Without the query: it may hold filters the user typed, but never shows more than the path. */
    private static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + Optional.ofNullable(uri.getRawPath()).orElse("");
    }

    private SSLContext trusting(String caFile) throws SourceFailure {
        Path file = baseDir.resolve(caFile).normalize();
        if (!file.startsWith(baseDir.normalize())) {
            throw new SourceFailure("ca-file " + caFile + " is outside " + baseDir);
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + i++, (X509Certificate) cert);
            }
            if (i == 0) {
                throw new SourceFailure("ca-file " + caFile + " holds no PEM certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new SourceFailure("ca-file " + caFile + " cannot be read as PEM certificates: " + e.getMessage());
        }
    }

    /**
     * Built on the first request: every command that reads a policy makes an HttpFetch, and building
     * a JSON mapper (about 200 classes initialised) would cost each of them start-up time for
     * sources that are most often only files.
     */
    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }
}
