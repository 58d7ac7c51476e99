package dev.septum.bench;

import dev.septum.compile.eos.EosRenderer;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.model.PolicyModel;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import java.util.List;
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
 * Compile of a synthetic 10,000-rule policy for 100 EOS switches (10 domains of 10), in the
 * stages a user waits for: YAML load with validation, planning, rendering every device's config.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class CompileBenchmark {
    private String yaml;
    private PolicyModel model;
    private List<DevicePlan> plans;

    @Setup
    public void setUp() {
        yaml = SyntheticPolicy.yaml(10_000, 10, 10, 42);
        LoadedPolicy loaded = PolicyLoader.loadString("synthetic.yaml", yaml);
        if (loaded.hasErrors()) {
            throw new IllegalStateException("synthetic policy is invalid: " + loaded.errors().getFirst().format());
        }
        model = loaded.model();
        plans = DevicePlanner.plan(model);
    }

    @Benchmark
    public LoadedPolicy loadAndValidate() {
        return PolicyLoader.loadString("synthetic.yaml", yaml);
    }

    @Benchmark
    public List<DevicePlan> planAllDevices() {
        return DevicePlanner.plan(model);
    }

    @Benchmark
    public long renderAllDevices() {
        EosRenderer renderer = new EosRenderer();
        long bytes = 0;
        for (DevicePlan plan : plans) {
            bytes += renderer.render(plan).length();
        }
        return bytes;
    }

    /** What {@code septum compile <dir> --out DIR} costs end to end, minus the file writes. */
    @Benchmark
    public long endToEnd() {
        LoadedPolicy loaded = PolicyLoader.loadString("synthetic.yaml", yaml);
        EosRenderer renderer = new EosRenderer();
        long bytes = 0;
        for (DevicePlan plan : DevicePlanner.plan(loaded.model())) {
            bytes += renderer.render(plan).length();
        }
        return bytes;
    }
}
