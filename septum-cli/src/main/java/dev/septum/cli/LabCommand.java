package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.lab.Lab;
import dev.septum.lab.LabException;
import dev.septum.lab.LabReport;
import dev.septum.lab.LabResult;
import dev.septum.lab.LabSpec;
import dev.septum.lab.LabSpecException;
import dev.septum.lab.LabTools;
import dev.septum.lab.LabMonitor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Replay a policy's tests with real traffic in Linux network namespaces.",
            "Reads <dir>/lab.yaml (hosts, subnets, bridges, probes, scenarios), builds a router namespace, "
                + "hypervisor bridges and one namespace per host, enforces the policy with Septum's nftables output "
                + "(inet on the router; bridge on hypervisors when a scenario asks), and probes with nc, curl and "
                + "ping. Needs root and these programs: " + LabTools.SUMMARY + "; a missing one stops the lab (exit 4) "
                + "before anything is built or probed."},
        subcommands = {LabCommand.Run.class, LabCommand.Up.class, LabCommand.Down.class, LabCommand.Config.class},
        footer = {"", "Examples:",
            "  septum lab run examples/seed-lab",
            "  septum lab up examples/seed-lab --scenario port-isolation",
            "  ip netns exec sxl-laptop curl http://10.100.99.51/",
            "  septum lab down examples/seed-lab",
            "", "Exit codes: 0 every probe as expected, 1 mismatches or policy errors, 2 usage error, 4 the lab could "
                + "not be built (not root, a program missing)."})
final class LabCommand implements Runnable {
    static final int LAB_FAILED = 4;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a lab command: run, up or down");
    }

    /** What every lab subcommand shares: the directory, the namespace prefix, the error handling. */
    abstract static class LabAction implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Policy directory with a lab.yaml, e.g. examples/seed-lab")
        Path directory;

        @Option(names = "--prefix", defaultValue = Lab.DEFAULT_PREFIX,
                description = "Prefix of the lab's network namespace names (default: ${DEFAULT-VALUE})")
        String prefix;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<PolicyBuild> build = PolicyGate.valid(PolicyInput.of(directory), spec.commandLine(), err);
            if (build.isEmpty()) {
                return ExitCodes.POLICY_ERRORS;
            }
            try {
                Lab lab = Lab.open(directory, build.get(), prefix, line -> {
                    out.println(line);
                    out.flush();
                }, monitor(build.get()));
                return act(lab, out);
            } catch (LabSpecException e) {
                e.problems().forEach(err::println);
                err.flush();
                return ExitCodes.POLICY_ERRORS;
            } catch (LabException e) {
                err.println("septum lab: " + e.getMessage());
                err.flush();
                return LAB_FAILED;
            } finally {
                done();
            }
        }

        /** After the command, also when it failed. */
        void done() {
        }

        abstract int act(Lab lab, PrintWriter out);

        /** Only {@code run} runs the monitor node; the others only check that lab.yaml places it right. */
        LabMonitor monitor(PolicyBuild build) {
            return LabMonitor.NONE;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Build the lab, probe every scenario, print expected against observed, tear it down.")
    static final class Run extends LabAction {
        @Option(names = "--monitor-data", paramLabel = "DIR",
                description = "Keep the monitor node's session stores here, one per scenario (septum sessions --data-dir "
                        + "DIR/SCENARIO); by default they go to a temporary directory deleted after the run")
        Optional<Path> monitorData;

        private Path storeDir;

        @Override
        LabMonitor monitor(PolicyBuild build) {
            try {
                storeDir = monitorData.isPresent() ? monitorData.get() : Files.createTempDirectory("septum-lab-monitor");
            } catch (IOException e) {
                throw new LabException("cannot create a directory for the monitor node's store: " + e.getMessage());
            }
            return new LabMirrorMonitor(build, directory, storeDir);
        }

        @Override
        int act(Lab lab, PrintWriter out) {
            LabResult result = lab.run();
            LabReport.print(out, lab.spec(), result);
            if (monitorData.isPresent() && lab.spec().monitor().isPresent()) {
                out.println("monitor node's sessions: septum sessions --data-dir " + storeDir.resolve("SCENARIO"));
                out.flush();
            }
            return result.allMatch() ? ExitCodes.OK : ExitCodes.POLICY_ERRORS;
        }

        @Override
        void done() {
            if (monitorData.isEmpty() && storeDir != null) {
                deleteTree(storeDir);
            }
        }

        private static void deleteTree(Path root) {
            try (var paths = Files.walk(root)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // a temporary directory left behind is the system's to clean; the lab's answer stands
            }
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Build the lab and enforce one scenario, then leave it running for your own probes.",
                "Hosts answer ping only; 'lab run' serves the listed services while it probes."})
    static final class Up extends LabAction {
        @Option(names = "--scenario", paramLabel = "NAME", description = "Scenario to enforce (default: the first)")
        Optional<String> scenario;

        @Override
        int act(Lab lab, PrintWriter out) {
            LabSpec.Scenario s = lab.up(scenario);
            out.println("lab is up: scenario " + s.name() + "; namespaces start with '" + prefix + "'");
            out.println("try: ip netns exec " + prefix + lab.spec().hosts().getFirst().name() + " ping -c1 "
                    + lab.spec().hosts().getLast().address().toCanonicalString());
            out.println("tear down: septum lab down " + directory);
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "config", mixinStandardHelpOptions = true,
            description = {"Print the nftables script the lab deploys: the core router's (inet), another router's with "
                + "--router, or a bridge's with --bridge.", "Builds nothing; needs no root."})
    static final class Config extends LabAction {
        @Option(names = "--bridge", paramLabel = "NAME", description = "A bridge of lab.yaml (default: the core router)")
        Optional<String> bridge;

        @Option(names = "--router", paramLabel = "NAME", description = "A router of lab.yaml (default: the first, the core)")
        Optional<String> router;

        @Override
        int act(Lab lab, PrintWriter out) {
            LabSpec s = lab.spec();
            if (bridge.isPresent()) {
                Optional<LabSpec.Bridge> b = s.bridges().stream().filter(x -> x.name().equals(bridge.get())).findFirst();
                if (b.isEmpty()) {
                    return unknown("bridge", bridge.get(), s.bridges().stream().map(LabSpec.Bridge::name).toList());
                }
                out.print(lab.bridgeConfig(b.get()));
            } else {
                Optional<LabSpec.Router> r = router.isEmpty() ? Optional.of(s.router())
                        : s.routers().stream().filter(x -> x.name().equals(router.get())).findFirst();
                if (r.isEmpty()) {
                    return unknown("router", router.get(), s.routers().stream().map(LabSpec.Router::name).toList());
                }
                out.print(lab.routerConfig(r.get()));
            }
            out.flush();
            return ExitCodes.OK;
        }

        private int unknown(String kind, String name, java.util.List<String> names) {
            spec.commandLine().getErr().println("septum lab config: no " + kind + " is named '" + name + "'. Fix: use one of "
                    + String.join(", ", names));
            spec.commandLine().getErr().flush();
            return ExitCodes.USAGE;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Delete every network namespace of the lab (all names with the prefix).")
    static final class Down extends LabAction {
        @Override
        int act(Lab lab, PrintWriter out) {
            lab.down();
            out.println("lab is down");
            out.flush();
            return ExitCodes.OK;
        }
    }
}
