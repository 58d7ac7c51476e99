package dev.septum.deploy.nftables;

import dev.septum.compile.nftables.NftConfig;
import dev.septum.compile.nftables.NftNames;
import dev.septum.deploy.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies a rendered nftables script to one target and reads its counters back. The script
 * replaces Septum's tables in one transaction ({@code table; delete table; table {...}}), and is
 * checked with {@code nft -c} first, so a bad script never reaches the kernel and a refused commit
 * leaves the previous ruleset in force (nft transactions are all or nothing).
 */
public final class NftablesDriver {
    private static final Duration NFT_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final NftTarget target;
    private final UnaryOperator<String> environment;

    public NftablesDriver(NftTarget target) {
        this(target, System::getenv);
    }

    /** {@code environment} resolves the SSH secret's variable name; tests pass their own. */
    public NftablesDriver(NftTarget target, UnaryOperator<String> environment) {
        this.target = target;
        this.environment = environment;
    }

    public NftTarget target() {
        return target;
    }

    /**
     * Applies a rendered config: its nft script checked with {@code nft -c}, then its routing sections
     * ({@link NftConfig}; Septum's policy-routing rules replaced, never added twice), then the script
     * committed. {@code ip} changes are not atomic: if they fail, the previous nft ruleset stays in
     * force and the result says what failed.
     */
    public ApplyResult apply(String config) {
        NftConfig parts = NftConfig.parse(config);
        String script = parts.script();
        if (target instanceof NftTarget.Ssh) {
            if (!parts.routing().isEmpty()) {
                return new ApplyResult.Rejected(target.describe(), "routing", "this config redirects by policy routing, "
                        + "which Septum applies in network namespaces and on this host only, not yet over SSH. "
                        + "Fix: enforce the redirect on a router Septum reaches locally, or on an EOS switch");
            }
            // stdin: nothing is left on the remote host, and nft still quotes the offending line
            Commands.Result check = nft(script, "-c", "-f", "-");
            if (!check.ok()) {
                return new ApplyResult.Rejected(target.describe(), "check", check.failure());
            }
            Commands.Result commit = nft(script, "-f", "-");
            if (!commit.ok()) {
                return new ApplyResult.Rejected(target.describe(), "commit", commit.failure());
            }
            return new ApplyResult.Applied(target.describe(), (int) script.lines().count());
        }
        Path file = null;
        try {
            // a file, not stdin: nft's error messages then quote the offending line with its number
            file = Files.createTempFile("septum-", ".nft");
            Files.writeString(file, script);
            Commands.Result check = nft(null, "-c", "-f", file.toString());
            if (!check.ok()) {
                return new ApplyResult.Rejected(target.describe(), "check", check.failure());
            }
            Optional<String> routingFailure = new PolicyRouting((NftTarget.Local) target).replace(parts.routing());
            if (routingFailure.isPresent()) {
                return new ApplyResult.Rejected(target.describe(), "routing", routingFailure.get());
            }
            Commands.Result commit = nft(null, "-f", file.toString());
            if (!commit.ok()) {
                return new ApplyResult.Rejected(target.describe(), "commit", commit.failure());
            }
            return new ApplyResult.Applied(target.describe(), (int) script.lines().count());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the nft script to a temporary file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
    }

    /** Removes Septum's table of this family; other tables stay. Missing is fine. */
    public void remove(String family) {
        nft(null, "delete", "table", family, NftNames.TABLE);
    }

    /**
     * Every match's counter in Septum's table of the family: the named counters in the table's
     * order, then the matches that count on region-map elements, by name, each the sum of the
     * elements its comment ({@code c_<match> <policy>/<rule>}) gives it. Empty if there is no table.
     */
    public List<CounterReading> counters(String family) {
        Commands.Result listed = nft(null, "-j", "list", "table", family, NftNames.TABLE);
        if (!listed.ok()) {
            return List.of();
        }
        List<CounterReading> readings = new ArrayList<>();
        Map<String, CounterReading> onElements = new TreeMap<>();
        for (JsonNode item : JSON.readTree(listed.stdout()).path("nftables")) {
            JsonNode c = item.path("counter");
            if (c.isObject()) {
                readings.add(new CounterReading(c.path("family").asString(), c.path("name").asString(),
                        c.path("comment").asString(""), c.path("packets").asLong(), c.path("bytes").asLong()));
            }
            for (JsonNode pair : item.path("map").path("elem")) {
                JsonNode elem = pair.path(0).path("elem");
                String[] owner = elem.path("comment").asString("").split(" ", 2);
                if (owner.length == 2 && owner[0].startsWith("c_") && elem.path("counter").isObject()) {
                    JsonNode counted = elem.path("counter");
                    onElements.merge(owner[0], new CounterReading(family, owner[0], owner[1],
                                    counted.path("packets").asLong(), counted.path("bytes").asLong()),
                            (a, b) -> new CounterReading(family, a.name(), a.comment(), a.packets() + b.packets(),
                                    a.bytes() + b.bytes()));
                }
            }
        }
        readings.addAll(onElements.values());
        return readings;
    }

    /**
     * Septum's policy routing as the kernel holds it, as routing sections to append to a script (empty
     * when there is none, and over SSH, where Septum applies none).
     */
    public String routingSections() {
        return target instanceof NftTarget.Local local ? new PolicyRouting(local).current() : "";
    }

    /** The table as the kernel holds it (text), for diffs and drift checks. */
    public String listTable(String family) {
        Commands.Result listed = nft(null, "list", "table", family, NftNames.TABLE);
        return listed.ok() ? listed.stdout() : "";
    }

    /** Runs {@code nft args} on the target, feeding {@code stdin} when given. */
    private Commands.Result nft(String stdin, String... args) {
        return switch (target) {
            case NftTarget.Local local -> Commands.run(NFT_TIMEOUT, local.nft(args), stdin);
            case NftTarget.Ssh ssh -> new SshNft(ssh, environment).run(NFT_TIMEOUT, stdin, args);
        };
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless; the apply result is what matters
            }
        }
    }
}
