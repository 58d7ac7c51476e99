package dev.septum.verify;

import com.github.javabdd.BDD;
import com.github.javabdd.BDDFactory;
import dev.septum.model.IpFamily;
import dev.septum.verify.Conjunction.Diagram;
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
    private final Conjunction.Runs searched = new Conjunction.Runs();

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
     * different hosts. Each preference narrows the set when it leaves some packet, in order, and
     * the packet is the least one left (as {@code satOne} picks); the narrowing is walked, not built.
     */
    public Flow example(BDD headers) {
        return example(copy(headers), List.of());
    }

    /** As {@link #example(BDD)}, first preferring a destination port below 1024 where the set has one. */
    public Flow exampleWithWellKnownPort(BDD headers) {
        return exampleWithWellKnownPort(copy(headers));
    }

    /** As {@link #example(BDD)} for the packets in every one of {@code parts} (some packet is). */
    Flow example(List<Diagram> parts) {
        return example(parts, List.of());
    }

    /** As {@link #exampleWithWellKnownPort(BDD)} for the packets in every one of {@code parts} (some packet is). */
    Flow exampleWithWellKnownPort(List<Diagram> parts) {
        return example(parts, List.of(examplePreferences().wellKnownPort()));
    }

    private static List<Diagram> copy(BDD headers) {
        if (headers.isZero()) {
            throw new IllegalArgumentException("no packet in an empty set");
        }
        return List.of(Diagram.of(headers));
    }

    private Flow example(List<Diagram> parts, List<Diagram> first) {
        Preferences prefer = examplePreferences();
        Conjunction set = new Conjunction(factory.varNum(), parts, searched);
        for (List<Diagram> preferences : List.of(first, prefer.others(), prefer.addresses())) {
            for (Diagram preference : preferences) {
                set = set.prefer(preference);
            }
        }
        boolean[] bits = hosts(set);
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

    /** The bits of one packet of a narrowed set, with a source host and then a different destination host where the set allows. */
    private boolean[] hosts(Conjunction set) {
        byte[] source = address(set.least().orElseThrow(), sourceAddress()).getBytes();
        return set.and(Diagram.address(sourceAddress(), source, true))
                .prefer(Diagram.address(destinationAddress(), source, false))
                .least().orElseThrow();
    }

    /** The example's preferences, on the fields other than addresses and on the addresses, in the order they apply. */
    private record Preferences(List<Diagram> others, List<Diagram> addresses, Diagram wellKnownPort) {
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
            List<BDD> others = List.of(tcpOrUdp.or(protocol(family == IpFamily.IPV4 ? 1 : 58)), tcpOrUdp.id(),
                    commonPort.orWith(tcpOrUdp.not()), sourcePorts(49152, 65535).orWith(tcpOrUdp.not()), echoRequest);
            tcpOrUdp.free();
            List<BDD> addresses = List.of(sourcePrefix(documentation), destinationPrefix(documentation),
                    notNetworkAddress(sourceAddress()), notNetworkAddress(destinationAddress()));
            BDD wellKnown = destinationPorts(1, 1023);
            preferences = new Preferences(copies(others), copies(addresses), Diagram.of(wellKnown));
            wellKnown.free();
        }
        return preferences;
    }

    /** Copies the BDDs out of the factory and frees them there. */
    private static List<Diagram> copies(List<BDD> bdds) {
        List<Diagram> copies = bdds.stream().map(Diagram::of).toList();
        bdds.forEach(BDD::free);
        return copies;
    }

    /** The last octet is not zero, so the example names a host rather than a subnet. */
    private BDD notNetworkAddress(int offset) {
        BDD any = none();
        for (int i = addressBits - 8; i < addressBits; i++) {
            any.orWith(factory.ithVar(offset + i));
        }
        return any;
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
