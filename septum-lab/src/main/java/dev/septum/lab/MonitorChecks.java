package dev.septum.lab;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Compares what the monitor node stored in one scenario with the probes' {@code mirrored}
 * expectations. It first waits (5 s at most) until every session expected to be mirrored has
 * been metered, then stops the monitor, which waits until every packet the agent sent was metered,
 * so a session that should not be mirrored is judged on everything the agent forwarded.
 */
final class MonitorChecks {
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(5);

    private final LabSpec spec;

    MonitorChecks(LabSpec spec) {
        this.spec = spec;
    }

    List<LabResult.MirrorCheck> check(String scenario, LabMonitor.Running monitor, Consumer<String> log) {
        List<LabSpec.Probe> expected = spec.probes().stream().filter(p -> p.mirrored().isPresent()).toList();
        List<LabSpec.Probe> seen = expected.stream().filter(p -> p.mirrored().orElseThrow().seen()).toList();
        long deadline = System.nanoTime() + WAIT_NS;
        while (!allIn(seen, monitor.metered()) && System.nanoTime() < deadline) {
            sleep();
        }
        List<LabMonitor.Seen> stored = monitor.finish();
        log.accept("monitor stored " + stored.size() + " sessions, " + stored.stream().mapToLong(LabMonitor.Seen::packets).sum()
                + " packets");
        return expected.stream().map(p -> {
            LabSpec.Mirrored want = p.mirrored().orElseThrow();
            Optional<LabMonitor.Seen> got = session(p, stored);
            String observed = got.map(s -> "seen" + (s.rule().isEmpty() ? "" : " (" + s.rule() + ")")).orElse("not seen");
            boolean matches = got.isPresent() == want.seen() && want.rule().map(r -> got.map(s -> s.rule().equals(r)).orElse(false)).orElse(true);
            return new LabResult.MirrorCheck(scenario, p, want.text(), observed, matches);
        }).toList();
    }

    private boolean allIn(List<LabSpec.Probe> probes, List<LabMonitor.Seen> sessions) {
        return probes.stream().allMatch(p -> session(p, sessions).isPresent());
    }

    /** The stored session of probe {@code p}: its protocol, its hosts as client and server, its port. */
    private Optional<LabMonitor.Seen> session(LabSpec.Probe p, List<LabMonitor.Seen> sessions) {
        IPAddress from = spec.host(p.from()).orElseThrow().address();
        IPAddress to = spec.host(p.to()).orElseThrow().address();
        int protocol = switch (p.kind()) {
            case ProbeKind.TcpConnect t -> 6;
            case ProbeKind.Http h -> 6;
            case ProbeKind.UdpExchange u -> 17;
            case ProbeKind.Ping i -> to.isIPv6() ? 58 : 1;
        };
        return sessions.stream().filter(s -> s.protocol() == protocol && same(s.client(), from) && same(s.server(), to)
                && (p.kind() instanceof ProbeKind.Ping || s.serverPort() == p.kind().port())).findFirst();
    }

    private static boolean same(String text, IPAddress address) {
        IPAddress parsed = new IPAddressString(text).getAddress();
        return parsed != null && parsed.withoutPrefixLength().equals(address);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the monitor node");
        }
    }
}
