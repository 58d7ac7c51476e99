package dev.septum.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The names a plan derives from the user's: a dual-stack group's IPv6 field-set and a dual-stack
 * rule's IPv6 match ({@code -ipv6}), a bidirectional rule's reply match and its services' swapped
 * field-sets ({@code -reverse}). The planner names things with these, and validation refuses a
 * user name that one of them would collide with, so a derived name never silently reuses another
 * object's field-set or match.
 */
public final class DerivedNames {
    public static final String IPV6 = "-ipv6";
    public static final String REVERSE = "-reverse";

    private DerivedNames() {
    }

    /** A group's field-set in one family: a group with both families names its IPv6 set apart. */
    public static String prefixSet(Group group, IpFamily family) {
        boolean both = group.hasFamily(IpFamily.IPV4) && group.hasFamily(IpFamily.IPV6);
        return both && family == IpFamily.IPV6 ? group.name() + IPV6 : group.name();
    }

    public static String serviceSet(String service, boolean reverse) {
        return reverse ? service + REVERSE : service;
    }

    /** The match of a rule in one family, when the rule renders in {@code families}. */
    public static String match(Rule rule, IpFamily family, Set<IpFamily> families) {
        return families.size() > 1 && family == IpFamily.IPV6 ? rule.name() + IPV6 : rule.name();
    }

    public static String reverseMatch(String match) {
        return match + REVERSE;
    }

    /** Every match name a rule produces in the model, replies included. */
    public static List<String> matches(PolicyModel model, Rule rule) {
        Set<IpFamily> families = model.families(rule);
        List<String> names = new ArrayList<>();
        for (IpFamily family : families) {
            String name = match(rule, family, families);
            names.add(name);
            if (rule.direction() == Direction.BI) {
                names.add(reverseMatch(name));
            }
        }
        return names;
    }
}
