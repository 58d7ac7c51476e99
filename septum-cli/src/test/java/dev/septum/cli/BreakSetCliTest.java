package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.session.SessionRow;
import dev.septum.flows.store.FlowStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code septum diff BEFORE AFTER --sessions STORE}: the seed's step from DNS/NTP only to its final
 * policy, against sessions written to a real DuckDB flow store through the store's own API.
 */
class BreakSetCliTest {
    private static final String BEFORE = "../examples/seed-lab-dns-ntp";
    private static final String AFTER = "../examples/seed-lab";
    private static final long NOW = System.currentTimeMillis();

    @TempDir
    Path tmp;

    private Path store() throws Exception {
        long recent = NOW - Duration.ofHours(1).toMillis();
        long old = NOW - Duration.ofDays(30).toMillis();
        List<SessionRow> rows = List.of(
                // linuxmgmt10 -> appserver1 SSH: the default forwarded it; drop_all_else_web-app's reverse match stops it
                StoredSessions.row(6, "10.100.5.10", 50100, "10.100.99.50", 22, recent),
                // web01 -> web02 HTTP: newly blocked by drop_http_between_webservers
                StoredSessions.row(6, "10.100.99.51", 50200, "10.100.99.52", 80, recent),
                // laptop -> web01 SSH and web01 -> dns: allowed before and after
                StoredSessions.row(6, "172.18.6.138", 50300, "10.100.99.51", 22, recent),
                StoredSessions.row(17, "10.100.99.51", 50400, "10.100.1.7", 53, recent),
                // appserver1 pinging the internet a month ago: newly blocked, but outside a 7-day window
                StoredSessions.row(1, "10.100.99.50", 0, "203.0.113.8", 0, old));
        return StoredSessions.store(tmp, rows);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> breaks(CliRun run) {
        Map<String, Object> tree = JsonMapper.builder().build().readValue(run.out(), Map.class);
        return ((List<Map<String, Object>>) tree.get("tables")).stream().filter(t -> t.get("name").equals("breaks"))
                .map(t -> (List<Map<String, Object>>) t.get("rows")).findFirst().orElseThrow();
    }

    @Test
    void diffWithSessionsListsTheStoredSessionsTheChangeBlocks() throws Exception {
        Path data = store();

        CliRun week = CliRun.of("diff", BEFORE, AFTER, "--no-config", "--sessions", data.toString(), "--since", "7d", "-o", "json");
        CliRun all = CliRun.of("diff", BEFORE, AFTER, "--no-config", "--sessions", data.resolve(FlowStore.FILE).toString(), "-o", "json");
        CliRun text = CliRun.of("diff", BEFORE, AFTER, "--no-config", "--sessions", data.toString(), "--since", "7d");

        assertThat(week.code()).as(week.err()).isZero();
        List<Map<String, Object>> rows = breaks(week);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("kind")).isEqualTo("newly blocked"));
        assertThat(rows).anySatisfy(r -> assertThat(r).containsEntry("clientGroups", List.of("web-appserver1", "web01_web02"))
                .containsEntry("serverGroups", List.of("web-appserver1", "web01_web02")).containsEntry("service", "HTTP")
                .containsEntry("direction", "client to server").containsEntry("sessions", 1)
                .containsEntry("decidedAfter", "drop_http_between_webservers"));
        assertThat(rows).anySatisfy(r -> assertThat(r).containsEntry("clientGroups", List.of())
                .containsEntry("serverGroups", List.of("appserver1", "web-appserver1")).containsEntry("service", "SSH")
                .containsEntry("direction", "client to server")
                .containsEntry("decidedAfter", "drop_all_else_web-app-reverse"));
        assertThat(rows.stream().map(r -> r.get("examples").toString())).noneMatch(e -> e.contains("203.0.113.8"));
        assertThat(breaks(all).stream().map(r -> r.get("examples").toString())).anyMatch(e -> e.contains("10.100.99.50 -> 203.0.113.8 icmp"));
        assertThat(text.out()).contains("observed sessions whose verdict changes").contains("2 of 4 observed sessions change verdict");
    }

    @Test
    void aMissingStoreOrAWindowWithoutOneIsRefused() {
        CliRun missing = CliRun.of("diff", BEFORE, AFTER, "--sessions", tmp.resolve("nothing").toString());
        CliRun orphan = CliRun.of("diff", BEFORE, AFTER, "--since", "7d");

        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).contains("no flow store at").contains("septum collect");
        assertThat(orphan.code()).isEqualTo(2);
        assertThat(orphan.err()).contains("--since and --limit need --sessions STORE");
    }
}
