package dev.septum.bench;

import dev.septum.compile.diff.ConfigDiff;
import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.compile.pipeline.ResolutionSnapshot;
import dev.septum.compile.pipeline.ResolutionSnapshot.Member;
import dev.septum.compile.pipeline.ResolutionSnapshot.ResolvedGroup;
import inet.ipaddr.IPAddressString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 15's target: 1,000 dynamic groups with 10,000 members in all, 1 % of the members
 * changed, to the new device configs and each device's config diff (the field-set lines that
 * change) in under a second, warm. The sources' answers are given as snapshots, so what is timed
 * is Septum's part; asking a real source is a network round trip of its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class DynamicGroupsBenchmark {
    static final int GROUPS = 1_000;
    static final int MEMBERS_PER_GROUP = 10;
    static final int RULES = 2_000;
    static final int SWITCHES = 10;

    private PolicySource source;
    private ResolutionSnapshot after;
    private Map<String, String> beforeConfigs;

    @Setup
    public void setUp() {
        source = PolicySource.files("dynamic", Map.of("policy.yaml", yaml()));
        ResolutionSnapshot before = snapshot(0);
        after = snapshot(GROUPS * MEMBERS_PER_GROUP / 100);
        PolicyBuild first = PolicyBuild.of(source, GroupResolver.replay(before));
        if (!first.ok()) {
            throw new IllegalStateException("synthetic dynamic policy is invalid: " + first.errors().getFirst().format());
        }
        beforeConfigs = new LinkedHashMap<>();
        first.deviceConfigs().forEach(c -> beforeConfigs.put(c.device(), c.config()));
        if (changedLines(rebuild()) == 0) {
            throw new IllegalStateException("the changed members changed no config line");
        }
    }

    /** The new build from the changed members: every device planned and rendered, and diffed against the old config. */
    @Benchmark
    public List<List<String>> membershipChange() {
        return rebuild();
    }

    private List<List<String>> rebuild() {
        PolicyBuild build = PolicyBuild.of(source, GroupResolver.replay(after));
        List<List<String>> diffs = new ArrayList<>();
        for (PolicyBuild.DeviceConfig c : build.deviceConfigs()) {
            diffs.add(ConfigDiff.unified(c.device(), beforeConfigs.get(c.device()), c.config()));
        }
        return diffs;
    }

    private static long changedLines(List<List<String>> diffs) {
        return diffs.stream().flatMap(List::stream).filter(l -> l.startsWith("+") && !l.startsWith("+++")).count();
    }

    /** Every group's members; the first {@code changed} members (spread over the groups) move to a new address. */
    private static ResolutionSnapshot snapshot(int changed) {
        Instant at = Instant.parse("2026-12-06T00:00:00Z");
        Random random = new Random(15);
        Map<String, ResolvedGroup> groups = new LinkedHashMap<>();
        int moved = 0;
        for (int g = 0; g < GROUPS; g++) {
            List<Member> members = new ArrayList<>();
            for (int m = 0; m < MEMBERS_PER_GROUP; m++) {
                int host = g * MEMBERS_PER_GROUP + m;
                // every hundredth member moves, so the change touches 100 groups, one member each
                boolean moves = host % 100 == 0 && moved < changed;
                int octet3 = moves ? 200 + random.nextInt(50) : host / 250 % 200;
                if (moves) {
                    moved++;
                }
                members.add(new Member(new IPAddressString("10." + host / 50_000 + "." + octet3 + "." + host % 250 + "/32")
                        .getAddress(), Map.of()));
            }
            groups.put("g" + g, new ResolvedGroup("g" + g, "push", members, Optional.of(at), Optional.empty()));
        }
        return new ResolutionSnapshot(at, groups);
    }

    /** 10 EOS switches in one domain; 2,000 rules between the groups. */
    private static String yaml() {
        StringBuilder y = new StringBuilder("domains: [{name: dc, devices: [");
        for (int s = 0; s < SWITCHES; s++) {
            y.append(s == 0 ? "" : ", ").append("sw").append(s);
        }
        y.append("], vrfs: [ALL]}]\ndevices:\n");
        for (int s = 0; s < SWITCHES; s++) {
            y.append("  - {name: sw").append(s).append(", platform: eos, model: DCS-7280SR3-48YC8}\n");
        }
        y.append("groups:\n");
        for (int g = 0; g < GROUPS; g++) {
            y.append("  - {name: g").append(g).append(", source: {kind: push}}\n");
        }
        y.append("services:\n  - {name: web, protocol: tcp, destination: [80, 443]}\n  - {name: db, protocol: tcp, destination: 5432}\n");
        y.append("policies:\n  - name: p\n    domain: dc\n    vrf: ALL\n    rules:\n");
        Random random = new Random(15);
        for (int r = 0; r < RULES; r++) {
            y.append("      - {name: r").append(r).append(", sources: [g").append(random.nextInt(GROUPS))
                    .append("], destinations: [g").append(random.nextInt(GROUPS)).append("], services: [")
                    .append(r % 2 == 0 ? "web" : "db").append("], action: forward}\n");
        }
        return y.toString();
    }
}
