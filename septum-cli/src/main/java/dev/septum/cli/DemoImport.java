package dev.septum.cli;

import dev.septum.server.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code serve --demo}: imports the seed lab (shipped in the jar) into a server with no policy yet,
 * through the server's own REST API as the admin, as any client would.
 */
final class DemoImport {
    static final List<String> FILES = List.of("inventory.yaml", "lab.yaml", "objects.yaml", "policies.yaml");

    private DemoImport() {
    }

    /** What happened: "imported" (version 1) or "kept" (the server already had a policy). */
    static String run(String base, String adminPassword) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> versions = send(http, HttpRequest.newBuilder(URI.create(base + "/api/versions?limit=1"))
                .header("Authorization", basic).GET());
        if (versions.statusCode() != 200) {
            throw new IllegalStateException("cannot list versions as admin (" + versions.statusCode() + "): " + versions.body());
        }
        if (!Json.read(versions.body()).path("versions").isEmpty()) {
            return "kept";
        }
        String body = Json.write(Map.of("message", "seed lab (serve --demo)", "files", seedLab()));
        HttpResponse<String> imported = send(http, HttpRequest.newBuilder(URI.create(base + "/api/versions")).header("Authorization", basic)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (imported.statusCode() != 201) {
            throw new IllegalStateException("the seed lab import was refused (" + imported.statusCode() + "): " + imported.body());
        }
        return "imported";
    }

    private static Map<String, String> seedLab() {
        Map<String, String> files = new TreeMap<>();
        for (String name : FILES) {
            try (InputStream in = DemoImport.class.getResourceAsStream("/demo/seed-lab/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the jar has no demo/seed-lab/" + name + "; rebuild it with ./mvnw package");
                }
                files.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("the demo import could not reach the server: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
