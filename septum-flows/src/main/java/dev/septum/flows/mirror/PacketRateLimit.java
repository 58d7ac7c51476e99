package dev.septum.flows.mirror;

/**
 * A token bucket in packets: at most {@code packetsPerSecond} on average, bursts of up to one
 * second's worth, as a switch's mirror rate limit drops the copies over it. One thread uses it.
 */
public final class PacketRateLimit {
    private final long packetsPerSecond;
    private double tokens;
    private long refilledAtNanos;

    public PacketRateLimit(long packetsPerSecond, long nowNanos) {
        this.packetsPerSecond = requireValid(packetsPerSecond);
        this.tokens = packetsPerSecond;
        this.refilledAtNanos = nowNanos;
    }

    /** @throws IllegalArgumentException below 1 packet/s */
    public static long requireValid(long packetsPerSecond) {
        if (packetsPerSecond < 1) {
            throw new IllegalArgumentException("the rate limit must be at least 1 packet/s, got " + packetsPerSecond);
        }
        return packetsPerSecond;
    }

    /** True when one more packet may go at {@code nowNanos} (System.nanoTime), which it then uses up. */
    public boolean take(long nowNanos) {
        tokens = Math.min(packetsPerSecond, tokens + (nowNanos - refilledAtNanos) * (packetsPerSecond / 1e9));
        refilledAtNanos = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
