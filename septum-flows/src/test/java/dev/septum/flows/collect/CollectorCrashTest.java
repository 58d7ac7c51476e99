package dev.septum.flows.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.export.IpfixExporter;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.SessionQuery;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, finding 9: a collector killed with SIGKILL lost every session live at its last flush
 * (the next start's first flush rewrote the live part as empty). Now the next start keeps them,
 * ended with reason {@code restart} and the totals of that flush.
 */
class CollectorCrashTest {
    private static final int SESSIONS = 1_000;

    @TempDir
    Path dir;

    @Test
    void sessionsLiveAtAKillAreKeptByTheNextStart() throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CollectorProcessMain.class.getName(), dir.toString(), Integer.toString(SESSIONS)).redirectErrorStream(true).start();
        List<SessionRow> rows = CollectorStoreTest.sessions(SESSIONS);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(line(out, "PORT ").substring(5).strip());
            try (IpfixExporter exporter = IpfixExporter.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 9)) {
                rows.forEach(exporter::exported);
            }
            line(out, "FLUSHED");
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no final flush
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        FlowStore store = new FlowStore(dir);
        assertThat(store.initialise()).isEqualTo(SESSIONS);
        // the next collector's first flush rewrites the live part whole; the kept sessions stay
        store.write(List.of(), List.of(), System.currentTimeMillis(), 0);
        List<SessionRow> stored = store.query(new SessionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 10 * SESSIONS));
        assertThat(stored).hasSize(SESSIONS).allSatisfy(s -> assertThat(s.reason()).isEqualTo(EndReason.RESTART));
        assertThat(stored.stream().mapToLong(SessionRow::clientPackets).sum())
                .isEqualTo(rows.stream().mapToLong(SessionRow::clientPackets).sum());
    }

    /** The child's first line starting with {@code prefix}; bounded by the child's own output. */
    private static String line(BufferedReader out, String prefix) throws Exception {
        List<String> seen = new ArrayList<>();
        for (String l = out.readLine(); l != null; l = out.readLine()) {
            if (l.startsWith(prefix)) {
                return l;
            }
            seen.add(l);
        }
        throw new AssertionError("the collector process ended before '" + prefix + "': " + String.join("\n", seen));
    }
}
