package dev.septum.server.monitor;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.flows.IpAddr;
import dev.septum.flows.tag.SessionTagger;
import dev.septum.flows.tag.SessionTags;
import dev.septum.model.Group;
import dev.septum.model.PolicyModel;
import dev.septum.model.Protocol;
import dev.septum.model.Service;
import dev.septum.verify.Flow;
import dev.septum.verify.FlowTracer;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tags a session with what one policy version says of it, with the verification engine: the groups
 * of both endpoints, the services of its protocol and server port, and the match of the enforcing
 * device that decides a new connection from client to server. Shared by the server's collector,
 * {@code septum collect --policy} (at store time) and {@code septum sessions --policy} (re-tagging at
 * read time against another version).
 */
public final class PolicySessionTagger implements SessionTagger {
    /** Ephemeral source port used for a session whose client port was folded into 'eph'. */
    private static final int EPHEMERAL = 49152;
    /** The tags of this many address pairs and port classes are remembered: the live table is re-tagged on every flush. */
    private static final int CACHE_SIZE = 1 << 17;

    private final PolicyModel model;
    private final DevicePlan plan;
    private final String version;
    private final PortClasses ports;
    private final Map<Key, SessionTags> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, SessionTags> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /** Ports by {@link PortClasses} class: sessions of one key have the same tags. */
    private record Key(int protocol, IpAddr client, int clientPortClass, IpAddr server, int serverPortClass) {
    }

    private PolicySessionTagger(PolicyModel model, DevicePlan plan, String version) {
        this.model = model;
        this.plan = plan;
        this.version = version;
        this.ports = PortClasses.of(model);
    }

    /**
     * A tagger for the named device, or by default the first device with a traffic-policy; empty
     * when there is no such device.
     *
     * @param version stored with every session tagged, e.g. a server version id
     */
    public static Optional<PolicySessionTagger> of(PolicyModel model, Optional<String> device, String version) {
        return DevicePlanner.plan(model).stream()
                .filter(p -> device.map(p.name()::equals).orElse(!p.trafficPolicies().isEmpty()))
                .findFirst().map(plan -> new PolicySessionTagger(model, plan, version));
    }

    /** The enforcing device whose matches decide. */
    public String device() {
        return plan.name();
    }

    public String version() {
        return version;
    }

    public boolean hasGroup(String name) {
        return model.groups().values().stream().anyMatch(g -> g.name().equals(name));
    }

    public List<String> groupNames() {
        return model.groups().values().stream().map(Group::name).sorted().toList();
    }

    @Override
    public synchronized SessionTags tag(int protocol, IpAddr client, int clientPort, IpAddr server, int serverPort) {
        boolean hasPorts = hasPorts(protocol);
        int sourcePort = hasPorts ? (clientPort > 0 ? clientPort : EPHEMERAL) : 0;
        int destinationPort = hasPorts ? serverPort : 0;
        Key key = new Key(protocol, client, ports.classOf(sourcePort), server, ports.classOf(destinationPort));
        SessionTags known = cache.get(key);
        if (known == null) {
            known = compute(protocol, client, sourcePort, server, destinationPort);
            cache.put(key, known);
        }
        return known;
    }

    /** The tags worked out for this very session, never from the cache (the cache's check in tests). */
    SessionTags exact(int protocol, IpAddr client, int clientPort, IpAddr server, int serverPort) {
        boolean hasPorts = hasPorts(protocol);
        return compute(protocol, client, hasPorts ? (clientPort > 0 ? clientPort : EPHEMERAL) : 0, server, hasPorts ? serverPort : 0);
    }

    /** The protocols whose ports services match (TCP, UDP, SCTP), by the model's own rule. */
    private static boolean hasPorts(int protocol) {
        return protocol >= 0 && protocol <= 255 && new Protocol(protocol).hasPorts();
    }

    private SessionTags compute(int protocol, IpAddr client, int sourcePort, IpAddr server, int destinationPort) {
        IPAddress c = new IPAddressString(client.toString()).getAddress();
        IPAddress s = new IPAddressString(server.toString()).getAddress();
        if (c == null || s == null || c.isIPv4() != s.isIPv4()) {
            return new SessionTags(List.of(), List.of(), List.of(), "", "", "", "", version);
        }
        Flow flow = new Flow(c, s, protocol, sourcePort, destinationPort);
        List<String> clientGroups = groups(c);
        List<String> serverGroups = groups(s);
        List<String> services = model.services().values().stream()
                .filter(svc -> svc.entries().stream().anyMatch(e -> FlowTracer.matches(e, flow))).map(Service::name).toList();
        return FlowTracer.trace(plan, "ALL", flow)
                .map(t -> new SessionTags(clientGroups, serverGroups, services, t.decidedBy().map(MatchEntry::policy).orElse(""),
                        t.decidedBy().map(MatchEntry::rule).orElse(""), t.decidingMatch(), t.verdict().keyword(), version))
                .orElse(new SessionTags(clientGroups, serverGroups, services, "", "", "", "forward", version));
    }

    private List<String> groups(IPAddress address) {
        return model.groups().values().stream()
                .filter(g -> g.members().stream().anyMatch(m -> m.contains(address)))
                .map(Group::name).toList();
    }
}
