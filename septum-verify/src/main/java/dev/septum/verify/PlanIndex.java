package dev.septum.verify;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.PrefixFieldSet;
import dev.septum.compile.plan.ServiceFieldSet;
import java.util.HashMap;
import java.util.Map;

/** The field-sets of a device plan by name, as the matches refer to them. */
public final class PlanIndex {
    private final Map<String, PrefixFieldSet> prefixSets = new HashMap<>();
    private final Map<String, ServiceFieldSet> serviceSets = new HashMap<>();

    public PlanIndex(DevicePlan plan) {
        plan.prefixSets().forEach(s -> prefixSets.put(s.name(), s));
        plan.serviceSets().forEach(s -> serviceSets.put(s.name(), s));
    }

    public PrefixFieldSet prefixSet(String name) {
        return prefixSets.get(name);
    }

    public ServiceFieldSet serviceSet(String name) {
        return serviceSets.get(name);
    }
}
