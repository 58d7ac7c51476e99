package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.model.validate.Suggestions;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@code device} and {@code vrf} parameters: a device must exist, and a VRF must be one the
 * devices in question enforce. Anything else is refused, never answered with "forwarded unchecked"
 * or an everything-open matrix.
 */
final class Scope {
    static final String DEVICE = "device";
    static final String VRF = "vrf";

    private Scope() {
    }

    static DevicePlan device(PolicyBuild build, String name) {
        return build.plan(name).orElseThrow(() -> {
            List<String> names = build.plans().stream().map(DevicePlan::name).toList();
            return new BadParameter(DEVICE, "'" + name + "' is not a device of the policy",
                    Suggestions.fix(name, names, "devices: " + String.join(", ", names)));
        });
    }

    static void requireEnforced(List<DevicePlan> devices, String vrf) {
        TreeSet<String> enforced = new TreeSet<>();
        devices.forEach(p -> p.trafficPolicies().stream().map(TrafficPolicyPlan::vrf).forEach(enforced::add));
        if (!enforced.contains(vrf)) {
            throw new BadParameter(VRF, "'" + vrf + "': no " + (devices.size() == 1 ? "device " + devices.getFirst().name()
                    : "enforcing device") + " has a traffic-policy in that VRF",
                    Suggestions.fix(vrf, enforced, enforced.isEmpty() ? "no VRF is enforced there" : "enforced VRFs: " + String.join(", ", enforced)));
        }
    }
}
