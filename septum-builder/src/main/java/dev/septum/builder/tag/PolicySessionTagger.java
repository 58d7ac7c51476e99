package dev.septum.builder.tag;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.flows.IpAddr;
import dev.septum.flows.tag.SessionTagger;
import dev.septum.flows.tag.SessionTags;
import dev.septum.model.Group;
import dev.septum.model.MonitorObject;
import dev.septum.model.PolicyModel;
import dev.septum.model.Protocol;
import dev.septum.model.Service;
import dev.septum.verify.Flow;
import dev.septum.verify.FlowTracer;
import dev.septum.verify.FlowTracer.Trace;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tags a session with what one policy version says of it, with the verification engine: the groups
 * of both endpoints, the services of its protocol and server port, and the match of the enforcing
 * device that decides a new connection from client to server. Shared by the server's collector,
 * {@code septum collect --policy} (at store time) and {@code septum sessions --policy} (re-tagging at
 * read time against another version).
 *
 * <p>A session keeps no ICMP type or code: the exporters send them as {@code icmpTypeCodeIPv4/IPv6}
 * in the destination port, but the session table keys ICMP by its addresses alone (a request and
 * its reply carry different types) and stores ports 0. So an ICMP session is traced once for every
 * type and code the policy tells apart, and its tags claim only what holds for all of them: the
 * services every type falls in, and the deciding match when one match decides every type; else the
 * match reads {@value #DEPENDS_ON_TYPE} and the verdict is the one they share, or {@code unknown}.
 */
public final class PolicySessionTagger implements SessionTagger {
    /** Ephemeral source port used for a session whose client port was folded into 'eph'. */
    private static final int EPHEMERAL = 49152;
    /** The tags of this many address pairs and port classes are remembered: the live table is re-tagged on every flush. */
    private static final int CACHE_SIZE = 1 << 17;
    static final String DEPENDS_ON_TYPE = "depends on the ICMP type";

    private final PolicyModel model;
    private final DevicePlan plan;
    /** The device's traffic-policy for all VRFs, indexed once: the tags need the deciding match, not why others missed. */
    private final Optional<FlowTracer.Decider> decider;
    private final String version;
    private final PortClasses ports;
    private final Map<Integer, List<IcmpTypeCode>> icmpClasses;
    private final Map<Key, SessionTags> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, SessionTags> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /** One ICMP type and code standing for every packet the policy cannot tell apart from it. */
    private record IcmpTypeCode(int type, int code) {
    }

    /** Ports by {@link PortClasses} class, addresses by {@link #addressClass}: sessions of one key have the same tags. */
    private record Key(int protocol, int clientClass, int clientPortClass, int serverClass, int serverPortClass) {
    }

    /**
     * What the policy can tell of an address: its family, its groups and the device's prefix sets
     * that hold it. A trace reads an address only through these, so every address of one
     * signature gets the same tags: a million sessions among a few hundred workloads are traced
     * once per class of addresses, not once per pair of them.
     */
    private record Signature(boolean ipv4, List<String> groups, BitSet prefixSets) {
    }

    /** An address of each class, the first met, which the trace is worked out for. */
    private final List<IpAddr> representatives = new ArrayList<>();
    /** The model's groups, in its order, and the device's prefix sets, for telling an address's signature. */
    private final List<String> groupNames;
    private final PrefixMembership groupMembers;
    private final PrefixMembership prefixSetMembers;
    private final Map<Signature, Integer> classes = new HashMap<>();
    private final Map<IpAddr, Integer> classOfAddress = new HashMap<>();

    private PolicySessionTagger(PolicyModel model, DevicePlan plan, String version) {
        this.model = model;
        this.plan = plan;
        this.decider = FlowTracer.decider(plan, "ALL");
        this.version = version;
        this.ports = PortClasses.of(model);
        this.groupNames = model.groups().values().stream().map(Group::name).toList();
        this.groupMembers = PrefixMembership.of(model.groups().values().stream().map(Group::members).toList());
        this.prefixSetMembers = PrefixMembership.of(plan.prefixSets().stream().map(s -> s.prefixes()).toList());
        this.icmpClasses = Map.of(Protocol.ICMP.number(), icmpClasses(model, Protocol.ICMP),
                Protocol.ICMPV6.number(), icmpClasses(model, Protocol.ICMPV6));
    }

    /** Each type and code the services name, each named type with a code none names, and a type none names. */
    private static List<IcmpTypeCode> icmpClasses(PolicyModel model, Protocol protocol) {
        Map<Integer, java.util.Set<Integer>> codes = new java.util.TreeMap<>();
        model.services().values().stream().flatMap(s -> s.entries().stream())
                .filter(e -> e.protocol().equals(protocol)).flatMap(e -> e.icmp().stream())
                .forEach(i -> {
                    java.util.Set<Integer> named = codes.computeIfAbsent(i.type(), t -> new java.util.TreeSet<>());
                    i.code().ifPresent(named::add);
                });
        List<IcmpTypeCode> classes = new java.util.ArrayList<>();
        codes.forEach((type, named) -> {
            named.forEach(code -> classes.add(new IcmpTypeCode(type, code)));
            classes.add(new IcmpTypeCode(type, unused(named)));
        });
        classes.add(new IcmpTypeCode(unused(codes.keySet()), 0));
        return List.copyOf(classes);
    }

    /** The smallest value 0-255 not in the set; a set names at most a few of the 256. */
    private static int unused(java.util.Set<Integer> used) {
        int v = 0;
        while (used.contains(v) && v < 255) {
            v++;
        }
        return v;
    }

    /**
     * A tagger for the named device, or by default the first device with a traffic-policy; empty
     * when there is no such device.
     *
     * @param version stored with every session tagged, e.g. a server version id
     */
    public static Optional<PolicySessionTagger> of(PolicyBuild build, Optional<String> device, String version) {
        return build.plans().stream()
                .filter(p -> device.map(p.name()::equals).orElse(!p.trafficPolicies().isEmpty()))
                .findFirst().map(plan -> new PolicySessionTagger(build.model(), plan, version));
    }

    /** The enforcing device whose matches decide. */
    public String device() {
        return plan.name();
    }

    public String version() {
        return version;
    }

    /** The policy's monitor objects: a mirror intake takes its active timeout from the one it is the tunnel end of. */
    public Collection<MonitorObject> monitors() {
        return model.monitors().values();
    }

    public boolean hasGroup(String name) {
        return model.groups().values().stream().anyMatch(g -> g.name().equals(name));
    }

    public List<String> groupNames() {
        return model.groups().values().stream().map(Group::name).sorted().toList();
    }

    /**
     * Client ports this tagger cannot tell apart, as sorted class starts (port 0 stands for an
     * ephemeral port): sessions differing only in client ports of one class get the same tags.
     */
    public int[] clientPortClassStarts() {
        return ports.starts();
    }

    @Override
    public synchronized SessionTags tag(int protocol, IpAddr client, int clientPort, IpAddr server, int serverPort) {
        boolean hasPorts = hasPorts(protocol);
        int sourcePort = hasPorts ? (clientPort > 0 ? clientPort : EPHEMERAL) : 0;
        int destinationPort = hasPorts ? serverPort : 0;
        int c = addressClass(client);
        int s = addressClass(server);
        if (c < 0 || s < 0) {
            return compute(protocol, client, sourcePort, server, destinationPort);
        }
        Key key = new Key(protocol, c, ports.classOf(sourcePort), s, ports.classOf(destinationPort));
        SessionTags known = cache.get(key);
        if (known == null) {
            known = compute(protocol, representatives.get(c), sourcePort, representatives.get(s), destinationPort);
            cache.put(key, known);
        }
        return known;
    }

    /** The class of an address ({@link Signature}), -1 for one that does not parse. */
    private int addressClass(IpAddr address) {
        Integer known = classOfAddress.get(address);
        if (known != null) {
            return known;
        }
        if (new IPAddressString(address.toString()).getAddress() == null) {
            return -1;
        }
        int c = classes.computeIfAbsent(new Signature(!address.v6(), groups(address), prefixSetMembers.holding(address)), k -> {
            representatives.add(address);
            return representatives.size() - 1;
        });
        if (classOfAddress.size() >= CACHE_SIZE) {
            // a collector meets ever new addresses; the classes stay few, so only the addresses' map is reset
            classOfAddress.clear();
        }
        classOfAddress.put(address, c);
        return c;
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
        List<Flow> flows = Optional.ofNullable(icmpClasses.get(protocol))
                .map(classes -> classes.stream().map(tc -> new Flow(c, s, protocol, 0, 0, tc.type(), tc.code())).toList())
                .orElse(List.of(new Flow(c, s, protocol, sourcePort, destinationPort)));
        List<String> clientGroups = groups(client);
        List<String> serverGroups = groups(server);
        List<String> services = model.services().values().stream()
                .filter(svc -> flows.stream().allMatch(f -> svc.entries().stream().anyMatch(e -> FlowTracer.matches(e, f))))
                .map(Service::name).toList();
        List<Trace> traces = decider.map(d -> flows.stream().map(d::decide).toList()).orElse(List.of());
        if (traces.isEmpty()) {
            return new SessionTags(clientGroups, serverGroups, services, "", "", "", "forward", version);
        }
        Trace first = traces.getFirst();
        if (traces.stream().allMatch(t -> t.decidingMatch().equals(first.decidingMatch()))) {
            return new SessionTags(clientGroups, serverGroups, services, first.decidedBy().map(MatchEntry::policy).orElse(""),
                    first.decidedBy().map(MatchEntry::rule).orElse(""), first.decidingMatch(), first.verdict().keyword(), version);
        }
        String verdict = traces.stream().allMatch(t -> t.verdict().equals(first.verdict())) ? first.verdict().keyword() : "unknown";
        return new SessionTags(clientGroups, serverGroups, services, "", "", DEPENDS_ON_TYPE, verdict, version);
    }

    private List<String> groups(IpAddr address) {
        return groupMembers.holding(address).stream().mapToObj(groupNames::get).toList();
    }
}
