package dev.septum.flows.store;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text forms of session query values, shared by {@code septum sessions} and the server's
 * {@code GET /api/sessions} so both accept and refuse the same things. A refusal is an
 * {@link IllegalArgumentException} whose message quotes the value and says what would be accepted;
 * the caller adds the option or parameter name.
 */
public final class QueryValues {
    private static final Pattern AGO = Pattern.compile("(\\d{1,9})(s|m|h|d)");

    private QueryValues() {
    }

    /** {@code tcp}, {@code udp}, {@code icmp}, {@code icmpv6} or a protocol number 0-255. */
    public static int protocol(String p) {
        return switch (p.toLowerCase(Locale.ROOT)) {
            case "tcp" -> 6;
            case "udp" -> 17;
            case "icmp" -> 1;
            case "icmpv6", "ipv6-icmp" -> 58;
            default -> {
                try {
                    int n = Integer.parseInt(p);
                    if (n < 0 || n > 255) {
                        throw new NumberFormatException();
                    }
                    yield n;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + p + "' is not tcp, udp, icmp, icmpv6 or 0-255");
                }
            }
        };
    }

    public static String protocolName(int p) {
        return switch (p) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 1 -> "icmp";
            case 58 -> "icmpv6";
            default -> Integer.toString(p);
        };
    }

    /** A duration back from {@code nowMs} ({@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}) or an ISO instant, as epoch ms. */
    public static long instant(String s, long nowMs) {
        Matcher m = AGO.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return nowMs - d.toMillis();
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + s + "' is neither a duration (30s, 15m, 2h, 7d) nor an ISO instant"
                    + " (2026-11-25T12:00:00Z)");
        }
    }

    /** A port 0-65535. */
    public static int port(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 0 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("'" + s + "' is not a port number 0-65535");
    }
}
