package dev.septum.model;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SequencedMap;
import java.util.Set;

/**
 * MSS numbers policies from 256 and EOS shows the number as {@code description #policy-id=N}, so a
 * policy whose number changes shows a config change on every switch that has it. A policy keeps an
 * explicit {@code id:}; one without gets the number a previous version gave a policy of its name,
 * when no other policy holds it, else the lowest free number from 256, in load order.
 */
public final class PolicyNumbers {
    public static final int FIRST_ID = 256;

    private PolicyNumbers() {
    }

    /** The number of every policy of the model by name, as the model alone decides it (no previous version). */
    public static Map<String, Integer> assign(PolicyModel model) {
        SequencedMap<String, OptionalInt> explicit = new LinkedHashMap<>();
        model.policies().values().forEach(p -> explicit.put(p.name(), p.id()));
        return assign(explicit, Map.of());
    }

    /**
     * @param policies every policy's explicit id (or none), by name in load order
     * @param previous the numbers a previous version had, by policy name
     */
    public static Map<String, Integer> assign(SequencedMap<String, OptionalInt> policies, Map<String, Integer> previous) {
        Set<Integer> taken = new HashSet<>();
        Map<String, Integer> ids = new LinkedHashMap<>();
        policies.forEach((name, id) -> id.ifPresent(n -> {
            taken.add(n);
            ids.put(name, n);
        }));
        policies.forEach((name, id) -> {
            Integer before = previous.get(name);
            if (id.isEmpty() && before != null && taken.add(before)) {
                ids.put(name, before);
            }
        });
        int next = FIRST_ID;
        for (String name : policies.keySet()) {
            if (!ids.containsKey(name)) {
                while (taken.contains(next)) {
                    next++;
                }
                taken.add(next);
                ids.put(name, next);
            }
        }
        return ids;
    }
}
