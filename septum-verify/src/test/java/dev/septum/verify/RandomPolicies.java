package dev.septum.verify;

import java.util.Random;

/**
 * Small random policies whose groups all lie inside 10.0.0.0/29, whose ports all lie in 0-7 and
 * whose ICMP types and codes are among {@link #ICMP_TYPES_USED} and {@link #ICMP_CODES_USED}
 * (echo-request's reply, echo-reply, is one of them), so a handful of representative packets
 * covers every equivalence class of the header space: brute force over them is exact, not a sample.
 */
final class RandomPolicies {
    static final String[] ADDRESSES = {"10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5",
        "10.0.0.6", "10.0.0.7", "192.0.2.1"};
    static final int[] PORTS = {0, 1, 2, 3, 4, 5, 6, 7, 1000};
    static final int[] PROTOCOLS = {6, 17, 1, 47};
    static final int[] ICMP_TYPES_USED = {0, 3, 8};
    static final int[] ICMP_CODES_USED = {0, 1};
    /** The types and codes used plus one of each that no policy names. */
    static final int[] ICMP_TYPES = {0, 3, 8, 9};
    static final int[] ICMP_CODES = {0, 1, 2};

    private RandomPolicies() {
    }

    static String yaml(long seed) {
        Random r = new Random(seed);
        StringBuilder y = new StringBuilder("""
                domains: [{name: d, devices: [sw], vrfs: [ALL]}]
                devices: [{name: sw, platform: eos}]
                groups:
                """);
        int groups = 2 + r.nextInt(4);
        for (int g = 0; g < groups; g++) {
            int length = 29 + r.nextInt(4);
            int base = r.nextInt(8) & ~((1 << (32 - length)) - 1);
            y.append("  - {name: g").append(g).append(", prefixes: [10.0.0.").append(base).append('/').append(length);
            if (r.nextBoolean()) {
                y.append(", 10.0.0.").append(r.nextInt(8));
            }
            y.append("]}\n");
        }
        y.append("services:\n");
        int services = 1 + r.nextInt(3);
        for (int s = 0; s < services; s++) {
            int low = r.nextInt(7);
            String protocol = switch (r.nextInt(4)) {
                case 0 -> "udp";
                case 1 -> "icmp";
                default -> "tcp";
            };
            y.append("  - {name: s").append(s).append(", protocol: ").append(protocol);
            if (protocol.equals("icmp") && r.nextBoolean()) {
                y.append(", icmp-type: ").append(ICMP_TYPES_USED[r.nextInt(ICMP_TYPES_USED.length)]);
                if (r.nextBoolean()) {
                    y.append(", icmp-code: ").append(ICMP_CODES_USED[r.nextInt(ICMP_CODES_USED.length)]);
                }
            } else if (!protocol.equals("icmp")) {
                y.append(", source: ").append(r.nextInt(3) == 0 ? low + "-7" : "all")
                        .append(", destination: ").append(low).append('-').append(low + r.nextInt(8 - low));
            }
            y.append("}\n");
        }
        y.append("policies:\n  - name: p\n    domain: d\n    rules:\n");
        int rules = 2 + r.nextInt(6);
        for (int i = 0; i < rules; i++) {
            y.append("      - {name: r").append(i)
                    .append(r.nextInt(3) == 0 ? "" : ", sources: [g" + r.nextInt(groups) + "]")
                    .append(r.nextInt(3) == 0 ? "" : ", destinations: [g" + r.nextInt(groups) + "]")
                    .append(r.nextInt(3) == 0 ? "" : ", services: [s" + r.nextInt(services) + "]")
                    .append(", direction: ").append(r.nextBoolean() ? "bi" : "uni")
                    .append(", action: ").append(r.nextBoolean() ? "drop" : "forward").append("}\n");
        }
        return y.toString();
    }
}
