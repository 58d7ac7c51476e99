package dev.septum.bench;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.verify.Finding;
import dev.septum.verify.PolicyChecker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code septum check} on the synthetic policy: exact shadowing, redundancy, overlap and
 * stateless-reverse analysis of every enforced traffic-policy. {@code domains=1} puts all
 * 10,000 rules (about 16,700 matches with the -reverse twins) into one traffic-policy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx8g"})
public class CheckBenchmark {
    @Param({"10", "1"})
    int domains;

    private PolicyBuild build;

    @Setup
    public void setUp() {
        build = PolicyBuild.of(PolicySource.files("synthetic",
                java.util.Map.of("synthetic.yaml", SyntheticPolicy.yaml(10_000, domains, 100 / domains, 42))));
        if (!build.ok()) {
            throw new IllegalStateException(build.errors().getFirst().format());
        }
    }

    @Benchmark
    public List<Finding> check() {
        return PolicyChecker.check(build);
    }
}
