package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.option;
import static dev.septum.cli.CommandModel.optional;
import static dev.septum.cli.CommandModel.positional;

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
import picocli.CommandLine.Model.CommandSpec;

final class LabCommand implements Runnable {
    static final int LAB_FAILED = 4;

    private CommandSpec spec;

    static CommandSpec spec() {
        LabCommand c = new LabCommand();
        c.spec = command("lab", c,
                new String[] {"Replay a policy's tests with real traffic in Linux network namespaces.",
                    "Reads <dir>/lab.yaml (hosts, subnets, bridges, probes, scenarios), builds a router namespace, "
                        + "hypervisor bridges and one namespace per host, enforces the policy with Septum's nftables output "
                        + "(inet on the router; bridge on hypervisors when a scenario asks), and probes with nc, curl and "
                        + "ping. Needs root and these programs: " + LabTools.SUMMARY + "; a missing one stops the lab (exit 4) "
                        + "before anything is built or probed."},
                "", "Examples:",
                "  septum lab run examples/seed-lab",
                "  septum lab up examples/seed-lab --scenario port-isolation",
                "  ip netns exec sxl-laptop curl http://10.100.99.51/",
                "  septum lab down examples/seed-lab",
                "", "Exit codes: 0 every probe as expected, 1 mismatches or policy errors, 2 usage error, 4 the lab could "
                    + "not be built (not root, a program missing).");
        return c.spec.addSubcommand("run", Run.spec()).addSubcommand("up", Up.spec())
                .addSubcommand("down", Down.spec()).addSubcommand("config", Config.spec());
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a lab command: run, up or down");
    }

    /** What every lab subcommand shares: the directory, the namespace prefix, the error handling. */
    abstract static class LabAction implements Callable<Integer> {
        CommandSpec spec;
        Path directory;
        String prefix;

        /** This action's command, with the directory and {@code --prefix} every lab command takes. */
        CommandSpec command(String name, String... description) {
            spec = CommandModel.command(name, this, description);
            spec.addPositional(positional(0, Path.class, d -> directory = d).paramLabel("DIR")
                    .description("Policy directory with a lab.yaml, e.g. examples/seed-lab").build());
            spec.addOption(option(String.class, p -> prefix = p, "--prefix").paramLabel("<prefix>").defaultValue(Lab.DEFAULT_PREFIX)
                    .description("Prefix of the lab's network namespace names (default: ${DEFAULT-VALUE})").build());
            return spec;
        }

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

    static final class Run extends LabAction {
        private Optional<Path> monitorData = Optional.empty();

        private Path storeDir;

        static CommandSpec spec() {
            Run c = new Run();
            return c.command("run", "Build the lab, probe every scenario, print expected against observed, tear it down.")
                    .addOption(optional(Path.class, d -> c.monitorData = d, "--monitor-data").paramLabel("DIR")
                            .description("Keep the monitor node's session stores here, one per scenario (septum sessions --data-dir "
                                    + "DIR/SCENARIO); by default they go to a temporary directory deleted after the run").build());
        }

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

    static final class Up extends LabAction {
        private Optional<String> scenario = Optional.empty();

        static CommandSpec spec() {
            Up c = new Up();
            return c.command("up", "Build the lab and enforce one scenario, then leave it running for your own probes.",
                            "Hosts answer ping only; 'lab run' serves the listed services while it probes.")
                    .addOption(optional(String.class, s -> c.scenario = s, "--scenario").paramLabel("NAME")
                            .description("Scenario to enforce (default: the first)").build());
        }

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

    static final class Config extends LabAction {
        private Optional<String> bridge = Optional.empty();
        private Optional<String> router = Optional.empty();

        static CommandSpec spec() {
            Config c = new Config();
            return c.command("config", "Print the nftables script the lab deploys: the core router's (inet), another router's with "
                            + "--router, or a bridge's with --bridge.", "Builds nothing; needs no root.")
                    .addOption(optional(String.class, b -> c.bridge = b, "--bridge").paramLabel("NAME")
                            .description("A bridge of lab.yaml (default: the core router)").build())
                    .addOption(optional(String.class, r -> c.router = r, "--router").paramLabel("NAME")
                            .description("A router of lab.yaml (default: the first, the core)").build());
        }

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

    static final class Down extends LabAction {
        static CommandSpec spec() {
            return new Down().command("down", "Delete every network namespace of the lab (all names with the prefix).");
        }

        @Override
        int act(Lab lab, PrintWriter out) {
            lab.down();
            out.println("lab is down");
            out.flush();
            return ExitCodes.OK;
        }
    }
}
