package dev.septum.model;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * ICMP and ICMPv6 type and code names, exactly the symbolic constants nftables defines
 * ({@code nft describe icmp type}, {@code icmpv6 type}, {@code icmp code}, {@code icmpv6 code},
 * nftables 1.0.6), so a name written in a policy is one nft accepts. EOS is given numbers (see
 * the EOS renderer), so no name needs to be one EOS spells the same way.
 */
public final class IcmpTypes {
    private static final Map<String, Integer> ICMP_TYPES = sorted(Map.ofEntries(
            Map.entry("echo-reply", 0), Map.entry("destination-unreachable", 3), Map.entry("source-quench", 4),
            Map.entry("redirect", 5), Map.entry("echo-request", 8), Map.entry("router-advertisement", 9),
            Map.entry("router-solicitation", 10), Map.entry("time-exceeded", 11), Map.entry("parameter-problem", 12),
            Map.entry("timestamp-request", 13), Map.entry("timestamp-reply", 14), Map.entry("info-request", 15),
            Map.entry("info-reply", 16), Map.entry("address-mask-request", 17), Map.entry("address-mask-reply", 18)));
    private static final Map<String, Integer> ICMPV6_TYPES = sorted(Map.ofEntries(
            Map.entry("destination-unreachable", 1), Map.entry("packet-too-big", 2), Map.entry("time-exceeded", 3),
            Map.entry("parameter-problem", 4), Map.entry("echo-request", 128), Map.entry("echo-reply", 129),
            Map.entry("mld-listener-query", 130), Map.entry("mld-listener-report", 131),
            Map.entry("mld-listener-done", 132), Map.entry("nd-router-solicit", 133),
            Map.entry("nd-router-advert", 134), Map.entry("nd-neighbor-solicit", 135),
            Map.entry("nd-neighbor-advert", 136), Map.entry("nd-redirect", 137), Map.entry("router-renumbering", 138),
            Map.entry("ind-neighbor-solicit", 141), Map.entry("ind-neighbor-advert", 142),
            Map.entry("mld2-listener-report", 143)));
    private static final Map<String, Integer> ICMP_CODES = sorted(Map.of(
            "net-unreachable", 0, "host-unreachable", 1, "prot-unreachable", 2, "port-unreachable", 3,
            "frag-needed", 4, "net-prohibited", 9, "host-prohibited", 10, "admin-prohibited", 13));
    private static final Map<String, Integer> ICMPV6_CODES = sorted(Map.of(
            "no-route", 0, "admin-prohibited", 1, "addr-unreachable", 3, "port-unreachable", 4,
            "policy-fail", 5, "reject-route", 6));
    /** The type a reply to a request carries: echo, timestamp, information and address mask. */
    private static final Map<Integer, Integer> ICMP_REPLIES = Map.of(8, 0, 13, 14, 15, 16, 17, 18);
    private static final Map<Integer, Integer> ICMPV6_REPLIES = Map.of(128, 129);

    private IcmpTypes() {
    }

    private static Map<String, Integer> sorted(Map<String, Integer> names) {
        return new TreeMap<>(names);
    }

    /** Whether the protocol is ICMP or ICMPv6, the two that carry a type and code. */
    public static boolean hasTypes(Protocol p) {
        return p.equals(Protocol.ICMP) || p.equals(Protocol.ICMPV6);
    }

    public static Set<String> typeNames(Protocol p) {
        return (p.equals(Protocol.ICMPV6) ? ICMPV6_TYPES : ICMP_TYPES).keySet();
    }

    public static Set<String> codeNames(Protocol p) {
        return (p.equals(Protocol.ICMPV6) ? ICMPV6_CODES : ICMP_CODES).keySet();
    }

    /** A type by name or number 0-255. */
    public static Optional<Integer> type(Protocol p, String text) {
        return parse(p.equals(Protocol.ICMPV6) ? ICMPV6_TYPES : ICMP_TYPES, text);
    }

    /** A code by name or number 0-255. */
    public static Optional<Integer> code(Protocol p, String text) {
        return parse(p.equals(Protocol.ICMPV6) ? ICMPV6_CODES : ICMP_CODES, text);
    }

    private static Optional<Integer> parse(Map<String, Integer> names, String text) {
        Integer named = names.get(text);
        if (named != null) {
            return Optional.of(named);
        }
        if (text.matches("\\d{1,3}")) {
            int n = Integer.parseInt(text);
            return n <= 255 ? Optional.of(n) : Optional.empty();
        }
        return Optional.empty();
    }

    /** The nftables name of a type, when it has one. */
    public static Optional<String> typeName(Protocol p, int type) {
        return (p.equals(Protocol.ICMPV6) ? ICMPV6_TYPES : ICMP_TYPES).entrySet().stream()
                .filter(e -> e.getValue() == type).map(Map.Entry::getKey).findFirst();
    }

    /** {@code echo-request}, {@code destination-unreachable code 4}, {@code type 200}: for traces and findings. */
    public static String describe(Protocol p, int type, java.util.OptionalInt code) {
        return typeName(p, type).orElse("type " + type) + (code.isPresent() ? " code " + code.getAsInt() : "");
    }

    /** The type of the reply to a request of this type, or the type itself when it is no request. */
    public static int replyType(Protocol p, int type) {
        return (p.equals(Protocol.ICMPV6) ? ICMPV6_REPLIES : ICMP_REPLIES).getOrDefault(type, type);
    }
}
