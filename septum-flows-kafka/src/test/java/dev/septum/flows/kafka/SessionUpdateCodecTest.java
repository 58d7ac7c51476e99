package dev.septum.flows.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.tag.SessionTags;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

class SessionUpdateCodecTest {
    private final SessionUpdateCodec codec = new SessionUpdateCodec();

    private static SessionUpdate update(String client, String server, SessionTags tags) {
        SessionRow row = new SessionRow(-5, 6, new Endpoint(IpAddr.parse(client), 50123), new Endpoint(IpAddr.parse(server), 443),
                7, 900, 0x1b, 5, 4000, 0x1b, SessionState.COMPLETE, 1_700_000_000_000L, 1_700_000_002_000L,
                DirectionEvidence.TCP_FLAGS, 3, EndReason.END_OF_FLOW);
        return new SessionUpdate("monitor-1", row, tags, 1_700_000_003_000L);
    }

    @Test
    void anUpdateComesBackAsItWentOutForBothFamiliesAndWithTags() throws Exception {
        SessionTags tags = new SessionTags(List.of("web01_web02"), List.of("appserver1"), List.of("appserver1-tcp"), "web-app",
                "web-to-appserver1", "web-to-appserver1", "forward", "v3");
        for (SessionUpdate u : List.of(update("10.1.2.3", "198.51.100.7", SessionTags.NONE),
                update("2001:db8::1", "::ffff:192.0.2.1", tags))) {
            byte[] message = codec.encode(u);
            assertThat(codec.decode(message)).isEqualTo(u);
            assertThat(u.key()).startsWith("monitor-1|4294967291|6|");
        }
        assertThat(codec.encode(update("10.1.2.3", "198.51.100.7", SessionTags.NONE)).length)
                .as("compact: an untagged IPv4 update").isLessThan(100);
    }

    @Test
    void aMessageOfNoKnownSchemaIsRefusedWithTheReason() {
        byte[] good = codec.encode(update("10.1.2.3", "198.51.100.7", SessionTags.NONE));
        byte[] otherFingerprint = Arrays.copyOf(good, good.length);
        otherFingerprint[3] ^= 0x55;
        assertThatThrownBy(() -> codec.decode(otherFingerprint)).isInstanceOf(SessionUpdateCodec.BadUpdate.class)
                .hasMessageContaining("not a session update of a known schema version");
        assertThatThrownBy(() -> codec.decode("{\"json\": true}".getBytes())).isInstanceOf(SessionUpdateCodec.BadUpdate.class);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, good.length - 9))).isInstanceOf(SessionUpdateCodec.BadUpdate.class);
    }

    /** The versioning rule of docs/scale-out.md: the current schema reads what every released version wrote. */
    @Test
    void theCurrentSchemaReadsEveryReleasedVersion() throws Exception {
        for (String version : SessionUpdateCodec.VERSIONS) {
            Schema writer;
            try (var in = SessionUpdateCodec.class.getResourceAsStream(version)) {
                writer = new Schema.Parser().parse(in);
            }
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(codec.schema(), writer).getType())
                    .as(version).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
    }
}
