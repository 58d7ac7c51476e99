package dev.septum.server.deploy.eapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.septum.server.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;

/**
 * A small eAPI-speaking switch for tests (no EOS can run here): HTTPS on 127.0.0.1 with a
 * self-signed certificate made by keytool, HTTP Basic auth, JSON-RPC {@code runCmds}, and the
 * configuration-session behaviour the driver relies on: sessions start from the running config,
 * {@code show session-config diffs} (text), {@code commit timer} (applies, keeps a backup),
 * {@code commit} (confirms), {@code abort} (discards, or restores the backup after a timed commit).
 * Errors have EOS's shape: code 1002, a message naming the command, and {@code data} holding the
 * results so far with the failing command's {@code errors} last.
 */
final class FakeEapiServer implements AutoCloseable {
    static final String USER = "septum";
    static final String PASSWORD = "eapi-test-password";

    private final HttpsServer server;
    private final X509Certificate certificate;
    final List<List<String>> requests = new CopyOnWriteArrayList<>();
    final List<String> rejectedTokens = new CopyOnWriteArrayList<>();
    volatile String commitError = "";
    private List<String> running = new ArrayList<>(List.of("hostname sw1", "traffic-policies", "   traffic-policy old", "      match x ipv4"));
    private final Map<String, Session> sessions = new HashMap<>();

    private static final class Session {
        List<String> lines;
        List<String> backup;
        boolean timed;
    }

    FakeEapiServer(Path dir) throws Exception {
        Path keystore = dir.resolve("eapi.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "eapi", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        certificate = (X509Certificate) ks.getCertificate("eapi");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/command-api", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    X509Certificate certificate() {
        return certificate;
    }

    synchronized List<String> running() {
        return List.copyOf(running);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        JsonNode request = Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        List<String> cmds = new ArrayList<>();
        request.path("params").path("cmds").forEach(c -> cmds.add(c.asString()));
        requests.add(cmds);
        byte[] body = Json.write(run(request.path("id").asString(), cmds)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private synchronized Map<String, Object> run(String id, List<String> cmds) {
        List<Object> results = new ArrayList<>();
        String in = null;
        for (int i = 0; i < cmds.size(); i++) {
            String cmd = cmds.get(i).strip();
            Session s = in == null ? null : sessions.get(in);
            String error = null;
            Map<String, Object> result = new LinkedHashMap<>();
            if (cmd.equals("enable")) {
                // privileged already
            } else if (cmd.startsWith("configure session ") && cmd.endsWith(" commit")) {
                String name = cmd.substring(18, cmd.length() - 7);
                Session named = sessions.remove(name);
                if (named == null) {
                    error = "% Session " + name + " not found";
                } else if (!named.timed) {
                    running = named.lines;
                }
            } else if (cmd.startsWith("configure session ")) {
                in = cmd.substring(18);
                sessions.computeIfAbsent(in, n -> {
                    Session fresh = new Session();
                    fresh.lines = new ArrayList<>(running);
                    return fresh;
                });
            } else if (cmd.equals("show running-config section traffic-policies")) {
                result.put("output", String.join("\n", section(running)) + "\n");
            } else if (s == null) {
                error = "Invalid input (at token 0: '" + cmd.split(" ")[0] + "')";
            } else if (cmd.equals("show session-config diffs")) {
                StringBuilder diff = new StringBuilder("--- system:/running-config\n+++ session:/" + in + "-session-config\n");
                running.stream().filter(l -> !s.lines.contains(l)).forEach(l -> diff.append('-').append(l).append('\n'));
                s.lines.stream().filter(l -> !running.contains(l)).forEach(l -> diff.append('+').append(l).append('\n'));
                result.put("output", diff.toString());
            } else if (cmd.startsWith("commit timer ")) {
                if (!commitError.isEmpty()) {
                    error = commitError;
                } else {
                    s.backup = running;
                    running = new ArrayList<>(s.lines);
                    s.timed = true;
                }
            } else if (cmd.equals("abort")) {
                if (s.timed) {
                    running = s.backup;
                }
                sessions.remove(in);
            } else if (cmd.equals("no traffic-policies")) {
                List<String> kept = new ArrayList<>(s.lines);
                kept.removeAll(section(s.lines));
                s.lines = kept;
            } else {
                String raw = cmds.get(i);
                String bad = rejectedTokens.stream().filter(raw::contains).findFirst().orElse(null);
                if (bad != null) {
                    error = "Invalid input (at token 1: '" + bad + "')";
                } else {
                    s.lines.add(raw);
                }
            }
            if (error != null) {
                List<Object> data = new ArrayList<>(results);
                data.add(Map.of("errors", List.of(error)));
                return Map.of("jsonrpc", "2.0", "id", id, "error", Map.of("code", 1002,
                        "message", "CLI command " + (i + 1) + " of " + cmds.size() + " '" + cmds.get(i) + "' failed: invalid command",
                        "data", data));
            }
            results.add(result);
        }
        return Map.of("jsonrpc", "2.0", "id", id, "result", results);
    }

    /** The traffic-policies line and every indented line after it. */
    private static List<String> section(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean inside = false;
        for (String l : lines) {
            if (!l.startsWith(" ")) {
                inside = l.equals("traffic-policies");
            }
            if (inside) {
                out.add(l);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
