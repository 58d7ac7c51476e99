package dev.septum.builder.recommend;

import java.util.List;
import java.util.Optional;

/**
 * What one recommendation run is asked for.
 *
 * @param categories    group categories to aggregate by: groups carrying one of these keys stand for
 *                      their members; every other address stays exact (/32, /128)
 * @param boundary      category keys no proposed rule may span two values of (e.g. {@code env})
 * @param budget        β: total over-permission allowed, as a fraction of the observed weight
 * @param minPrecision  τ: every rule's precision is at least this
 * @param portSlack     unobserved ports a merged server port range may contain
 * @param device        the enforcing device whose matches decide; empty: the first with a policy
 */
public record RecommendRequest(List<String> categories, List<String> boundary, double budget, double minPrecision,
                               int portSlack, Selection selection, Placement placement, Optional<String> device) {
    public static final double DEFAULT_MIN_PRECISION = 0.5;
    public static final int DEFAULT_PORT_SLACK = 16;
    /** A server needs this many distinct ports on one protocol before they are merged into ranges. */
    public static final int MIN_PORTS_FOR_RANGE = 8;

    public RecommendRequest {
        categories = List.copyOf(categories);
        boundary = List.copyOf(boundary);
        if (!(budget >= 0 && budget <= 10)) {
            throw new IllegalArgumentException("budget " + budget + " is not a fraction: use 0 (open nothing unobserved) to 10");
        }
        if (!(minPrecision > 0 && minPrecision <= 1)) {
            throw new IllegalArgumentException("min-precision " + minPrecision + " must be above 0 and at most 1");
        }
        if (portSlack < 0 || portSlack > 4096) {
            throw new IllegalArgumentException("port slack " + portSlack + " must be 0 to 4096");
        }
    }

    /** Which stored sessions are the evidence. */
    public sealed interface Selection {
        /** Every session of the time window. */
        record All() implements Selection {
        }

        /** Sessions the named rule or device match decided (e.g. {@code drop_all_else_web-app}). */
        record ByRule(String ruleOrMatch) implements Selection {
        }

        /** Sessions decided by the rules that mirror to the named monitor object (the seed's collected sessions). */
        record ByMonitor(String monitor) implements Selection {
        }
    }

    /** Where the proposed rules go. */
    public sealed interface Placement {
        /** A new policy, ordered before the existing policies of its domain and VRF. */
        record NewPolicy(String name) implements Placement {
        }

        /** Into an existing policy, before the first of its rules that decided the evidence (its drop-else, a monitor rule). */
        record Into(String policy) implements Placement {
        }
    }
}
