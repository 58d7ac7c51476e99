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
 * leaves the window. An attempt counts as failed from the moment it is let through until its
 * password is found right, so a burst of concurrent attempts cannot slip past the limit while
 * their hashes are computed. Memory is bounded: the least recently failed keys are forgotten first.
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

    /**
     * Lets an attempt through, counted as failed until {@link #succeeded}; or, past a limit, how
     * long the caller must wait before trying again.
     */
    public synchronized Optional<Duration> attempt(String user, String address) {
        Instant now = Instant.now();
        Optional<Duration> wait = wait(key("user", user), perUser, now).or(() -> wait(key("address", address), perAddress, now));
        if (wait.isEmpty()) {
            for (String key : new String[] {key("user", user), key("address", address)}) {
                failures.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
            }
            while (failures.size() > maxKeys) {
                failures.remove(failures.keySet().iterator().next());
            }
        }
        return wait;
    }

    /**
     * A right password clears its user's failures and takes back its own count at the address
     * (not the address's other failures: one address may be guessing many names).
     */
    public synchronized void succeeded(String user, String address) {
        failures.remove(key("user", user));
        takeBack(key("address", address));
    }

    /** An attempt let through but never checked (the hashing pool was full) does not count. */
    public synchronized void withdraw(String user, String address) {
        takeBack(key("user", user));
        takeBack(key("address", address));
    }

    private void takeBack(String key) {
        Deque<Instant> times = failures.get(key);
        if (times != null) {
            times.pollLast();
        }
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
