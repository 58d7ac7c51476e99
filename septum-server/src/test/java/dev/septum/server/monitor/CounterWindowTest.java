package dev.septum.server.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.store.CounterStore.Sample;
import dev.septum.verify.analysis.RuleCounters;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Counter growth within a window: from the baseline poll before it, through a reset, and staged counters told apart. */
class CounterWindowTest {
    private static final Instant SINCE = Instant.parse("2026-12-01T10:00:00Z");

    private static Sample sample(String at, String match, String comment, long packets) {
        return new Sample("fw", at, match, comment, packets, packets * 100);
    }

    @Test
    void growthInTheWindowCountsFromTheBaselineAndThroughAReset() {
        List<Sample> samples = List.of(
                sample("2026-12-01T09:59:00Z", "c_ssh", "p/ssh", 40),         // baseline: counted before the window
                sample("2026-12-01T10:01:00Z", "c_ssh", "p/ssh", 40),
                sample("2026-12-01T10:02:00Z", "c_ssh", "p/ssh", 3),          // the table was replaced: reset, then 3
                sample("2026-12-01T10:03:00Z", "c_ssh", "p/ssh", 5),
                sample("2026-12-01T09:59:00Z", "c_ftp", "p/ftp", 7),
                sample("2026-12-01T10:03:00Z", "c_ftp", "p/ftp", 7),          // not hit in the window
                sample("2026-12-01T10:03:00Z", "c_x", "p/x reverse staged", 9)); // no baseline: its first reading counts

        RuleCounters counters = CounterWindow.of(samples, SINCE, "1h");

        assertThat(counters.of("p", "ssh", false)).singleElement().satisfies(h -> {
            assertThat(h.packets()).isEqualTo(5);
            assertThat(h.lastHit()).contains(Instant.parse("2026-12-01T10:03:00Z"));
        });
        assertThat(counters.of("p", "ftp", false)).singleElement().satisfies(h -> {
            assertThat(h.packets()).isZero();
            assertThat(h.lastHit()).isEqualTo(Optional.empty());
        });
        assertThat(counters.of("p", "x", false)).isEmpty();
        assertThat(RuleCounters.packets(counters.of("p", "x", true))).isEqualTo(9);
    }

    @Test
    void aCounterWhoseCommentNamesNoRuleIsLeftOut() {
        assertThat(CounterWindow.of(List.of(sample("2026-12-01T10:03:00Z", "c_default", "", 4)), SINCE, "1h").hits()).isEmpty();
    }
}
