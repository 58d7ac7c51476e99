package dev.septum.deploy.eapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
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
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small eAPI-speaking switch for tests (no EOS can run here): HTTPS on 127.0.0.1 with a
 * self-signed certificate made by keytool, HTTP Basic auth, JSON-RPC {@code runCmds}, and the
 * configuration-session behaviour the driver relies on: sessions start from the running config,
 * {@code show session-config diffs} (text), {@code commit timer} (applies, keeps a backup),
 * {@code commit} (confirms), {@code abort} (discards, or restores the backup after a timed commit).
 * Errors have EOS's shape: code 1002, a message naming the command, and {@code data} holding the
 * results so far with the failing command's {@code errors} last. {@code show traffic-policy counters}
 * answers for the running traffic-policies in the shape {@code EosCounters} documents (hits set by
 * the test), or with an invalid-input error, another reply, or a raw non-JSON body when told to.
 * Shared with septum-server's tests through this module's test-jar.
 */
public final class EapiTestServer implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    public static final String USER = "septum";
    public static final String PASSWORD = "eapi-test-password";

    private final HttpsServer server;
    private final X509Certificate certificate;
    public final List<List<String>> requests = new CopyOnWriteArrayList<>();
    public final List<String> rejectedTokens = new CopyOnWriteArrayList<>();
    public volatile String commitError = "";
    /** Hits per match name for {@code show traffic-policy counters} (bytes are 100 per packet). */
    public final Map<String, Long> hits = new java.util.concurrent.ConcurrentHashMap<>();
    /** Commands this "release" does not know: answered with EOS's invalid-input error. */
    public final List<String> unsupportedCommands = new CopyOnWriteArrayList<>();
    /** When set, the reply to {@code show traffic-policy counters} instead of the one derived from the running config. */
    public volatile Map<String, Object> countersReply;
    /** When set, the raw HTTP body of every answer (e.g. a proxy's HTML page). */
    public volatile String rawReply;
    private List<String> running = new ArrayList<>(List.of("hostname sw1", "traffic-policies", "   traffic-policy old", "      match x ipv4"));
    private final Map<String, Session> sessions = new HashMap<>();

    private static final class Session {
        List<String> lines;
        List<String> backup;
        boolean timed;
    }

    public EapiTestServer(Path dir) throws Exception {
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

    public URI uri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public synchronized List<String> running() {
        return List.copyOf(running);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        JsonNode request = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        List<String> cmds = new ArrayList<>();
        request.path("params").path("cmds").forEach(c -> cmds.add(c.asString()));
        requests.add(cmds);
        String reply = rawReply;
        byte[] body = (reply != null ? reply : JSON.writeValueAsString(run(request.path("id").asString(), cmds)))
                .getBytes(StandardCharsets.UTF_8);
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
            } else if (unsupportedCommands.contains(cmd)) {
                error = "Invalid input (at token 1: '" + cmd.split(" ")[1] + "')";
            } else if (cmd.equals("show traffic-policy counters")) {
                result.putAll(countersReply != null ? countersReply : counters());
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

    /**
     * The reply's shape: trafficPolicies -> policy -> rules[] with ruleString (as ANTA's fixtures
     * record it for show traffic-policy interface) and counters {matchedPackets, matchedBytes}.
     */
    private Map<String, Object> counters() {
        Map<String, Object> policies = new LinkedHashMap<>();
        List<Map<String, Object>> rules = null;
        for (String line : section(running)) {
            String l = line.strip();
            if (line.startsWith("   traffic-policy ") && !line.startsWith("    ")) {
                rules = new ArrayList<>();
                policies.put(l.substring("traffic-policy ".length()), Map.of("rules", rules));
            } else if (rules != null && l.startsWith("match ")) {
                String match = l.split(" ")[1];
                long packets = hits.getOrDefault(match, 0L);
                rules.add(Map.of("ruleString", match, "counters", Map.of("matchedPackets", packets, "matchedBytes", packets * 100)));
            }
        }
        return Map.of("trafficPolicies", policies);
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
