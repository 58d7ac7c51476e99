package dev.septum.bench;

import dev.septum.builder.recommend.RecommendRequest;
import dev.septum.builder.tag.PolicySessionTagger;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.builder.recommend.Recommendation;
import dev.septum.builder.recommend.Recommender;
import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.SessionQuery;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Policy Builder on a million stored sessions: 60 apps of three tiers (web, app, db; three
 * replicas each) in two environments, web -> app on 8443, app -> db on 5432, each app calling the
 * next one's app tier, every workload asking two resolvers on udp 53, and 1 % SYN scans; ephemeral
 * client ports, direction from TCP flags. {@code recommend} proposes from sessions in memory;
 * {@code queryAndRecommend} reads every session from the DuckDB flow store first ({@code FlowStore.query},
 * as the CLI and the server did before); {@code storeClassesAndRecommend} lets the store fold them
 * into classes the policy cannot tell apart ({@code FlowStore.queryClasses}), as the CLI and the
 * server do now: the same proposal. The fork's heap is capped at 500 MB: finishing is the memory figure.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx500m", "--enable-native-access=ALL-UNNAMED"})
public class RecommendBenchmark {
    static final int SESSIONS = 1_000_000;
    static final int APPS = 60;
    static final String[] TIERS = {"web", "app", "db"};
    public static final Map<String, String> POLICY = Map.of("inventory.yaml", "domains:\n  - name: dc\n    devices: [tor]\n    vrfs: [ALL]\n"
                    + "devices:\n  - name: tor\n    platform: eos\n    role: switch\n    loopback: 10.255.0.1\n",
            "objects.yaml", objects(),
            "policies.yaml", "policies:\n  - name: dc\n    domain: dc\n    vrf: ALL\n    rules:\n      - name: drop_all_else_dc\n"
                    + "        sources: any\n        destinations: [dc]\n        services: any\n        direction: bi\n        action: drop\n");
    static final RecommendRequest REQUEST = new RecommendRequest(List.of("app", "tier"), List.of("env"), 0,
            RecommendRequest.DEFAULT_MIN_PRECISION, RecommendRequest.DEFAULT_PORT_SLACK, new RecommendRequest.Selection.All(),
            new RecommendRequest.Placement.NewPolicy("recommended"), Optional.empty());

    /** The sessions in memory, as a caller that already holds them. */
    @State(Scope.Benchmark)
    public static class InMemory {
        List<SessionRow> sessions;

        @Setup(Level.Trial)
        public void setUp() {
            sessions = sessions();
            Recommendation once = Recommender.recommend(POLICY, "bench", sessions, REQUEST);
            if (!once.guarantees().hold()) {
                throw new IllegalStateException("guarantees fail: " + once.guarantees().problems());
            }
            System.out.printf("%n%d sessions, %d evidence, %d edges, %d rules, %d failed attempts, %d config lines%n", sessions.size(),
                    once.totals().evidence(), once.totals().edges(), once.rules().size(), once.totals().failedAttempts(),
                    once.totals().configLinesAdded());
        }
    }

