package dev.septum.bench;

import java.util.Random;

/**
 * A large, realistic-looking policy as YAML: {@code domains} domains of {@code devicesPerDomain}
 * EOS switches, each domain with 10 policies on VRF ALL sharing its rules. Groups are /24s and
 * hosts from 10.0.0.0/8, services a mix of single ports, lists and ranges. Seeded, so every run
 * compiles the same text.
 */
final class SyntheticPolicy {
    private SyntheticPolicy() {
    }

    static String yaml(int totalRules, int domains, int devicesPerDomain, long seed) {
        Random random = new Random(seed);
        int groups = Math.max(50, totalRules / 5);
        int services = 200;
        StringBuilder y = new StringBuilder(totalRules * 200);
        y.append("domains:\n");
        for (int d = 0; d < domains; d++) {
            y.append("  - name: dom").append(d).append("\n    vrfs: [ALL]\n    devices: [");
            for (int s = 0; s < devicesPerDomain; s++) {
                y.append(s == 0 ? "" : ", ").append("sw").append(d).append('-').append(s);
            }
            y.append("]\n");
        }
        y.append("devices:\n");
        for (int d = 0; d < domains; d++) {
            for (int s = 0; s < devicesPerDomain; s++) {
                y.append("  - {name: sw").append(d).append('-').append(s)
                        .append(", platform: eos, model: DCS-7280SR3-48YC8}\n");
            }
        }
        y.append("groups:\n");
        for (int g = 0; g < groups; g++) {
            y.append("  - {name: g").append(g).append(", prefixes: [");
            int members = 1 + random.nextInt(4);
            for (int m = 0; m < members; m++) {
                int b = random.nextInt(256);
                int c = random.nextInt(256);
                y.append(m == 0 ? "" : ", ").append("10.").append(b).append('.').append(c)
                        .append(random.nextBoolean() ? ".0/24" : "." + (1 + random.nextInt(254)));
            }
            y.append("]}\n");
        }
        y.append("services:\n");
        for (int s = 0; s < services; s++) {
            int port = 1024 + random.nextInt(60000);
            String ports = switch (s % 3) {
                case 0 -> Integer.toString(port);
                case 1 -> "[" + port + ", " + (port + 7) + "]";
                default -> port + "-" + (port + 100);
            };
            y.append("  - {name: svc").append(s).append(", protocol: ").append(s % 4 == 0 ? "udp" : "tcp")
                    .append(", destination: ").append(ports).append("}\n");
        }
        y.append("policies:\n");
        int policiesPerDomain = 10;
        int rulesPerPolicy = totalRules / (domains * policiesPerDomain);
        for (int d = 0; d < domains; d++) {
            for (int p = 0; p < policiesPerDomain; p++) {
                y.append("  - name: pol").append(d).append('-').append(p).append("\n    domain: dom").append(d)
                        .append("\n    priority: ").append(p).append("\n    rules:\n");
                for (int r = 0; r < rulesPerPolicy; r++) {
                    y.append("      - {name: r").append(d).append('-').append(p).append('-').append(r)
                            .append(", sources: [g").append(random.nextInt(groups))
                            .append("], destinations: [g").append(random.nextInt(groups))
                            .append("], services: [svc").append(random.nextInt(services))
                            .append("], direction: ").append(random.nextInt(3) == 0 ? "uni" : "bi")
                            .append(", action: ").append(random.nextInt(4) == 0 ? "drop" : "forward").append("}\n");
                }
            }
        }
        return y.toString();
    }
}
