package dev.septum.verify;

import com.github.javabdd.BDD;
import com.github.javabdd.BDDFactory;
import com.github.javabdd.BDDVarSet;
import dev.septum.model.IpFamily;
import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.util.List;

/**
 * Every packet header of one address family as a BDD over its bits: destination and source
 * address, destination and source port, protocol, ICMP type and code, each field's bits
 * contiguous and most significant first (the layout Batfish uses), so a prefix is a short
 * conjunction and sets of headers are exact, never sampled. Ports mean nothing to an ICMP packet
 * and the ICMP fields nothing to others: no match constrains them there, so they never change a verdict.
 */
public final class HeaderSpace {
    private static final int PORT_BITS = 16;
    private static final int PROTOCOL_BITS = 8;
    private static final int ICMP_FIELD_BITS = 8;

    private final BDDFactory factory;
    private final IpFamily family;
    private final int addressBits;
    private Preferences preferences;

    public HeaderSpace(IpFamily family) {
        this.family = family;
        this.addressBits = family.bits();
        this.factory = BDDFactory.init("java", 1 << 18, 1 << 16);
        factory.setVarNum(2 * addressBits + 2 * PORT_BITS + PROTOCOL_BITS + 2 * ICMP_FIELD_BITS);
        silence(factory);
    }

