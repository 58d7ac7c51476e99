package dev.septum.flows.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The mirror agent's rate limit on a clock the test moves. */
class PacketRateLimitTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSecondsBurstPassesThenTheRateRefillsIt() {
        PacketRateLimit limit = new PacketRateLimit(100, 0);
        int passed = 0;
        for (int i = 0; i < 250; i++) {
            passed += limit.take(0) ? 1 : 0;
        }
        assertThat(passed).isEqualTo(100);
        assertThat(limit.take(SECOND / 100 - 1)).as("less than one packet's time later").isFalse();
        assertThat(limit.take(SECOND / 100 + 1)).isTrue();
        passed = 0;
        for (long t = SECOND; t < 3 * SECOND; t += SECOND / 1000) { // 2,000 offered over 2 s
            passed += limit.take(t) ? 1 : 0;
        }
        // the 99 saved up over the quiet 0.99 s before, then 100 a second
        assertThat(passed).isBetween(298, 300);
        int afterQuiet = 0;
        for (int i = 0; i < 500; i++) {
            afterQuiet += limit.take(60 * SECOND) ? 1 : 0;
        }
        assertThat(afterQuiet).as("a quiet minute saves up one second's worth, no more").isEqualTo(100);
    }

    @Test
    void aRateBelowOnePacketASecondIsRefused() {
        assertThatThrownBy(() -> new PacketRateLimit(0, 0)).hasMessage("the rate limit must be at least 1 packet/s, got 0");
    }
}
