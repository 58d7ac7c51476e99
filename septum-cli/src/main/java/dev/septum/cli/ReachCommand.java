package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.model.Role;
import dev.septum.verify.ReachabilityMatrix;
import dev.septum.verify.ReachabilityMatrix.Cell;
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

@Command(name = "reach", mixinStandardHelpOptions = true,
        description = {"Show which groups reach which, and on which services, through a device's policy.",
            "For every pair of groups, and the addresses outside every group (the internet) on either side: the "
                + "services forwarded for every packet, those forwarded only in part, those redirected to a firewall, "
                + "and whether all other traffic between them is forwarded (all), partly (some) or not (none)."},
        footer = {"", "Example:", "  septum reach examples/seed-lab",
            "", "Exit codes: 0 shown, 1 the policy is invalid, 2 usage error."})
final class ReachCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PolicyInput input;

    @Option(names = {"-d", "--device"}, paramLabel = "NAME", description = "The enforcing device (default: the first switch with a policy)")
    Optional<String> device;

    @Option(names = "--vrf", defaultValue = "ALL", paramLabel = "VRF", description = "VRF (default: ${DEFAULT-VALUE})")
    String vrf;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        Optional<PolicyBuild> build = PolicyGate.valid(input, spec.commandLine(), spec.commandLine().getErr());
        if (build.isEmpty()) {
            return ExitCodes.POLICY_ERRORS;
        }
        DevicePlan plan = build.get().plans().stream()
                .filter(p -> device.map(p.name()::equals).orElse(p.device().role() == Role.SWITCH && !p.trafficPolicies().isEmpty()))
                .findFirst().orElseThrow(() -> new ParameterException(spec.commandLine(), device
                        .map(d -> "no device is named '" + d + "'").orElse("no switch enforces a policy")));
        EnforcedVrfs.require(spec.commandLine(), List.of(plan), vrf);
        List<Cell> cells = ReachabilityMatrix.compute(build.get().model(), plan, vrf);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectNode root = DiagnosticPrinter.JSON.createObjectNode().put("device", plan.name()).put("vrf", vrf);
            ArrayNode list = root.putArray("pairs");
            for (Cell c : cells) {
                ObjectNode n = list.addObject().put("source", c.source()).put("destination", c.destination())
                        .put("otherTraffic", c.otherTraffic().keyword());
                c.services().forEach(n.putArray("services")::add);
                c.partly().forEach(n.putArray("partly")::add);
                ArrayNode redirected = n.putArray("redirected");
                c.redirected().forEach(r -> redirected.addObject().put("service", r.service()).put("target", r.target())
                        .put("whole", r.whole()));
            }
            out.println(root.toPrettyString());
        } else {
            out.println("reachability through " + plan.name() + " (VRF " + vrf + ")");
            for (Cell c : cells) {
                out.println("  " + c.source() + " -> " + c.destination() + ": "
                        + (c.services().isEmpty() ? "no service" : String.join(", ", c.services()))
                        + (c.partly().isEmpty() ? "" : "; in part: " + String.join(", ", c.partly()))
                        + (c.redirected().isEmpty() ? "" : "; redirected: "
                        + String.join(", ", c.redirected().stream().map(Object::toString).toList()))
                        + "; other traffic: " + c.otherTraffic().keyword());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
