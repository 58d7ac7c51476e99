package dev.septum.flows.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How long the store writer waits after a flush, from the CPU that flush took. */
class FlushPaceTest {
    static final long INTERVAL_MS = 2_000;

    @Test
    void aCheapFlushWaitsTheInterval() {
        assertThat(StoreWriter.waitAfter(INTERVAL_MS, TimeUnit.MILLISECONDS.toNanos(20))).isEqualTo(INTERVAL_MS);
    }

    @Test
    void aCostlyFlushWaitsLongerSoFlushingTakesAFortiethOfACore() {
        long flushMs = 150;
        long waitMs = StoreWriter.waitAfter(INTERVAL_MS, TimeUnit.MILLISECONDS.toNanos(flushMs));
        assertThat(waitMs).isEqualTo(5_850);
        assertThat((double) flushMs / (flushMs + waitMs)).isEqualTo(0.025);
    }

    @Test
    void noFlushWaitsMoreThanTenIntervals() {
        assertThat(StoreWriter.waitAfter(INTERVAL_MS, TimeUnit.SECONDS.toNanos(5))).isEqualTo(10 * INTERVAL_MS);
    }
}
