package dev.septum.flows.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store reads a session's state from its packets and flags, so a refused connection never reads as complete. */
class RefusedSessionsTest {
    @TempDir
    Path dir;

    static SessionRow row(String client, int clientFlags, int serverFlags, SessionState label) {
        return new SessionRow(0, 6, new Endpoint(IpAddr.parse(client), 40000), new Endpoint(IpAddr.parse("10.9.0.1"), 8443),
                2, 120, clientFlags, 1, 40, serverFlags, label, 1000, 1100, DirectionEvidence.TCP_FLAGS, 2, EndReason.END_OF_FLOW);
    }

    @Test
    void aRefusedSessionWrittenWithTheOldCompleteLabelReadsRefusedWithItsFlags() throws Exception {
        FlowStore store = new FlowStore(dir);
        store.initialise();
        // rows as a collector before the refused state wrote them: labelled complete
        store.write(List.of(row("10.1.0.1", 0x02, 0x14, SessionState.COMPLETE), row("10.1.0.2", 0x1B, 0x1B, SessionState.COMPLETE)),
                List.of(), 10_000, 0);
        List<SessionRow> rows = store.query(SessionQuery.ALL);
        assertThat(rows).filteredOn(r -> r.clientAddr().equals(IpAddr.parse("10.1.0.1"))).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(SessionState.REFUSED);
            assertThat(r.clientTcpFlags()).isEqualTo(0x02);
            assertThat(r.serverTcpFlags()).isEqualTo(0x14);
        });
        assertThat(rows).filteredOn(r -> r.clientAddr().equals(IpAddr.parse("10.1.0.2")))
                .singleElement().extracting(SessionRow::state).isEqualTo(SessionState.COMPLETE);
    }

    @Test
    void flagNamesAreReadable() {
        assertThat(SessionState.flagNames(0x14)).isEqualTo("RST ACK");
        assertThat(SessionState.flagNames(0x1B)).isEqualTo("FIN SYN PSH ACK");
        assertThat(SessionState.flagNames(0)).isEmpty();
    }
}
