package dev.septum.lab;

import dev.septum.deploy.Commands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends each probe with the real tool a person would use, from inside the source host's
 * namespace: {@code nc -z} for a TCP handshake, {@code curl} for HTTP, {@code nc -u} for a UDP
 * request and its answer, {@code ping} for ICMP. A dropped packet shows as a timeout (2 s), so
 * all probes of a scenario run at once.
 */
final class Prober {
    static final String UDP_PAYLOAD = "septum-probe";
    private static final Duration TOOL_LIMIT = Duration.ofSeconds(10);

    /** What the traffic did. {@code REFUSED} means the host was reached but nothing listened: a lab error. */
    enum Observed {
        ALLOW("allowed"), DROP("dropped"), REFUSED("refused"), ERROR("error");

        final String text;

        Observed(String text) {
            this.text = text;
        }
    }

    record Outcome(LabSpec.Probe probe, Observed observed, String detail) {
    }

    private final LabSpec spec;
    private final Topology topology;

    Prober(LabSpec spec, Topology topology) {
        this.spec = spec;
        this.topology = topology;
    }

    List<Outcome> probeAll(List<LabSpec.Probe> probes) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (LabSpec.Probe p : probes) {
                futures.add(pool.submit(() -> probe(p)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while probing");
        } catch (ExecutionException e) {
            throw new LabException("a probe failed to run: " + e.getCause().getMessage());
        }
    }

    Outcome probe(LabSpec.Probe p) {
        String ns = topology.namespace(p.from());
        String address = spec.host(p.to()).orElseThrow().address().toCanonicalString();
        return switch (p.kind()) {
            case ProbeKind.TcpConnect t -> {
                Commands.Result r = tool(ns, List.of("nc", "-z", "-v", "-n", "-w", "2", address, Integer.toString(t.port())), null);
                yield new Outcome(p, r.ok() ? Observed.ALLOW : r.stderr().contains("refused") ? Observed.REFUSED : Observed.DROP,
                        r.stderr().strip());
            }
            case ProbeKind.Http h -> {
                Commands.Result r = tool(ns, List.of("curl", "-s", "-S", "--connect-timeout", "2", "--max-time", "4",
                        "http://" + address + ":" + h.port() + "/"), null);
                Observed o = r.ok() && r.stdout().contains("SUCCESS") ? Observed.ALLOW
                        : r.exitCode() == 28 ? Observed.DROP : r.exitCode() == 7 ? Observed.REFUSED : Observed.ERROR;
                yield new Outcome(p, o, r.ok() ? r.stdout().strip() : r.stderr().strip());
            }
            case ProbeKind.UdpExchange u -> {
                Commands.Result r = tool(ns, List.of("nc", "-u", "-n", "-w", "2", address, Integer.toString(u.port())), UDP_PAYLOAD + "\n");
                Observed o = r.stdout().contains(UDP_PAYLOAD) ? Observed.ALLOW
                        : r.stderr().contains("refused") ? Observed.REFUSED : Observed.DROP;
                yield new Outcome(p, o, o == Observed.ALLOW ? "answer received" : "no answer in 2 s");
            }
            case ProbeKind.Ping i -> {
                List<String> ping = List.of("ping", "-n", "-c", "1", "-W", "2", address);
                Commands.Result r = tool(ns, ping, null);
                if (!r.ok()) {
                    // a fresh path's first echo can be lost while (proxied) neighbour discovery completes;
                    // a second echo cannot turn a dropped flow into an allowed one
                    r = tool(ns, ping, null);
                }
                yield new Outcome(p, r.ok() ? Observed.ALLOW : Observed.DROP, r.ok() ? "echo reply" : "no echo reply in two tries of 2 s");
            }
        };
    }

    private static Commands.Result tool(String ns, List<String> command, String stdin) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(command);
        Commands.Result r = Commands.run(TOOL_LIMIT, full, stdin);
        if (r.stderr().contains("exec of \"")) {
            // the tool never ran, so it observed nothing: never let that read as a drop
            throw new LabException(command.getFirst() + " could not run in " + ns + ": " + r.stderr().strip());
        }
        return r;
    }
}
