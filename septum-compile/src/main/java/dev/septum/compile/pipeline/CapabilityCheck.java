package dev.septum.compile.pipeline;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.MatchAction;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.PrefixTransform;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.model.Device;
import dev.septum.model.PolicyModel;
import dev.septum.model.Rule;
import dev.septum.model.SourceLocation;
import dev.septum.model.validate.Diagnostic;
import dev.septum.model.validate.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compares what a device's plan needs with what its platform can do. A need the device cannot
 * meet in enforcement (VRFs it cannot tell apart, a redirect) is an error, so no command builds, traces or
 * deploys something the device would enforce differently; a lost mirror only costs visibility
 * and is a warning. Every command reports these the same way, as diagnostics of the build.
 */
final class CapabilityCheck {
    private CapabilityCheck() {
    }

    static List<Diagnostic> refusals(PolicyModel model, DevicePlan plan, PlatformProfile profile) {
        PlatformProfile.Capabilities can = profile.capabilities();
        Device device = plan.device();
        String object = "device '" + device.name() + "'";
        String platform = profile.platform().keyword();
        List<Diagnostic> out = new ArrayList<>();
        for (PlatformProfile.Limit limit : profile.vrfLimits(plan)) {
            out.add(new Diagnostic(Severity.ERROR, device.at(), object, "platform", limit.problem(), limit.fix()));
        }
        PrefixTransform.contradiction(device).ifPresent(why -> out.add(new Diagnostic(Severity.ERROR, device.at(),
                object, "tags", why, "keep '" + PrefixTransform.TAG + "' to force the transform line on, or '"
                + PrefixTransform.TAG_OFF + "' to force it off, not both")));
        Set<String> reported = new LinkedHashSet<>();
        for (TrafficPolicyPlan tp : plan.trafficPolicies()) {
            for (MatchEntry m : tp.matches()) {
                if (!can.redirect() && m.action() instanceof MatchAction.Redirect r
                        && reported.add("redirect " + m.policy() + "/" + m.rule())) {
                    out.add(new Diagnostic(Severity.ERROR, ruleAt(model, m), rule(m), "action",
                            "redirects to '" + r.redirectObject() + "', which " + object + " (" + platform
                                    + ") cannot do: it would let the traffic through unredirected",
                            "enforce this policy on an EOS switch, or make the rule drop or forward"));
                }
                if (can.redirect() && m.action() instanceof MatchAction.Redirect r) {
                    Optional<PlatformProfile.Limit> limit = profile.redirectLimit(plan, r);
                    if (limit.isPresent() && reported.add("redirect " + m.policy() + "/" + m.rule())) {
                        out.add(new Diagnostic(Severity.ERROR, ruleAt(model, m), rule(m), "action",
                                "redirects to '" + r.redirectObject() + "' on " + object + ", but " + limit.get().problem(),
                                limit.get().fix()));
                    }
                }
                if (!can.mirror() && m.mirrorSession().isPresent() && reported.add("mirror " + m.policy() + "/" + m.rule())) {
                    out.add(new Diagnostic(Severity.WARNING, ruleAt(model, m), rule(m), "monitor",
                            "is not mirrored on " + object + " (" + platform + " cannot mirror yet); the rule is enforced there",
                            "watch this rule's traffic where an EOS switch enforces it, or remove 'monitor'"));
                }
            }
        }
        return out;
    }

    private static String rule(MatchEntry m) {
        return "rule '" + m.rule() + "' in policy '" + m.policy() + "'";
    }

    private static SourceLocation ruleAt(PolicyModel model, MatchEntry m) {
        return Optional.ofNullable(model.policies().get(m.policy()))
                .flatMap(p -> p.rules().stream().filter(r -> r.name().equals(m.rule())).findFirst())
                .map(Rule::at).orElse(SourceLocation.of(m.policy()));
    }
}
