package dev.septum.builder.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.SessionQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store folds sessions into classes the policy cannot tell apart before the builder reads them
 * ({@code Recommender.recommend(files, label, store, query, request)}); the proposal, its evidence,
 * totals, probes and guarantees are the very ones the builder gives from every stored session. The
 * estate of {@link EstateGuaranteesTest}, each call repeated with fresh ephemeral client ports, plus
 * client ports a service names (53, 8080), port 0, UDP, refused and unanswered attempts, a SYN scan,
 * sessions of unknown direction, sessions stored in several rows (exported before they ended, still
 * live), and a read limit that cuts the window.
 */
class StoredClassesTest {
    @TempDir
    Path dir;

    static SessionRow session(int protocol, String client, int clientPort, String server, int port, int clientFlags, int serverFlags,
                              long serverPackets, DirectionEvidence evidence, long t) {
        return new SessionRow(0, protocol, new Endpoint(IpAddr.parse(client), clientPort), new Endpoint(IpAddr.parse(server), port),
                3, 300, clientFlags, serverPackets, serverPackets * 500, serverFlags,
                SessionState.of(protocol, 3, clientFlags, serverPackets, serverFlags), t, t + 20 + t % 7, evidence, 1, EndReason.END_OF_FLOW);
    }

    static List<SessionRow> sessions() {
        Random random = new Random(7);
        List<SessionRow> rows = new ArrayList<>();
        long t = 1_700_000_000_000L;
        for (int round = 0; round < 20; round++) {
            for (SessionRow call : EstateGuaranteesTest.sessions()) {
                int[] clientPorts = {32768 + random.nextInt(28000), 0, 53, 8080, 1024 + random.nextInt(1000)};
                int clientPort = clientPorts[random.nextInt(round == 0 ? 1 : clientPorts.length)];
                rows.add(session(6, call.clientAddr().toString(), clientPort, call.serverAddr().toString(), call.server().port(), 0x1B, 0x1B, 4,
                        round % 9 == 8 ? DirectionEvidence.PORTS : DirectionEvidence.TCP_FLAGS, t += 1 + random.nextInt(3)));
            }
            rows.add(session(17, "10.1.0.1", 40000 + round, "10.1.0.11", 53, 0, 0, 1, DirectionEvidence.PORTS, t += 2));
            rows.add(session(6, "10.1.0.2", 41000 + round, "10.1.0.12", 9100, 0x02, 0x14, 1, DirectionEvidence.TCP_FLAGS, t += 2));
            rows.add(session(6, "10.2.0.2", 42000 + round, "10.2.0.12", 9200, 0x02, 0, 0, DirectionEvidence.TCP_FLAGS, t += 2));
            rows.add(session(6, "10.2.0.1", 43000 + round, "10.2.0.21", 7000, 0x1B, 0x1B, 4, DirectionEvidence.NONE, t += 2));
        }
        for (int p = 1; p <= 30; p++) {
            rows.add(session(6, "10.9.9.9", 50000, "10.1.0.31", p, 0x02, 0, 0, DirectionEvidence.TCP_FLAGS, t += 1));
        }
        return rows;
    }

    /**
     * As a collector stores them: most sessions in one row, but every fourth one exported before it
     * ended (active timeout, its first packets) and again when it ended, and every fourth one
     * exported so and still live at the second flush, so the store sums a session's rows.
     */
    static void writeInTwoFlushes(FlowStore store, List<SessionRow> rows) throws Exception {
        List<SessionRow> first = new ArrayList<>();
        List<SessionRow> exported = new ArrayList<>();
        List<SessionRow> live = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            SessionRow r = rows.get(i);
            if (i % 4 == 0) {
                first.add(r);
                continue;
            }
            first.add(part(r, 1, r.clientOctets() / 3, 0, 0, EndReason.ACTIVE_TIMEOUT));
            (i % 4 == 2 ? live : exported).add(part(r, r.clientPackets() - 1, r.clientOctets() - r.clientOctets() / 3,
                    r.serverPackets(), r.serverOctets(), i % 4 == 2 ? EndReason.LIVE : r.reason()));
        }
        store.write(first, List.of(), System.currentTimeMillis(), 0);
        store.write(exported, live, System.currentTimeMillis() + 1, 0);
    }

    /** An export of part of {@code r}'s counters; the client's flags in each part, the server's in the parts it answered in. */
    private static SessionRow part(SessionRow r, long clientPackets, long clientOctets, long serverPackets, long serverOctets, EndReason reason) {
        return new SessionRow(r.vrf(), r.protocol(), r.client(), r.server(), clientPackets, clientOctets, r.clientTcpFlags(),
                serverPackets, serverOctets, serverPackets == 0 ? 0 : r.serverTcpFlags(),
                SessionState.of(r.protocol(), clientPackets, r.clientTcpFlags(), serverPackets, r.serverTcpFlags()),
                r.firstMillis(), reason == EndReason.ACTIVE_TIMEOUT ? r.firstMillis() + 1 : r.lastMillis(), r.evidence(), 1, reason);
    }

    /** @param interim a quarter of the sessions exported before they ended (the store sums their rows), else each in one row */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theStoresClassesGiveTheProposalOfEverySession(boolean interim) throws Exception {
        FlowStore store = new FlowStore(dir);
        store.initialise();
        List<SessionRow> rows = sessions();
        if (interim) {
            writeInTwoFlushes(store, rows);
        } else {
            store.write(rows, List.of(), System.currentTimeMillis(), 0);
        }
        Map<String, String> files = new TreeMap<>(Map.of("objects.yaml", EstateGuaranteesTest.objects(),
                "inventory.yaml", EstateGuaranteesTest.INVENTORY));
        for (int limit : new int[] {2 * rows.size(), rows.size() / 3}) {
            SessionQuery query = new SessionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), limit);
            for (double budget : new double[] {0, 1}) {
                RecommendRequest request = new RecommendRequest(List.of("app", "tier"), List.of("env"), budget, 0.5, 16,
                        new RecommendRequest.Selection.All(), new RecommendRequest.Placement.NewPolicy("recommended"), Optional.empty());
                Recommendation fromSessions = Recommender.recommend(files, "estate", store.query(query), request);
                Recommendation fromClasses = Recommender.recommend(files, "estate", store, query, request);

                assertThat(fromSessions.totals().sessionsRead()).isEqualTo(Math.min(limit, rows.size()));
                assertThat(fromSessions.guarantees().hold()).as(fromSessions.guarantees().problems().toString()).isTrue();
                assertThat(fromSessions.probes()).extracting(Recommendation.Probe::kind).contains("scan", "failed", "no-direction");
                assertThat(fromClasses).isEqualTo(fromSessions);
            }
        }
        assertThat(store.queryClasses(new SessionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), rows.size()), new int[] {0, 53, 54, 8080, 8081}).size())
                .as("classes fewer than sessions").isLessThan(rows.size() / 2);
    }
}