    /**
     * JavaBDD prints every garbage collection and table resize to stdout unless a callback is
     * registered, and its API takes callbacks only as reflected methods; a no-op keeps our output clean.
     */
    private static void silence(BDDFactory factory) {
        try {
            java.lang.reflect.Method quiet = HeaderSpace.class.getMethod("ignoreBddEvent");
            factory.registerGCCallback(null, quiet);
            factory.registerResizeCallback(null, quiet);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Called by JavaBDD on garbage collections and resizes; it must be public for the library to call it. */
    public static void ignoreBddEvent() {
        // intentionally empty: see silence()
    }

    /** Whether the packet lies in the set, by walking the BDD (no new nodes are made). */
    public boolean contains(BDD set, Flow flow) {
        BDD node = set.id();
        while (!node.isZero() && !node.isOne()) {
            BDD next = bit(flow, node.var()) ? node.high() : node.low();
            node.free();
            node = next;
        }
        boolean inside = node.isOne();
        node.free();
        return inside;
    }

    private boolean bit(Flow flow, int var) {
        if (var < sourceAddress()) {
            return addressBit(flow.destination(), var - destinationAddress());
        }
        if (var < destinationPort()) {
            return addressBit(flow.source(), var - sourceAddress());
        }
        if (var < sourcePort()) {
            return (flow.destinationPort() >> (PORT_BITS - 1 - (var - destinationPort())) & 1) == 1;
        }
        if (var < protocolBits()) {
            return (flow.sourcePort() >> (PORT_BITS - 1 - (var - sourcePort())) & 1) == 1;
        }
        if (var < icmpTypeBits()) {
            return (flow.protocol() >> (PROTOCOL_BITS - 1 - (var - protocolBits())) & 1) == 1;
        }
        if (var < icmpCodeBits()) {
            return (flow.icmpType() >> (ICMP_FIELD_BITS - 1 - (var - icmpTypeBits())) & 1) == 1;
        }
        return (flow.icmpCode() >> (ICMP_FIELD_BITS - 1 - (var - icmpCodeBits())) & 1) == 1;
    }

    private static boolean addressBit(IPAddress address, int i) {
        return (address.getBytes()[i / 8] >> (7 - i % 8) & 1) == 1;
    }

    public IpFamily family() {
        return family;
    }

    public BDD all() {
        return factory.one();
    }

    public BDD none() {
        return factory.zero();
    }

    private int destinationAddress() {
        return 0;
    }

    private int sourceAddress() {
        return addressBits;
    }

    private int destinationPort() {
        return 2 * addressBits;
    }

    private int sourcePort() {
        return 2 * addressBits + PORT_BITS;
    }

    private int protocolBits() {
        return 2 * addressBits + 2 * PORT_BITS;
    }

    private int icmpTypeBits() {
        return protocolBits() + PROTOCOL_BITS;
    }

    private int icmpCodeBits() {
        return icmpTypeBits() + ICMP_FIELD_BITS;
    }

    public BDD sourcePrefix(IPAddress prefix) {
        return prefix(prefix, sourceAddress());
    }

    public BDD destinationPrefix(IPAddress prefix) {
        return prefix(prefix, destinationAddress());
    }

    /**
     * JavaBDD's factory counts references and reclaims nothing a live handle holds, so builders
     * use the in-place {@code andWith}/{@code orWith} that release their argument.
     */
    private BDD prefix(IPAddress prefix, int offset) {
        byte[] bytes = prefix.getBytes();
        Integer length = prefix.getNetworkPrefixLength();
        int bits = length == null ? addressBits : length;
        BDD result = factory.one();
        for (int i = bits - 1; i >= 0; i--) {
            boolean one = (bytes[i / 8] >> (7 - i % 8) & 1) == 1;
            result = (one ? factory.ithVar(offset + i) : factory.nithVar(offset + i)).andWith(result);
        }
        return result;
    }

    public BDD sourcePorts(int low, int high) {
        return range(sourcePort(), PORT_BITS, low, high);
    }

    public BDD destinationPorts(int low, int high) {
        return range(destinationPort(), PORT_BITS, low, high);
    }

    public BDD protocol(int number) {
        return range(protocolBits(), PROTOCOL_BITS, number, number);
    }

    public BDD icmpType(int type) {
        return range(icmpTypeBits(), ICMP_FIELD_BITS, type, type);
    }

    public BDD icmpCode(int code) {
        return range(icmpCodeBits(), ICMP_FIELD_BITS, code, code);
    }

    /** {@code low <= field <= high}, built bit by bit from the least significant end. */
    private BDD range(int offset, int width, long low, long high) {
        BDD atLeast = factory.one();
        BDD atMost = factory.one();
        for (int i = width - 1; i >= 0; i--) {
            int var = offset + i;
            long bit = 1L << (width - 1 - i);
            atLeast = (low & bit) != 0 ? factory.ithVar(var).andWith(atLeast) : factory.ithVar(var).orWith(atLeast);
            atMost = (high & bit) != 0 ? factory.nithVar(var).orWith(atMost) : factory.nithVar(var).andWith(atMost);
        }
        return atLeast.andWith(atMost);
    }

    /**
     * One concrete packet of a non-empty set, chosen to read naturally: TCP or UDP over exotic
     * protocols, a common service port, an ephemeral source port, an echo request among ICMP types,
     * host rather than network addresses, a documentation address where any host will do, and two
     * different hosts.
     */
    public Flow example(BDD headers) {
        if (headers.isZero()) {
            throw new IllegalArgumentException("no packet in an empty set");
        }
        Preferences prefer = examplePreferences();
        BDD others = otherFieldsOf(headers);
        boolean[] bits;
        if (others != null) {
            BDD addresses = headers.exist(prefer.otherFields());
            // the set is its addresses times its other fields (a match's own set always is): each
            // preference constrains one side only, and the address bits come first in the order,
            // so narrowing each side alone picks the same packet as narrowing the whole set, on far smaller BDDs
            BDD chosen = narrow(others, prefer.others());
            bits = minterm(chosen);
            chosen.free();
            boolean[] addressBits = hosts(narrow(addresses, prefer.addresses()));
            System.arraycopy(addressBits, 0, bits, 0, destinationPort());
        } else {
            bits = hosts(narrow(narrow(headers.id(), prefer.others()), prefer.addresses()));
        }
        Flow flow = new Flow(address(bits, sourceAddress()), address(bits, destinationAddress()),
                (int) value(bits, protocolBits(), PROTOCOL_BITS), 0, 0, 0, 0);
        if (flow.hasPorts()) {
            return new Flow(flow.source(), flow.destination(), flow.protocol(),
                    (int) value(bits, sourcePort(), PORT_BITS), (int) value(bits, destinationPort(), PORT_BITS), 0, 0);
        }
        return flow.hasIcmpType()
                ? new Flow(flow.source(), flow.destination(), flow.protocol(), 0, 0,
                (int) value(bits, icmpTypeBits(), ICMP_FIELD_BITS), (int) value(bits, icmpCodeBits(), ICMP_FIELD_BITS))
                : flow;
    }

    /**
     * The other fields' part of a set that is its addresses times its other fields, or null when
     * it is no such product: then the paths through the address bits, which come first, end in
     * more than one set of other fields. Walks the address levels only and makes no node.
     */
    private BDD otherFieldsOf(BDD headers) {
        java.util.Set<BDD> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<BDD> todo = new java.util.ArrayDeque<>();
        todo.push(headers.id());
        BDD below = null;
        boolean product = true;
        while (product && !todo.isEmpty()) {
            BDD node = todo.pop();
            if (node.isZero() || !seen.add(node)) {
                node.free();
            } else if (node.isOne() || node.var() >= destinationPort()) {
                if (below == null) {
                    below = node.id();
                } else {
                    product = below.equals(node);
                }
            } else {
                todo.push(node.low());
                todo.push(node.high());
            }
        }
        todo.forEach(BDD::free);
        seen.forEach(BDD::free);
        if (!product) {
            below.free();
            return null;
        }
        return below;
    }

    /**
     * The bits of one packet of a narrowed set, with a source host and then a different
     * destination host where the set allows; consumes {@code set}.
     */
    private boolean[] hosts(BDD set) {
        IPAddress source = address(minterm(set), sourceAddress());
        BDD sourceOnly = sourcePrefix(source);
        BDD otherDestination = destinationPrefix(source).not();
        BDD narrowed = narrow(set.andWith(sourceOnly), List.of(otherDestination));
        otherDestination.free();
        boolean[] bits = minterm(narrowed);
        narrowed.free();
        return bits;
    }

    /** The example's preferences, on the fields other than addresses and on the addresses, in the order they apply. */
    private record Preferences(List<BDD> others, List<BDD> addresses, BDDVarSet otherFields) {
    }

    /** Built once per space: examples are asked for thousands of times on a large policy. */
    private Preferences examplePreferences() {
        if (preferences == null) {
            BDD tcpOrUdp = protocol(6).orWith(protocol(17));
            BDD commonPort = none();
            for (int port : new int[] {22, 80, 443, 53, 123, 4567, 3389}) {
                commonPort.orWith(destinationPorts(port, port));
            }
            IPAddress documentation = new inet.ipaddr.IPAddressString(
                    family == IpFamily.IPV4 ? "203.0.113.0/24" : "2001:db8::/32").getAddress();
            BDD echoRequest = icmpType(family == IpFamily.IPV4 ? 8 : 128).andWith(icmpCode(0));
            int[] otherVars = java.util.stream.IntStream.range(destinationPort(), factory.varNum()).toArray();
            preferences = new Preferences(List.of(tcpOrUdp.or(protocol(family == IpFamily.IPV4 ? 1 : 58)), tcpOrUdp,
                    commonPort.orWith(tcpOrUdp.not()), sourcePorts(49152, 65535).orWith(tcpOrUdp.not()), echoRequest),
                    List.of(sourcePrefix(documentation), destinationPrefix(documentation),
                            notNetworkAddress(sourceAddress()), notNetworkAddress(destinationAddress())),
                    factory.makeSet(otherVars));
        }
        return preferences;
    }

    /** The last octet is not zero, so the example names a host rather than a subnet. */
    private BDD notNetworkAddress(int offset) {
        BDD any = none();
        for (int i = addressBits - 8; i < addressBits; i++) {
            any.orWith(factory.ithVar(offset + i));
        }
        return any;
    }

    /** Applies each preference that leaves the set non-empty, in order; consumes {@code set}. */
    private static BDD narrow(BDD set, List<BDD> preferences) {
        BDD result = set;
        for (BDD preference : preferences) {
            BDD narrowed = result.and(preference);
            if (narrowed.isZero()) {
                narrowed.free();
            } else {
                result.free();
                result = narrowed;
            }
        }
        return result;
    }

    /** The variable values of one satisfying path; variables off the path are 0. */
    private boolean[] minterm(BDD set) {
        boolean[] bits = new boolean[factory.varNum()];
        BDD node = set.satOne();
        while (!node.isOne()) {
            BDD low = node.low();
            boolean takeHigh = low.isZero();
            BDD next = takeHigh ? node.high() : low;
            if (takeHigh) {
                bits[node.var()] = true;
                low.free();
            }
            node.free();
            node = next;
        }
        node.free();
        return bits;
    }

    /** Restricts a set to packets with a destination port below 1024 when it has any. */
    public BDD preferWellKnownDestinationPort(BDD headers) {
        BDD wellKnown = destinationPorts(1, 1023);
        BDD narrowed = headers.and(wellKnown);
        wellKnown.free();
        return narrowed.isZero() ? headers : narrowed;
    }

    private static long value(boolean[] bits, int offset, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v = v << 1 | (bits[offset + i] ? 1 : 0);
        }
        return v;
    }

    private IPAddress address(boolean[] bits, int offset) {
        byte[] bytes = new byte[addressBits / 8];
        for (int i = 0; i < addressBits; i++) {
            if (bits[offset + i]) {
                bytes[i / 8] |= (byte) (1 << (7 - i % 8));
            }
        }
        return family == IpFamily.IPV4 ? new IPv4Address(bytes) : new IPv6Address(bytes);
    }
}
