package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.deploy.Commands;
import dev.septum.resolve.Dnsmasq;
import dev.septum.resolve.Kea;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15's "done when", in a lab of network namespaces this test creates: a client takes a lease
 * from a real Kea DHCPv4 server on the wire (busybox udhcpc), the server's {@code dhcp} group follows
 * it through one {@code POST /api/groups/refresh} and an auto-approved change control into the
 * router namespace's nftables set, and a real TCP handshake from the new address passes while the
 * old address (put back on the client by hand) is dropped. A DNS record change in a real dnsmasq
 * does the same for an FQDN group. The audit log records both auto-applied refreshes.
 */
class DynamicGroupsLabTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String SERVER = "10.78.0.10";
    private static final String PORT = "8080";
    private static final String POLICY = """
            domains: [{name: dc, devices: [router], vrfs: [ALL]}]
            devices: [{name: router, platform: nftables}]
            groups:
              - {name: lan, prefixes: [10.77.0.0/24]}
              - {name: servers, prefixes: [%s/32]}
              - name: laptops
                source: {kind: dhcp, url: '%s', subnets: [10.77.0.0/24]}
                auto-apply: {max-changed: 2}
              - name: named
                source: {kind: dns, names: [host.test], server: '%s', min-refresh: 1s}
                auto-apply: {max-changed: 2}
            services: [{name: web, protocol: tcp, destination: %s}]
            policies:
              - name: edge
                domain: dc
                vrf: ALL
                rules:
                  - {name: laptops-to-servers, sources: [laptops], destinations: [servers], services: [web], action: forward}
                  - {name: named-to-servers, sources: [named], destinations: [servers], services: [web], action: forward}
                  - {name: rest, sources: [lan], action: drop}
            """;

    @TempDir
    Path dir;

    @Test
    void aNewLeaseAndAChangedRecordReachTheEnforcingNamespaceWithinOneRefresh() throws Exception {
        try (Namespaces netns = Namespaces.requireRoot()) {
            String client = netns.create("cl");
            String router = netns.create("rt");
            String server = netns.create("sv");
            wire(netns, client, router, server);
            Files.createDirectories(dir.resolve("kea"));
            Files.createDirectories(dir.resolve("dns"));
            Files.createDirectories(dir.resolve("data"));
            try (Kea kea = Kea.serve(dir.resolve("kea"), router, "rc0", "10.77.0.0/24", "10.77.0.100 - 10.77.0.120", "10.77.0.1");
                 Dnsmasq dns = Dnsmasq.start(dir.resolve("dns"), "10.77.0.50 host.test\n", 1);
                 Background listener = Background.start(Namespaces.inside(server, "nc", "-l", "-k", "-n", SERVER, PORT));
                 ServerHarness h = new ServerHarness(TestDatabase.of("sqlite"), dir.resolve("data"),
                         ServerConfig.local(dir.resolve("data")).withGroupRefreshInterval(Duration.ZERO))) {
                // no lease yet: the dhcp group is empty (an answer), the version builds
                DynamicGroupsServerTest.importPolicy(h, POLICY.formatted(SERVER, kea.url(), dns.server(), PORT));
                DeployTestSupport.bindNamespace(h, "router", router);
                netns.exec(client, "ip", "addr", "add", "10.77.0.50/24", "dev", "cl0");
                netns.exec(client, "ip", "addr", "add", "10.77.0.51/24", "dev", "cl0");

                String first;
                String second;
                try (Udhcpc lease = Udhcpc.lease(client, dir.resolve("lease1"))) {
                    first = lease.address;
                    autoApplied(h, netns, router, "g_laptops", first, null);
                    assertThat(probe(netns, client, first)).as("the leased address " + first + " is a laptop").isTrue();
                    assertThat(probe(netns, client, "10.77.0.50")).as("host.test is 10.77.0.50").isTrue();
                    assertThat(probe(netns, client, "10.77.0.51")).as("the drop rule drops the rest").isFalse();
                }
                // the first lease was released; the client comes back with another MAC, so another client id
                netns.exec(client, "ip", "link", "set", "cl0", "address", "02:00:00:77:00:02");
                try (Udhcpc lease = Udhcpc.lease(client, dir.resolve("lease2"))) {
                    second = lease.address;
                    assertThat(second).as("Kea gave the new client id another address").isNotEqualTo(first);
                    autoApplied(h, netns, router, "g_laptops", second, first);
                    netns.exec(client, "ip", "addr", "add", first + "/24", "dev", "cl0");
                    assertThat(probe(netns, client, second)).as("the new lease " + second).isTrue();
                    assertThat(probe(netns, client, first)).as("the old lease " + first + " put back by hand").isFalse();

                    // while the client keeps its lease (releasing it would empty a forward rule's group)
                    dns.rewrite("10.77.0.51 host.test\n");
                    autoApplied(h, netns, router, "g_named", "10.77.0.51", "10.77.0.50");
                    assertThat(probe(netns, client, "10.77.0.51")).as("host.test's new address").isTrue();
                    assertThat(probe(netns, client, "10.77.0.50")).as("host.test's old address").isFalse();
                }

                String audit = h.admin.get("/api/audit").body();
                assertThat(audit).contains("groups.refresh").contains("change-control.auto-approve")
                        .contains("laptops added [" + second + "/32] removed [" + first + "/32]")
                        .contains("named added [10.77.0.51/32] removed [10.77.0.50/32]");
            }
        }
    }

    /** One requested refresh, its auto-approved change control run to success, and the set as it should be. */
    private static void autoApplied(ServerHarness h, Namespaces netns, String router, String set, String added, String removed)
            throws InterruptedException {
        JsonNode refresh = h.admin.post("/api/groups/refresh", "").json();
        assertThat(refresh.path("changeControl").isNumber()).as("auto-applied: " + refresh).isTrue();
        JsonNode cc = DynamicGroupsServerTest.awaitChangeControl(h, refresh.path("changeControl").asLong());
        assertThat(cc.path("state").asString()).as(cc.toString()).isEqualTo("succeeded");
        assertThat(cc.path("approvedBy").asString()).isEqualTo("septum-refresh");
        String elements = netns.nft(router, "list", "set", "inet", "septum", set);
        assertThat(elements).contains(added + " ");
        if (removed != null) {
            assertThat(elements).doesNotContain(removed + " ").doesNotContain(removed + "}").doesNotContain(removed + ",");
        }
    }

    /** A TCP handshake from {@code source} on the client to the server's listener (nc -z, 2 s). */
    private static boolean probe(Namespaces netns, String client, String source) {
        Commands.Result r = Commands.run(TIMEOUT, Namespaces.inside(client, "nc", "-z", "-n", "-w", "2", "-s", source, SERVER, PORT));
        if (!r.ok() && !r.stderr().isBlank() && !r.stderr().contains("timed out")) {
            throw new AssertionError("the probe could not run: " + r.failure());
        }
        return r.ok();
    }

    /** client cl0 -- rc0 router rs0 -- sv0 server; the router forwards, the server routes back through it. */
    private static void wire(Namespaces netns, String client, String router, String server) {
        netns.exec(router, "ip", "link", "add", "rc0", "type", "veth", "peer", "name", "cl0", "netns", client);
        netns.exec(router, "ip", "link", "add", "rs0", "type", "veth", "peer", "name", "sv0", "netns", server);
        netns.exec(client, "ip", "link", "set", "cl0", "address", "02:00:00:77:00:01");
        netns.exec(router, "ip", "addr", "add", "10.77.0.1/24", "dev", "rc0");
        netns.exec(router, "ip", "addr", "add", "10.78.0.1/24", "dev", "rs0");
        netns.exec(server, "ip", "addr", "add", SERVER + "/24", "dev", "sv0");
        for (String[] up : new String[][] {{router, "rc0"}, {router, "rs0"}, {client, "cl0"}, {server, "sv0"},
                {router, "lo"}, {client, "lo"}, {server, "lo"}}) {
            netns.exec(up[0], "ip", "link", "set", up[1], "up");
        }
        netns.exec(router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        netns.exec(server, "ip", "route", "add", "default", "via", "10.78.0.1");
    }

    /** A process the test started, stopped (and awaited) on close. */
    private record Background(Process process) implements AutoCloseable {
        static Background start(List<String> command) throws IOException {
            return new Background(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * busybox udhcpc on the client's cl0: its script puts the leased address and default route on
     * the interface and writes the address to a file; closing it stops udhcpc, which releases the
     * lease (-R) and removes the address.
     */
    private static final class Udhcpc implements AutoCloseable {
        final String address;
        private final Background process;

        private Udhcpc(String address, Background process) {
            this.address = address;
            this.process = process;
        }

        static Udhcpc lease(String client, Path dir) throws IOException, InterruptedException {
            if (!Files.isExecutable(Path.of("/usr/sbin/udhcpc"))) {
                throw new AssertionError("udhcpc is not installed (apt-get install udhcpc); this test needs a real DHCP client");
            }
            Files.createDirectories(dir);
            Path bound = dir.resolve("bound");
            Path script = dir.resolve("script");
            Files.writeString(script, """
                    #!/bin/sh
                    case "$1" in
                      bound|renew) ip addr add "$ip/$mask" dev "$interface" && ip route replace default via "$router" \
                                   && echo "$ip/$mask" > %1$s.cidr && echo "$ip" > %1$s.tmp && mv %1$s.tmp %1$s ;;
                      deconfig) [ -f %1$s.cidr ] && ip addr del "$(cat %1$s.cidr)" dev "$interface"; rm -f %1$s.cidr; true ;;
                    esac
                    """.formatted(bound));
            script.toFile().setExecutable(true);
            Background udhcpc = Background.start(Namespaces.inside(client, "/usr/sbin/udhcpc", "-f", "-R", "-i", "cl0",
                    "-s", script.toString(), "-t", "10", "-T", "1", "-n"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline && !Files.exists(bound) && udhcpc.process().isAlive()) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            if (!Files.exists(bound)) {
                udhcpc.close();
                throw new AssertionError("udhcpc got no lease from Kea within 15 s");
            }
            return new Udhcpc(Files.readString(bound).strip(), udhcpc);
        }

        @Override
        public void close() throws InterruptedException {
            process.close();
        }
    }
}
