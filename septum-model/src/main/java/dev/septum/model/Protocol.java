package dev.septum.model;

import java.util.Map;
import java.util.Optional;

/** An IP protocol number with the names EOS and nftables both understand. */
public record Protocol(int number) {
    public static final Protocol ICMP = new Protocol(1);
    public static final Protocol TCP = new Protocol(6);
    public static final Protocol UDP = new Protocol(17);
    public static final Protocol ICMPV6 = new Protocol(58);

    private static final Map<String, Integer> NAMES = Map.of(
            "icmp", 1, "igmp", 2, "tcp", 6, "udp", 17, "gre", 47, "esp", 50, "ahp", 51,
            "icmpv6", 58, "ospf", 89, "pim", 103);

    public Protocol {
        if (number < 0 || number > 255) {
            throw new IllegalArgumentException("protocol number " + number + " is outside 0-255");
        }
    }

    /** Parses {@code tcp}, {@code udp}, {@code icmp}, other well-known names, or a number 0-255. */
    public static Optional<Protocol> parse(String text) {
        Integer named = NAMES.get(text.toLowerCase(java.util.Locale.ROOT));
        if (named != null) {
            return Optional.of(new Protocol(named));
        }
        try {
            int n = Integer.parseInt(text);
            return n >= 0 && n <= 255 ? Optional.of(new Protocol(n)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Only TCP, UDP and SCTP carry ports. */
    public boolean hasPorts() {
        return number == 6 || number == 17 || number == 132;
    }

    /** The keyword when there is one, else the number. */
    public String keyword() {
        return NAMES.entrySet().stream().filter(e -> e.getValue() == number)
                .map(Map.Entry::getKey).findFirst().orElse(Integer.toString(number));
    }

    public static java.util.Set<String> names() {
        return NAMES.keySet();
    }
}
