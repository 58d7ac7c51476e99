package dev.septum.server.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.store.CounterStore.Sample;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleHitsTest {
    @Test
    void theLastHitIsThePollWhereTheCounterLastGrew() {
        List<Sample> samples = List.of(
                new Sample("sw", "t1", "ssh", "p/ssh", 0, 0), new Sample("sw", "t1", "web", "p/web", 5, 500),
                new Sample("sw", "t2", "ssh", "p/ssh", 3, 300), new Sample("sw", "t2", "web", "p/web", 5, 500),
                new Sample("sw", "t3", "ssh", "p/ssh", 3, 300), new Sample("sw", "t3", "web", "p/web", 5, 500),
                new Sample("sw", "t3", "idle", "p/idle", 0, 0));
        RuleHits hits = RuleHits.of("sw", samples);
        assertThat(hits.polls()).containsExactly("t1", "t2", "t3");
        RuleHits.Match ssh = hits.matches().get(0);
        assertThat(ssh.packets()).containsExactly(0L, 3L, 3L);
        assertThat(ssh.lastHit()).contains("t2");
        assertThat(hits.matches().get(1).lastHit()).contains("t1");
        RuleHits.Match idle = hits.matches().get(2);
        assertThat(idle.packets()).isEqualTo(Arrays.asList(null, null, 0L));
        assertThat(idle.neverHit()).isTrue();
        assertThat(idle.lastHit()).isEqualTo(Optional.empty());
    }
}
