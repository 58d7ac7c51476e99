package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code septum serve --demo}: the seed lab imported from the jar, the web UI's address and the first login printed. */
class ServeDemoTest {
    private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+) \\(web UI: /");

    @TempDir
    Path dataDir;

    @Test
    void importsTheSeedLabOnceAndSaysHowToLogIn() throws Exception {
        String base;
        try (ServeProcess serve = ServeProcess.start(Map.of(), "--demo", "--data-dir", dataDir.toString(), "--port", "0",
                "--counter-interval", "0")) {
            base = serve.awaitLine(URL).group(1);
            serve.awaitLine(Pattern.compile("demo: imported the seed lab as version 1"));
            Path passwordFile = dataDir.resolve("initial-admin-password");
            serve.awaitLine(Pattern.compile(Pattern.quote("open " + base + "/ and log in as admin with the password in " + passwordFile)));
            String password = Files.readString(passwordFile).strip();
            assertThat(serve.seen()).doesNotContain(password);

            HttpResponse<String> versions = get(base + "/api/versions", password);
            assertThat(versions.body()).contains("\"id\":1").contains("seed lab (serve --demo)").contains("\"state\":\"approved\"");
            HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("<form method=\"post\" action=\"/login\">");
            assertThat(serve.stop()).isTrue();
        }
        // a second start keeps what the first imported
        try (ServeProcess again = ServeProcess.start(Map.of(), "--demo", "--data-dir", dataDir.toString(), "--port", "0",
                "--counter-interval", "0")) {
            again.awaitLine(Pattern.compile("demo: the server already has a policy; imported nothing"));
        }
    }

    private static HttpResponse<String> get(String url, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic " + basic)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
