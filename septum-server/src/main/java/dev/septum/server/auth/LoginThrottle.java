package dev.septum.server.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts failed logins per user name and per client address over a sliding window. Past the
 * limit, further attempts are refused before any password is hashed, until the oldest failure
 * leaves the window. Memory is bounded: the least recently failed keys are forgotten first.
 */
public final class LoginThrottle {
    private final int perUser;
    private final int perAddress;
    private final Duration window;
    private final int maxKeys;
    private final Map<String, Deque<Instant>> failures;

    public LoginThrottle(int perUser, int perAddress, Duration window, int maxKeys) {
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.window = window;
        this.maxKeys = maxKeys;
        this.failures = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** How long the caller must wait before trying again; empty when it may try now. */
    public synchronized Optional<Duration> retryAfter(String user, String address) {
        Instant now = Instant.now();
        return wait(key("user", user), perUser, now).or(() -> wait(key("address", address), perAddress, now));
    }

    public synchronized void failed(String user, String address) {
        Instant now = Instant.now();
        for (String key : new String[] {key("user", user), key("address", address)}) {
            failures.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
        }
        while (failures.size() > maxKeys) {
            failures.remove(failures.keySet().iterator().next());
        }
    }

    /** A right password clears its user's failures (not the address's: one address may be guessing many names). */
    public synchronized void succeeded(String user) {
        failures.remove(key("user", user));
    }

    private Optional<Duration> wait(String key, int limit, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Optional.empty();
        }
        while (!times.isEmpty() && times.peekFirst().plus(window).isBefore(now)) {
            times.removeFirst();
        }
        if (times.size() < limit) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, times.peekFirst().plus(window));
        return Optional.of(left.isNegative() ? Duration.ofSeconds(1) : left.plusSeconds(1).withNanos(0));
    }

    private static String key(String kind, String value) {
        return kind + ":" + value;
    }
}
