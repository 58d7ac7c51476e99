package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.option;
import static dev.septum.cli.CommandModel.optional;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.analysis.Analysis;
import dev.septum.verify.analysis.Parameters;
import dev.septum.verify.analysis.TraceAnalysis;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

final class TraceCommand implements Callable<Integer> {
    CommandSpec spec;
    final PolicyInput input = new PolicyInput();
    String source;
    String destination;
    String protocol;
    int sourcePort;
    int destinationPort;
    Optional<String> icmpType = Optional.empty();
    String icmpCode;
    Optional<String> vrf = Optional.empty();
    Optional<String> device = Optional.empty();
    final OutputOption output = new OutputOption();

    static CommandSpec spec() {
        TraceCommand c = new TraceCommand();
        c.spec = command("trace", c,
                new String[] {"Explain what happens to one packet on every enforcing device (or one).",
                    "Prints the verdict, the EOS match and policy rule that decide it, and why each earlier match missed.",
                    "With a lab.yaml next to the policy it also warns when the two hosts share a bridge the device never sees.",
                    "Stateless EOS switches apply '-reverse' matches to every packet; nftables devices only to replies."},
                "", "Example:", "  septum trace examples/seed-lab --src 10.100.99.51 --dst 10.100.99.52 --proto tcp --dport 22",
                "", "Exit codes: 0 traced, 1 the policy is invalid, 2 usage error.");
        c.input.addTo(c.spec);
        c.spec.addOption(option(String.class, v -> c.source = v, "--src").paramLabel("IP").required(true)
                .description("Source address").build());
        c.spec.addOption(option(String.class, v -> c.destination = v, "--dst").paramLabel("IP").required(true)
                .description("Destination address").build());
        c.spec.addOption(option(String.class, v -> c.protocol = v, "--proto").paramLabel("PROTO").required(true)
                .description("tcp, udp, icmp, icmpv6 or a number 0-255").build());
        c.spec.addOption(option(int.class, v -> c.sourcePort = v, "--sport").paramLabel("N").defaultValue("49152")
                .description("Source port (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(option(int.class, v -> c.destinationPort = v, "--dport").paramLabel("N").defaultValue("0")
                .description("Destination port (tcp/udp)").build());
        c.spec.addOption(optional(String.class, v -> c.icmpType = v, "--icmp-type").paramLabel("TYPE")
                .description("ICMP/ICMPv6 type, a name such as echo-request or a number (default: echo-request)").build());
        c.spec.addOption(option(String.class, v -> c.icmpCode = v, "--icmp-code").paramLabel("CODE").defaultValue("0")
                .description("ICMP/ICMPv6 code, a name such as port-unreachable or a number (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(optional(String.class, v -> c.vrf = v, "--vrf").paramLabel("VRF")
                .description("VRF of the packet (default: every VRF each device enforces, each traced)").build());
        c.spec.addOption(optional(String.class, v -> c.device = v, "-d", "--device").paramLabel("NAME")
                .description("Trace on this device only").build());
        c.output.addTo(c.spec);
        return c.spec;
    }

    @Override
    public Integer call() {
        CommandLine command = spec.commandLine();
        Optional<PolicyBuild> build = PolicyGate.valid(input, command, command.getErr());
        if (build.isEmpty()) {
            return ExitCodes.POLICY_ERRORS;
        }
        Map<String, Optional<String>> options = new LinkedHashMap<>();
        options.put("src", Optional.of(source));
        options.put("dst", Optional.of(destination));
        options.put("proto", Optional.of(protocol));
        options.put("sport", AnalysisOutput.given(spec, "--sport", sourcePort));
        options.put("dport", AnalysisOutput.given(spec, "--dport", destinationPort));
        options.put("icmp-type", icmpType);
        options.put("icmp-code", AnalysisOutput.given(spec, "--icmp-code", icmpCode));
        options.put("device", device);
        options.put("vrf", vrf);
        Analysis trace = AnalysisOutput.run(command, () -> TraceAnalysis.of(build.get(), input.directory.toString(),
                Parameters.of(options), LabTopology.next(input.directory, build.get().model())));
        AnalysisOutput.print(command, output, trace);
        return ExitCodes.OK;
    }
}
