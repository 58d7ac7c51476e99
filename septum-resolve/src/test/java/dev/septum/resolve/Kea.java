package dev.septum.resolve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real ISC Kea DHCPv4 server (lease_cmds hook, memfile leases) behind a real Kea control agent on
 * loopback. {@link #start} serves no interface: tests add leases with Kea's own {@code lease4-add}.
 * {@link #serve} runs the server inside a network namespace on one of its interfaces, where a real
 * DHCP client takes leases on the wire; the agent stays on the root namespace's loopback and reaches
 * the server through its unix socket (a file, so it crosses namespaces). A missing Kea fails the test.
 * Shared with septum-server's lab tests (test-jar).
 */
public final class Kea implements AutoCloseable {
    private static final Path HOOK = Path.of("/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so");
    final int port;
    private final Process dhcp4;
    private final Process agent;

    private Kea(int port, Process dhcp4, Process agent) {
        this.port = port;
        this.dhcp4 = dhcp4;
        this.agent = agent;
    }

    static Kea start(Path dir) throws IOException, InterruptedException {
        return start(dir, List.of(), "[]", """
                [{"id": 1, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.100 - 10.1.0.200"}]},
                 {"id": 2, "subnet": "10.2.0.0/24", "pools": [{"pool": "10.2.0.100 - 10.2.0.200"}]}]""");
    }

    /**
     * Serves {@code subnet} (leases from {@code pool}, e.g. {@code "10.77.0.100 - 10.77.0.120"},
     * {@code gateway} as the routers option) on {@code iface} inside {@code namespace}.
     */
    public static Kea serve(Path dir, String namespace, String iface, String subnet, String pool, String gateway)
            throws IOException, InterruptedException {
        return start(dir, List.of("ip", "netns", "exec", namespace), "[\"" + iface + "\"]", """
                [{"id": 1, "subnet": "%s", "interface": "%s", "pools": [{"pool": "%s"}],
                  "option-data": [{"name": "routers", "data": "%s"}]}]""".formatted(subnet, iface, pool, gateway));
    }

    private static Kea start(Path dir, List<String> inNamespace, String interfaces, String subnets)
            throws IOException, InterruptedException {
        for (String binary : new String[] {"/usr/sbin/kea-dhcp4", "/usr/sbin/kea-ctrl-agent"}) {
            if (!Files.isExecutable(Path.of(binary)) || !Files.exists(HOOK)) {
                throw new AssertionError(binary + " or the lease_cmds hook is missing (apt-get install kea-dhcp4-server "
                        + "kea-ctrl-agent); this test needs a real Kea");
            }
        }
        Path socket = dir.resolve("kea4.sock");
        int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
        Files.writeString(dir.resolve("dhcp4.json"), """
                {"Dhcp4": {
                  "interfaces-config": {"interfaces": %s},
                  "control-socket": {"socket-type": "unix", "socket-name": "%s"},
                  "lease-database": {"type": "memfile", "persist": false},
                  "hooks-libraries": [{"library": "%s"}],
                  "subnet4": %s,
                  "loggers": [{"name": "kea-dhcp4", "output_options": [{"output": "%s"}], "severity": "INFO"}]}}
                """.formatted(interfaces, socket, HOOK, subnets, dir.resolve("dhcp4.log")));
        Files.writeString(dir.resolve("agent.json"), """
                {"Control-agent": {"http-host": "127.0.0.1", "http-port": %d,
                  "control-sockets": {"dhcp4": {"socket-type": "unix", "socket-name": "%s"}},
                  "loggers": [{"name": "kea-ctrl-agent", "output_options": [{"output": "%s"}], "severity": "INFO"}]}}
                """.formatted(port, socket, dir.resolve("agent.log")));
        Process dhcp4 = process(dir, inNamespace, "/usr/sbin/kea-dhcp4", "dhcp4");
        Process agent = process(dir, List.of(), "/usr/sbin/kea-ctrl-agent", "agent");
        Kea kea = new Kea(port, dhcp4, agent);
        kea.awaitReady(dir);
        return kea;
    }

    private static Process process(Path dir, List<String> inNamespace, String binary, String name) throws IOException {
        List<String> command = new ArrayList<>(inNamespace);
        command.addAll(List.of(binary, "-c", dir.resolve(name + ".json").toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile());
        pb.environment().putAll(Map.of("KEA_PIDFILE_DIR", dir.toString(), "KEA_LOCKFILE_DIR", dir.toString()));
        return pb.start();
    }

    /** Until the agent passes a command through to dhcp4 (both started and connected), at most 15 s. */
    private void awaitReady(Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!dhcp4.isAlive() || !agent.isAlive()) {
                break;
            }
            try {
                last = command("{\"command\": \"lease4-get-all\", \"service\": [\"dhcp4\"]}");
                if (last.contains("\"result\": 3") || last.contains("\"result\": 0")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        close();
        throw new AssertionError("Kea did not become ready: " + last + "\n" + Files.readString(dir.resolve("dhcp4.out"))
                + Files.readString(dir.resolve("agent.out")));
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    String command(String json) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url())).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    void addLease(String address, String hw, String hostname, String... classes) throws IOException, InterruptedException {
        String context = classes.length == 0 ? "" : ", \"user-context\": {\"ISC\": {\"client-classes\": [\""
                + String.join("\", \"", classes) + "\"]}}";
        String answer = command("""
                {"command": "lease4-add", "service": ["dhcp4"], "arguments": {"ip-address": "%s", "hw-address": "%s",
                 "hostname": "%s"%s}}""".formatted(address, hw, hostname, context));
        if (!answer.contains("\"result\": 0")) {
            throw new AssertionError("Kea refused lease4-add: " + answer);
        }
    }

    void deleteLease(String address) throws IOException, InterruptedException {
        String answer = command("""
                {"command": "lease4-del", "service": ["dhcp4"], "arguments": {"ip-address": "%s"}}""".formatted(address));
        if (!answer.contains("\"result\": 0")) {
            throw new AssertionError("Kea refused lease4-del: " + answer);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : new Process[] {agent, dhcp4}) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