    /** The sessions only in the DuckDB flow store, as the CLI and the server find them. */
    @State(Scope.Benchmark)
    public static class Stored {
        FlowStore store;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            store = new FlowStore(Files.createTempDirectory("septum-recommend-bench"));
            store.initialise();
            write(store);
            Recommendation fromSessions = Recommender.recommend(POLICY, "bench", store.query(ALL), REQUEST);
            Recommendation fromClasses = Recommender.recommend(POLICY, "bench", store, ALL, REQUEST);
            if (!fromClasses.equals(fromSessions)) {
                throw new IllegalStateException("the store's session classes propose otherwise than its sessions");
            }
            System.out.printf("%nstored: %d session classes for %d sessions, the same proposal from both reads%n",
                    store.queryClasses(ALL, PolicySessionTagger.of(PolicyBuild.of(PolicySource.files("bench", POLICY)), Optional.empty(), "bench")
                            .orElseThrow().clientPortClassStarts()).size(), fromClasses.totals().sessionsRead());
        }
    }

    /** Writes the sessions in batches; the million rows are garbage once written (the heap is capped). */
    public static void write(FlowStore store) throws Exception {
        List<SessionRow> sessions = sessions();
        for (int i = 0; i < sessions.size(); i += 100_000) {
            store.write(sessions.subList(i, Math.min(sessions.size(), i + 100_000)), List.of(), System.currentTimeMillis(), 0);
        }
    }

    static String address(int app, int tier, int replica) {
        return "10." + (app < APPS / 2 ? 20 : 30) + "." + (app * 3 + tier) + "." + (10 + replica);
    }

    static String objects() {
        StringBuilder y = new StringBuilder("groups:\n  - name: dc\n    prefixes: [10.0.0.0/8]\n");
        for (int a = 0; a < APPS; a++) {
            for (int t = 0; t < TIERS.length; t++) {
                y.append("  - name: app").append(a).append('-').append(TIERS[t]).append("\n    prefixes: [")
                        .append(address(a, t, 0)).append(", ").append(address(a, t, 1)).append(", ").append(address(a, t, 2))
                        .append("]\n    categories: {app: app").append(a).append(", tier: ").append(TIERS[t])
                        .append(", env: ").append(a < APPS / 2 ? "prod" : "dev").append("}\n");
            }
        }
        y.append("  - name: resolvers\n    prefixes: [10.40.0.53, 10.40.0.54]\n    categories: {app: dns, tier: infra, env: shared}\n");
        return y.toString();
    }

    public static List<SessionRow> sessions() {
        SplittableRandom rnd = new SplittableRandom(42);
        List<SessionRow> rows = new ArrayList<>(SESSIONS);
        long now = System.currentTimeMillis() - 3_600_000;
        for (int i = 0; i < SESSIONS; i++) {
            int a = rnd.nextInt(APPS);
            int kind = rnd.nextInt(100);
            int port = 32768 + rnd.nextInt(28233);
            SessionRow row;
            if (kind == 0) { // a SYN scan, unanswered
                row = session(6, "10.50.0.66", port, address(a, rnd.nextInt(3), rnd.nextInt(3)), 1 + rnd.nextInt(1024), 0x02, 0, 0, now + i);
            } else if (kind < 20) {
                row = session(17, address(a, rnd.nextInt(3), rnd.nextInt(3)), port, rnd.nextBoolean() ? "10.40.0.53" : "10.40.0.54",
                        53, 0, 0, 1, now + i);
            } else if (kind < 55) {
                row = session(6, address(a, 0, rnd.nextInt(3)), port, address(a, 1, rnd.nextInt(3)), 8443, 0x1B, 0x1B, 4, now + i);
            } else if (kind < 85) {
                row = session(6, address(a, 1, rnd.nextInt(3)), port, address(a, 2, rnd.nextInt(3)), 5432, 0x1B, 0x1B, 4, now + i);
            } else {
                int b = a < APPS / 2 ? (a + 1) % (APPS / 2) : APPS / 2 + (a + 1 - APPS / 2) % (APPS / 2); // same environment
                row = session(6, address(a, 1, rnd.nextInt(3)), port, address(b, 1, rnd.nextInt(3)), 8443, 0x1B, 0x1B, 4, now + i);
            }
            rows.add(row);
        }
        return rows;
    }

    static SessionRow session(int protocol, String client, int clientPort, String server, int serverPort, int clientFlags,
                              int serverFlags, long serverPackets, long first) {
        return new SessionRow(0, protocol, new Endpoint(IpAddr.parse(client), clientPort), new Endpoint(IpAddr.parse(server), serverPort),
                2, 150, clientFlags, serverPackets, serverPackets * 300, serverFlags,
                serverPackets == 0 ? SessionState.HALF_OPEN : SessionState.COMPLETE, first, first + 50,
                protocol == 6 ? DirectionEvidence.TCP_FLAGS : DirectionEvidence.PORTS, 1, EndReason.IDLE_TIMEOUT);
    }

    @Benchmark
    public Recommendation recommend(InMemory in) {
        return Recommender.recommend(POLICY, "bench", in.sessions, REQUEST);
    }

    static final SessionQuery ALL = new SessionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), SESSIONS);

    @Benchmark
    public Recommendation queryAndRecommend(Stored stored) throws Exception {
        return Recommender.recommend(POLICY, "bench", stored.store.query(ALL), REQUEST);
    }

    @Benchmark
    public Recommendation storeClassesAndRecommend(Stored stored) throws Exception {
        return Recommender.recommend(POLICY, "bench", stored.store, ALL, REQUEST);
    }
}
