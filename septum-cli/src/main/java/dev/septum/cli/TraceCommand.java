package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.model.IcmpTypes;
import dev.septum.model.PolicyModel;
import dev.septum.model.Protocol;
import dev.septum.model.Role;
import dev.septum.verify.Flow;
import dev.septum.verify.FlowTracer;
import dev.septum.verify.FlowTracer.Trace;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

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
        Flow flow = flow();
        Optional<PolicyBuild> build = PolicyGate.valid(input, spec.commandLine(), spec.commandLine().getErr());
        if (build.isEmpty()) {
            return ExitCodes.POLICY_ERRORS;
        }
        PolicyModel model = build.get().model();
        if (device.isPresent() && !model.devices().containsKey(device.get())) {
            throw new ParameterException(spec.commandLine(), "no device is named '" + device.get() + "'");
        }
        List<DevicePlan> enforcing = build.get().plans().stream()
                .filter(p -> p.device().role() == Role.SWITCH)
                .filter(p -> device.isEmpty() || p.name().equals(device.get())).toList();
        vrf.ifPresent(v -> EnforcedVrfs.require(spec.commandLine(), enforcing, v));
        List<Trace> traces = enforcing.stream()
                .flatMap(p -> p.trafficPolicies().stream().map(TrafficPolicyPlan::vrf)
                        .filter(v -> vrf.isEmpty() || vrf.get().equals(v))
                        .map(v -> FlowTracer.trace(p, v, flow)).flatMap(Optional::stream)).toList();
        Optional<String> bypass = LabTopology.next(input.directory, model)
                .flatMap(t -> t.shared(flow.source(), flow.destination()))
                .map(s -> "both hosts sit on " + s.name() + ": this packet never crosses an enforcing device, "
                        + "so it passes whatever the verdict above (fix: bridge port isolation plus proxy ARP, "
                        + "or enforce on the bridge)");
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectNode json = json(flow, traces);
            bypass.ifPresent(b -> json.put("bypass", b));
            out.println(json.toPrettyString());
        } else {
            text(out, flow, traces);
            bypass.ifPresent(b -> out.println("\nwarning: " + b));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Flow flow() {
        IPAddress src = address(source, "--src");
        IPAddress dst = address(destination, "--dst");
        if (src.isIPv4() != dst.isIPv4()) {
            throw new ParameterException(spec.commandLine(), "--src and --dst must be of the same address family");
        }
        Protocol p = Protocol.parse(protocol).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--proto '" + protocol + "' is not tcp, udp, icmp or a number 0-255"));
        for (int port : new int[] {sourcePort, destinationPort}) {
            if (port < 0 || port > 65535) {
                throw new ParameterException(spec.commandLine(), "port " + port + " is outside 0-65535");
            }
        }
        if (p.hasPorts() && destinationPort == 0) {
            throw new ParameterException(spec.commandLine(), "--dport is needed for " + p.keyword());
        }
        if (!IcmpTypes.hasTypes(p)) {
            if (icmpType.isPresent()) {
                throw new ParameterException(spec.commandLine(), "--icmp-type needs --proto icmp or icmpv6");
            }
            return p.hasPorts() ? new Flow(src, dst, p.number(), sourcePort, destinationPort) : new Flow(src, dst, p.number(), 0, 0);
        }
        String typeText = icmpType.orElse("echo-request");
        int type = IcmpTypes.type(p, typeText).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--icmp-type '" + typeText + "' is not an " + p.keyword() + " type: use a number 0-255 or one of "
                        + String.join(", ", IcmpTypes.typeNames(p))));
        int code = IcmpTypes.code(p, icmpCode).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--icmp-code '" + icmpCode + "' is not an " + p.keyword() + " code: use a number 0-255 or one of "
                        + String.join(", ", IcmpTypes.codeNames(p))));
        return new Flow(src, dst, p.number(), 0, 0, type, code);
    }

    private IPAddress address(String text, String option) {
        IPAddressString s = new IPAddressString(text);
        if (!s.isIPAddress() || s.getNetworkPrefixLength() != null) {
            throw new ParameterException(spec.commandLine(), option + " '" + text + "' is not a single IPv4 or IPv6 address");
        }
        return s.getAddress();
    }

    private static void text(PrintWriter out, Flow flow, List<Trace> traces) {
        out.println("flow " + flow);
        if (traces.isEmpty()) {
            out.println("no device enforces a traffic-policy here: the packet is forwarded unchecked");
        }
        for (Trace t : traces) {
            out.println();
            out.println("device " + t.device() + " (" + t.semantics().name().toLowerCase(java.util.Locale.ROOT)
                    + "), traffic-policy " + t.trafficPolicy() + " (VRF " + t.vrf() + "): " + t.verdict().keyword().toUpperCase(java.util.Locale.ROOT));
            for (FlowTracer.Miss m : t.misses()) {
                out.println("  - " + m.match().name() + ": no, " + m.reason());
            }
            out.println("  = " + t.decidingMatch() + t.decidedBy().map(m -> " (policy " + m.policy() + ", rule " + m.rule() + ")")
                    .orElse(" (no rule matched; the built-in default forwards)") + ": " + t.verdict());
        }
    }

    private static ObjectNode json(Flow flow, List<Trace> traces) {
        ObjectNode root = DiagnosticPrinter.JSON.createObjectNode();
        root.put("flow", flow.toString());
        ArrayNode devices = root.putArray("devices");
        for (Trace t : traces) {
            ObjectNode d = devices.addObject();
            d.put("device", t.device());
            d.put("semantics", t.semantics().name().toLowerCase(java.util.Locale.ROOT));
            d.put("trafficPolicy", t.trafficPolicy());
            d.put("vrf", t.vrf());
            d.put("verdict", t.verdict().keyword());
            d.put("match", t.decidingMatch());
            t.decidedBy().ifPresent(m -> d.put("policy", m.policy()).put("rule", m.rule()));
            ArrayNode misses = d.putArray("misses");
            t.misses().forEach(m -> misses.addObject().put("match", m.match().name()).put("reason", m.reason()));
        }
        return root;
    }
}
