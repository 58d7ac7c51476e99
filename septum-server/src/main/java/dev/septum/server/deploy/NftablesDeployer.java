package dev.septum.server.deploy;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.deploy.nftables.ApplyResult;
import dev.septum.deploy.nftables.CounterReading;
import dev.septum.deploy.nftables.NftTarget;
import dev.septum.deploy.nftables.NftablesDriver;
import dev.septum.server.store.TargetStore.Target;
import dev.septum.deploy.Commands;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Deploys to Linux through {@link NftablesDriver}, in a network namespace or over SSH: an atomic {@code nft -f}
 * (checked with {@code nft -c} first), then a read-back of every table: each counter the script
 * declares must be in the kernel, and no other. The snapshot is the kernel's own listing of
 * Septum's tables, so a rollback restores exactly what ran before (or removes a table that did not
 * exist).
 */
public final class NftablesDeployer implements DeviceDeployer {
    private final Function<String, Optional<String>> secrets;

    /** {@code secrets}: where SSH targets' passwords or keys are looked up by variable name. */
    public NftablesDeployer(Function<String, Optional<String>> secrets) {
        this.secrets = secrets;
    }

    /** Septum's tables and its policy routing (as routing sections), as the kernel held them before a deploy. */
    record TablesSnapshot(Map<String, String> tables, String routing) implements Snapshot {
    }

    @Override
    public DeployScript render(PolicyBuild build, String device, Target target) {
        return DeployScript.of(build, device, target.family());
    }

    @Override
    public dev.septum.model.Platform platform() {
        return dev.septum.model.Platform.NFTABLES;
    }

    @Override
    public DeployScript script(String device, String text) {
        return new DeployScript(device, text, DeployScript.counters(text));
    }

    @Override
    public Snapshot snapshot(Target target, DeployScript script) {
        NftablesDriver driver = driver(target);
        Map<String, String> tables = new LinkedHashMap<>();
        script.counters().keySet().forEach(family -> tables.put(family, driver.listTable(family)));
        return new TablesSnapshot(tables, driver.routingSections());
    }

    @Override
    public StepOutcome deploy(Target target, DeployScript script) {
        NftablesDriver driver = driver(target);
        ApplyResult result = driver.apply(script.text());
        return switch (result) {
            case ApplyResult.Rejected r -> new StepOutcome.Refused("nft refused the ruleset at " + r.stage() + " on "
                    + r.target() + "; the previous ruleset stays in force: " + r.message());
            case ApplyResult.Applied a -> readBack(driver, script, a);
        };
    }

    private static StepOutcome readBack(NftablesDriver driver, DeployScript script, ApplyResult.Applied applied) {
        for (var table : script.counters().entrySet()) {
            List<String> found = driver.counters(table.getKey()).stream().map(CounterReading::name).toList();
            if (!found.equals(table.getValue())) {
                return new StepOutcome.Mismatch("read back table " + table.getKey() + " septum on " + applied.target()
                        + ": expected counters " + table.getValue() + " but the kernel holds " + found);
            }
        }
        int counters = script.counters().values().stream().mapToInt(List::size).sum();
        return new StepOutcome.Done("applied " + applied.lines() + " lines to " + applied.target() + "; read back "
                + script.counters().size() + " table(s) with " + counters + " rule counters as designed");
    }

    @Override
    public StepOutcome restore(Target target, Snapshot snapshot) {
        NftablesDriver driver = driver(target);
        StringBuilder script = new StringBuilder();
        for (var table : ((TablesSnapshot) snapshot).tables().entrySet()) {
            String family = table.getKey();
            // same replace-in-one-transaction shape as the renderer; an empty listing means there was no table
            script.append("table ").append(family).append(" septum\n");
            script.append("delete table ").append(family).append(" septum\n");
            script.append(table.getValue()).append('\n');
        }
        // a redirect's marks without its routing rules would route the traffic past the firewall
        script.append(((TablesSnapshot) snapshot).routing());
        return switch (driver.apply(script.toString())) {
            case ApplyResult.Applied a -> new StepOutcome.Done("restored the previous tables on " + a.target());
            case ApplyResult.Rejected r -> new StepOutcome.Refused("could not restore the previous tables on " + r.target() + ": "
                    + r.message());
        };
    }

    /**
     * The designed script is applied in a scratch network namespace and listed by the kernel, so
     * both sides are in nft's own canonical form; counter values are zeroed (they always differ).
     */
    @Override
    public Comparison compare(Target target, DeployScript designed) {
        String scratch = "septum-drift-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Duration timeout = Duration.ofSeconds(30);
        Commands.Result added = Commands.run(timeout, List.of("ip", "netns", "add", scratch));
        if (!added.ok()) {
            throw new IllegalStateException("cannot create a scratch namespace for the drift check: " + added.failure());
        }
        try {
            NftablesDriver scratchDriver = new NftablesDriver(new NftTarget.Namespace(scratch));
            // drift is about the nft tables; the routing sections name ports the scratch namespace lacks
            String tables = dev.septum.compile.nftables.NftConfig.parse(designed.text()).script();
            if (scratchDriver.apply(tables) instanceof ApplyResult.Rejected r) {
                throw new IllegalStateException("the designed ruleset does not load: " + r.message());
            }
            NftablesDriver device = driver(target);
            StringBuilder want = new StringBuilder();
            StringBuilder have = new StringBuilder();
            for (String family : designed.counters().keySet()) {
                want.append(normal(scratchDriver.listTable(family)));
                have.append(normal(device.listTable(family)));
            }
            return new Comparison(want.toString(), have.toString());
        } finally {
            Commands.run(timeout, List.of("ip", "netns", "delete", scratch));
        }
    }

    private static String normal(String listing) {
        return listing.replaceAll("packets \\d+ bytes \\d+", "packets 0 bytes 0");
    }

    private NftablesDriver driver(Target target) {
        return NftTargets.driver(target, secrets);
    }
}
