package dev.septum.deploy.nftables;

import dev.septum.compile.nftables.NftNames;
import dev.septum.deploy.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    public NftablesDriver(NftTarget target) {
        this.target = target;
    }

    public NftTarget target() {
        return target;
    }

    public ApplyResult apply(String script) {
        Path file = null;
        try {
            // a file, not stdin: nft's error messages then quote the offending line with its number
            file = Files.createTempFile("septum-", ".nft");
            Files.writeString(file, script);
            Commands.Result check = Commands.run(NFT_TIMEOUT, target.nft("-c", "-f", file.toString()));
            if (!check.ok()) {
                return new ApplyResult.Rejected(target.describe(), "check", check.failure());
            }
            Commands.Result commit = Commands.run(NFT_TIMEOUT, target.nft("-f", file.toString()));
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
        Commands.run(NFT_TIMEOUT, target.nft("delete", "table", family, NftNames.TABLE));
    }

    /** Every named counter in Septum's table of the family, in the table's order; empty if there is no table. */
    public List<CounterReading> counters(String family) {
        Commands.Result listed = Commands.run(NFT_TIMEOUT, target.nft("-j", "list", "counters", "table", family, NftNames.TABLE));
        if (!listed.ok()) {
            return List.of();
        }
        List<CounterReading> readings = new ArrayList<>();
        for (JsonNode item : JSON.readTree(listed.stdout()).path("nftables")) {
            JsonNode c = item.path("counter");
            if (c.isObject()) {
                readings.add(new CounterReading(c.path("family").asString(), c.path("name").asString(),
                        c.path("comment").asString(""), c.path("packets").asLong(), c.path("bytes").asLong()));
            }
        }
        return readings;
    }

    /** The table as the kernel holds it (text), for diffs and drift checks. */
    public String listTable(String family) {
        Commands.Result listed = Commands.run(NFT_TIMEOUT, target.nft("list", "table", family, NftNames.TABLE));
        return listed.ok() ? listed.stdout() : "";
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
