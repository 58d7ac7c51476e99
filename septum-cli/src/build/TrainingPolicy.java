import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Build step of septum-cli (run by the JDK's source launcher): writes the policy directory the AOT
 * cache's training run compiles. It holds the seed lab's policy files (mirror sessions, GRE
 * tunnels, a monitor node: the paths `compile examples/seed-lab` takes) and a synthetic policy of
 * RULES rules on one EOS switch (the paths a large policy runs hot), so one run trains both. The
 * synthetic part has the shape of bench/compile/gen.py's, without needing Python to build.
 *
 * Usage: java TrainingPolicy.java SEED_LAB_DIR RULES OUTPUT_DIR
 */
public final class TrainingPolicy {
    private static final int SERVICES = 200;

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: TrainingPolicy SEED_LAB_DIR RULES OUTPUT_DIR");
        }
        Path seedLab = Path.of(args[0]);
        int rules = Integer.parseInt(args[1]);
        Path output = Files.createDirectories(Path.of(args[2]));
        try (Stream<Path> files = Files.list(seedLab)) {
            for (Path file : files.filter(TrainingPolicy::isPolicyFile).toList()) {
                Files.copy(file, output.resolve("seed-" + file.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Random random = new Random(3); // fixed: the same build trains on the same bytes
        int groups = Math.max(2, rules / 5);
        Files.writeString(output.resolve("bench-inventory.yaml"), """
                domains:
                  - {name: bench, devices: [sw1], vrfs: [ALL]}
                devices:
                  - {name: sw1, platform: eos, role: switch, model: DCS-7280SR3-48YC8, loopback: 10.255.0.1}
                """);
        StringBuilder objects = new StringBuilder("groups:\n");
        for (int g = 1; g <= groups; g++) {
            List<String> prefixes = new ArrayList<>();
            for (int k = 1 + random.nextInt(4); prefixes.size() < k; ) {
                String prefix = random.nextBoolean()
                        ? "10.%d.%d.0/24".formatted(random.nextInt(256), random.nextInt(256))
                        : "10.%d.%d.%d".formatted(random.nextInt(256), random.nextInt(256), 1 + random.nextInt(254));
                if (!prefixes.contains(prefix)) {
                    prefixes.add(prefix);
                }
            }
            objects.append("  - {name: g%05d, prefixes: [%s]}\n".formatted(g, String.join(", ", prefixes)));
        }
        objects.append("services:\n");
        for (int s = 1; s <= SERVICES; s++) {
            String protocol = random.nextBoolean() ? "tcp" : "udp";
            objects.append("  - {name: s%03d, protocol: %s, destination: %s}\n".formatted(s, protocol, ports(random)));
        }
        Files.writeString(output.resolve("bench-objects.yaml"), objects);
        StringBuilder policies = new StringBuilder(
                "policies:\n  - name: bench\n    domain: bench\n    vrf: ALL\n    rules:\n");
        for (int r = 1; r <= rules; r++) {
            int source = random.nextInt(groups);
            int destination = (source + 1 + random.nextInt(groups - 1)) % groups;
            policies.append("      - {name: r%05d, sources: [g%05d], destinations: [g%05d], services: [s%03d],"
                    .formatted(r, source + 1, destination + 1, 1 + random.nextInt(SERVICES)))
                    .append(" direction: %s, action: %s}\n".formatted(
                            random.nextBoolean() ? "bi" : "uni", random.nextInt(10) < 7 ? "forward" : "drop"));
        }
        Files.writeString(output.resolve("bench-policies.yaml"), policies);
    }

    private static boolean isPolicyFile(Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.equals("lab.yaml");
    }

    /** One port (1 in 2), a list of 2-4 distinct ports (3 in 10) or a range (2 in 10). */
    private static String ports(Random random) {
        int kind = random.nextInt(10);
        if (kind < 5) {
            return Integer.toString(1024 + random.nextInt(64000));
        }
        if (kind < 8) {
            List<Integer> list = new ArrayList<>();
            for (int k = 2 + random.nextInt(3); list.size() < k; ) {
                int port = 1024 + random.nextInt(64000);
                if (!list.contains(port)) {
                    list.add(port);
                }
            }
            list.sort(null);
            return list.toString();
        }
        int low = 1024 + random.nextInt(60000);
        return "%d-%d".formatted(low, low + 500 + random.nextInt(500));
    }
}
