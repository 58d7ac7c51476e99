package dev.septum.flows.tag;

import java.util.List;

/**
 * What a policy says of one session, as stored with it: the groups of its client and server, the
 * policy services its protocol and server port fall in, and the policy, rule and device match that
 * decide a new connection from client to server, with the verdict and the policy version that said
 * so. The flows module computes none of this (it may not depend on the verification engine); it
 * stores the strings a {@link SessionTagger} gives it.
 *
 * @param match         the device's match name, e.g. {@code drop_all_else_web-app-reverse}, or the
 *                      built-in {@code ipv4-all-default}
 * @param policyVersion which policy said so, e.g. the server's version id or a directory and its hash
 */
public record SessionTags(List<String> clientGroups, List<String> serverGroups, List<String> services, String policy,
                          String rule, String match, String verdict, String policyVersion) {
    /** A session stored without a policy at hand. */
    public static final SessionTags NONE = new SessionTags(List.of(), List.of(), List.of(), "", "", "", "", "");

    public SessionTags {
        clientGroups = List.copyOf(clientGroups);
        serverGroups = List.copyOf(serverGroups);
        services = List.copyOf(services);
    }

    public boolean tagged() {
        return !policyVersion.isEmpty();
    }

    /** True when either endpoint is in the group. */
    public boolean inGroup(String group) {
        return clientGroups.contains(group) || serverGroups.contains(group);
    }

    /** True when the rule or the match is this name ({@code drop_all_else_web-app} covers its {@code -reverse} match). */
    public boolean decidedBy(String ruleOrMatch) {
        return rule.equals(ruleOrMatch) || match.equals(ruleOrMatch);
    }
}
