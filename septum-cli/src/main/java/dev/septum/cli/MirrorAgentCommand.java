package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.option;
import static dev.septum.cli.CommandModel.optional;

import dev.septum.flows.collect.MirrorAgent;
import dev.septum.flows.mirror.GreFrame;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class MirrorAgentCommand implements Callable<Integer> {
    CommandSpec spec;
    int group;
    Inet4Address monitor;
    Optional<Long> key = Optional.empty();
    long rate;
    int batch;
    final RunDuration duration = new RunDuration();

    static CommandSpec spec() {
        MirrorAgentCommand c = new MirrorAgentCommand();
        c.spec = command("mirror-agent", c,
                new String[] {"Mirror a Linux device's monitored rules to a monitor node, as a switch's monitor session does.",
                    "",
                    "Septum renders a monitored rule for nftables with 'log group N' (the group is in the rule's comment "
                        + "line of the ruleset). This agent reads that NFLOG group and sends every packet to the monitor node "
                        + "as GRE with transparent Ethernet bridging (0x6558), which 'septum collect --mirror' receives.",
                    "Needs root (NFLOG and a raw socket). Runs until Ctrl-C / SIGTERM (or --duration), then prints its "
                        + "counters as JSON on stdout."},
                "", "Example:",
                "  septum mirror-agent --nflog-group 4242 --to 10.255.1.11 --key 0",
                "", "Exit codes: 0 ok, 2 usage error, 3 cannot bind the NFLOG group or open the raw socket.");
        c.spec.addOption(option(int.class, v -> c.group = v, "--nflog-group").paramLabel("N").required(true)
                .description("The NFLOG group the ruleset logs monitored rules to (0-65535)").build());
        c.spec.addOption(option(Inet4Address.class, v -> c.monitor = v, "--to").paramLabel("ADDR").required(true).converters(new Ipv4Literal())
                .description("The monitor node's tunnel address (the monitor object's tunnel-destination)").build());
        c.spec.addOption(optional(Long.class, v -> c.key = v, "--key").paramLabel("K")
                .description("GRE key to send (0-4294967295; EOS sends key 0); none by default").build());
        c.spec.addOption(option(long.class, v -> c.rate = v, "--rate").paramLabel("PPS").defaultValue("100000")
                .description("Mirror at most this many packets a second; the rest are counted as rate_limited "
                        + "(default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(option(int.class, v -> c.batch = v, "--nflog-batch").paramLabel("N").defaultValue("1")
                .description("Packets the kernel collects before handing them to the agent (NFLOG queue threshold; "
                        + "fewer are handed over after a second). 1 forwards each packet as it is logged; the kernel's own "
                        + "default, 100, delays a quiet rule's packets by up to a second (default: ${DEFAULT-VALUE})").build());
        c.duration.addTo(c.spec);
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MirrorAgent.Config config;
        try {
            if (group < 0 || group > 65535) {
                throw new IllegalArgumentException("--nflog-group is 0 to 65535, got " + group);
            }
            if (key.isPresent() && (key.get() < 0 || key.get() > 0xFFFF_FFFFL)) {
                throw new IllegalArgumentException("--key is 0 to 4294967295, got " + key.get());
            }
            if (batch < 1 || batch > 65535) {
                throw new IllegalArgumentException("--nflog-batch is 1 to 65535, got " + batch);
            }
            config = new MirrorAgent.Config(group, monitor, key.orElse(GreFrame.NO_KEY), rate, batch);
        } catch (IllegalArgumentException e) {
            err.println("septum mirror-agent: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        MirrorAgent agent;
        try {
            agent = MirrorAgent.start(config);
        } catch (IOException e) {
            err.println("septum mirror-agent: " + e.getMessage());
            err.flush();
            return ExitCodes.IO;
        }
        try (StopSignal stop = duration.stopSignal()) {
            agent.onFailure(e -> {
                err.println("septum mirror-agent: receive loop failed: " + e);
                err.flush();
                stop.stop();
            });
            err.println("septum mirror-agent: NFLOG group " + group + " -> GRE to " + monitor.getHostAddress()
                    + key.map(k -> " key " + k).orElse(" without key") + ", at most " + rate + " packets/s");
            err.flush();
            while (!stop.await(1000)) {
                // the agent works on its own thread; this one only waits for the stop
            }
            agent.close();
            Map<String, Long> counters = agent.counters();
            out.println(DiagnosticPrinter.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(counters));
            out.flush();
        }
        return ExitCodes.OK;
    }
}
