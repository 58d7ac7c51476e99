package dev.septum.cli;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.model.validate.Suggestions;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** A {@code --vrf} must name a VRF the devices in question enforce; anything else is a usage error, never "forwarded". */
final class EnforcedVrfs {
    private EnforcedVrfs() {
    }

    static void require(CommandLine command, List<DevicePlan> devices, String vrf) {
        TreeSet<String> enforced = new TreeSet<>();
        devices.forEach(p -> p.trafficPolicies().stream().map(TrafficPolicyPlan::vrf).forEach(enforced::add));
        if (!enforced.contains(vrf)) {
            throw new ParameterException(command, "--vrf '" + vrf + "': no " + (devices.size() == 1 ? "device "
                    + devices.getFirst().name() : "enforcing device") + " has a traffic-policy in that VRF; "
                    + Suggestions.fix(vrf, enforced, enforced.isEmpty() ? "no VRF is enforced there"
                    : "enforced VRFs: " + String.join(", ", enforced)));
        }
    }
}
