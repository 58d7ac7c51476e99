package dev.septum.cli;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.model.Group;
import dev.septum.model.PolicyModel;
import dev.septum.verify.Flow;
import dev.septum.verify.FlowTracer;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.stream.Collectors;

/**
 * Tags a stored session with what the policy says of it: the groups of both endpoints and the
 * match of the enforcing device that decides a new connection from client to server, so
 * "what hit drop_all_else_web-app" is a filter on the session table.
 */
final class SessionTagger {
    /** Ephemeral source port used for a session whose client port was folded into 'eph'. */
    private static final int EPHEMERAL = 49152;

    private final PolicyModel model;
    private final DevicePlan plan;

    SessionTagger(PolicyModel model, DevicePlan plan) {
        this.model = model;
        this.plan = plan;
    }

    record Tags(String clientGroups, String serverGroups, String match, String verdict) {
        static final String[] HEADER = {"client_groups", "server_groups", "match", "verdict"};

        String[] cells() {
            return new String[] {clientGroups, serverGroups, match, verdict};
        }

        /** True when either endpoint is in the group (group lists are space-separated names). */
        boolean inGroup(String name) {
            return java.util.Arrays.asList(clientGroups.split(" ")).contains(name)
                    || java.util.Arrays.asList(serverGroups.split(" ")).contains(name);
        }
    }

    boolean hasGroup(String name) {
        return model.groups().values().stream().anyMatch(g -> g.name().equals(name));
    }

    java.util.List<String> groupNames() {
        return model.groups().values().stream().map(Group::name).sorted().toList();
    }

    Tags tag(String client, int clientPort, String server, int serverPort, int protocol) {
        IPAddress c = new IPAddressString(client).getAddress();
        IPAddress s = new IPAddressString(server).getAddress();
        if (c == null || s == null || c.isIPv4() != s.isIPv4()) {
            return new Tags("", "", "", "");
        }
        boolean ports = protocol == 6 || protocol == 17;
        Flow flow = new Flow(c, s, protocol, ports ? (clientPort > 0 ? clientPort : EPHEMERAL) : 0, ports ? serverPort : 0);
        return FlowTracer.trace(plan, "ALL", flow)
                .map(t -> new Tags(groups(c), groups(s), t.decidingMatch(), t.verdict().keyword()))
                .orElse(new Tags(groups(c), groups(s), "", "forward"));
    }

    private String groups(IPAddress address) {
        return model.groups().values().stream()
                .filter(g -> g.members().stream().anyMatch(m -> m.contains(address)))
                .map(Group::name).collect(Collectors.joining(" "));
    }
}
