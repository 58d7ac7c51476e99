package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.analysis.Analysis;
import dev.septum.verify.analysis.Parameters;
import dev.septum.verify.analysis.TraceAnalysis;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Explain what happens to one packet on every enforcing device (or one).",
            "Prints the verdict, the EOS match and policy rule that decide it, and why each earlier match missed.",
            "With a lab.yaml next to the policy it also warns when the two hosts share a bridge the device never sees.",
            "Stateless EOS switches apply '-reverse' matches to every packet; nftables devices only to replies."},
        footer = {"", "Example:", "  septum trace examples/seed-lab --src 10.100.99.51 --dst 10.100.99.52 --proto tcp --dport 22",
            "", "Exit codes: 0 traced, 1 the policy is invalid, 2 usage error."})
final class TraceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PolicyInput input;

    @Option(names = "--src", required = true, paramLabel = "IP", description = "Source address")
    String source;

    @Option(names = "--dst", required = true, paramLabel = "IP", description = "Destination address")
    String destination;

    @Option(names = "--proto", required = true, paramLabel = "PROTO", description = "tcp, udp, icmp, icmpv6 or a number 0-255")
    String protocol;

    @Option(names = "--sport", defaultValue = "49152", paramLabel = "N", description = "Source port (default: ${DEFAULT-VALUE})")
    int sourcePort;

    @Option(names = "--dport", defaultValue = "0", paramLabel = "N", description = "Destination port (tcp/udp)")
    int destinationPort;

    @Option(names = "--icmp-type", paramLabel = "TYPE",
            description = "ICMP/ICMPv6 type, a name such as echo-request or a number (default: echo-request)")
    Optional<String> icmpType;

    @Option(names = "--icmp-code", defaultValue = "0", paramLabel = "CODE",
            description = "ICMP/ICMPv6 code, a name such as port-unreachable or a number (default: ${DEFAULT-VALUE})")
    String icmpCode;

    @Option(names = "--vrf", paramLabel = "VRF",
            description = "VRF of the packet (default: every VRF each device enforces, each traced)")
    Optional<String> vrf;

    @Option(names = {"-d", "--device"}, paramLabel = "NAME", description = "Trace on this device only")
    Optional<String> device;

    @Mixin
    OutputOption output;

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
