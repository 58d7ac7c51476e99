package dev.septum.compile.nftables;

import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.render.ConfigText;
import dev.septum.model.IpFamily;
import dev.septum.model.Protocol;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The nft text of a mapped run ({@link PolicyChain.Mapped}): per address family one interval
 * verdict map of first-match regions whose every element carries its own counter and, as its
 * comment, the counter name and rule of the match that owns the region
 * ({@link NftNames#elementComment}), and one rule that looks the packet up in it. A match's hits
 * are the sum of its regions' element counters; the deploy driver reads them back under the
 * match's {@code c_<match>} name, so counters read per match whichever form the chain took. One
 * map with element counters loads in about half the time of a verdict map, a counter map and a
 * named counter object per match.
 *
 * <p>The key leaves the source port out when no region of the family restricts it (the usual
 * case: services name destination ports), which makes every element one field shorter and the
 * load about a third faster. The destination port always stays: reading it needs a transport
 * header, as the linear rules' {@code th sport . th dport} lookup does, so a packet without one
 * (a later fragment) misses the map as it misses those rules.
 */
final class RegionMaps {
    private RegionMaps() {
    }

    /** Declares the maps of every mapped run of {@code chain} (inside the table, before the chains). */
    static void declare(ConfigText out, PolicyChain chain, Function<MatchEntry, String> verdict) {
        for (PolicyChain.Step step : chain.steps()) {
            if (step instanceof PolicyChain.Mapped mapped) {
                for (Map.Entry<IpFamily, List<FirstMatchRegions.Region>> e : mapped.regions().entrySet()) {
                    IpFamily family = e.getKey();
                    List<FirstMatchRegions.Region> regions = e.getValue();
                    boolean sourcePorts = FirstMatchRegions.restrictSourcePorts(regions);
                    map(out, NftNames.verdictMap(mapped.vrf(), mapped.index(), family), family, sourcePorts,
                            regions.stream().map(r -> key(family, sourcePorts, r) + " comment \""
                                    + NftNames.elementComment(r.owner()) + "\" : " + verdict.apply(r.owner())).toList());
                }
            }
        }
    }

    /** The matches of {@code chain}'s mapped runs that own a region: their hits are element counters. */
    static Set<String> counted(PolicyChain chain) {
        Set<String> owners = new HashSet<>();
        for (PolicyChain.Step step : chain.steps()) {
            if (step instanceof PolicyChain.Mapped mapped) {
                mapped.regions().values().forEach(regions -> regions.forEach(r -> owners.add(r.owner().name())));
            }
        }
        return owners;
    }

    /** The run's rules in its chain: one lookup per address family. */
    static void rules(ConfigText out, PolicyChain.Mapped mapped) {
        MatchEntry first = mapped.run().getFirst();
        MatchEntry last = mapped.run().getLast();
        out.line(8, "# " + first.name() + " .. " + last.name() + ": " + mapped.run().size()
                + " matches as first-match regions, one lookup per packet (counters on the elements)");
        for (Map.Entry<IpFamily, List<FirstMatchRegions.Region>> e : mapped.regions().entrySet()) {
            IpFamily family = e.getKey();
            String ip = family == IpFamily.IPV4 ? "ip" : "ip6";
            String key = ip + " saddr . " + ip + " daddr . meta l4proto . "
                    + (FirstMatchRegions.restrictSourcePorts(e.getValue()) ? "th sport . " : "") + "th dport";
            out.line(8, key + " vmap @" + NftNames.verdictMap(mapped.vrf(), mapped.index(), family));
        }
    }

    private static void map(ConfigText out, String name, IpFamily family, boolean sourcePorts, List<String> elements) {
        String address = family == IpFamily.IPV4 ? "ipv4_addr" : "ipv6_addr";
        out.line(4, "map " + name + " {");
        out.line(8, "type " + address + " . " + address + " . inet_proto . " + (sourcePorts ? "inet_service . " : "")
                + "inet_service : verdict");
        out.line(8, "flags interval");
        out.line(8, "counter");
        if (!elements.isEmpty()) {
            out.line(8, "elements = {");
            for (int i = 0; i < elements.size(); i++) {
                out.line(12, elements.get(i) + (i + 1 < elements.size() ? "," : ""));
            }
            out.line(8, "}");
        }
        out.line(4, "}");
    }

    private static String key(IpFamily family, boolean sourcePorts, FirstMatchRegions.Region region) {
        List<FirstMatchRegions.Interval> f = region.fields();
        return address(family, f.get(FirstMatchRegions.SOURCE)) + " . " + address(family, f.get(FirstMatchRegions.DESTINATION))
                + " . " + ServiceElements.protocol(new Protocol(f.get(FirstMatchRegions.PROTOCOL).low().intValueExact()))
                + " . " + (sourcePorts ? number(f.get(FirstMatchRegions.SOURCE_PORT)) + " . " : "")
                + number(f.get(FirstMatchRegions.DESTINATION_PORT));
    }

    /** A prefix where the range is one (as groups usually are), else {@code low-high}. */
    private static String address(IpFamily family, FirstMatchRegions.Interval range) {
        BigInteger size = range.high().subtract(range.low()).add(BigInteger.ONE);
        String low = text(family, range.low());
        if (size.bitCount() == 1 && range.low().mod(size).signum() == 0) {
            int length = family.bits() - (size.bitLength() - 1);
            return length == family.bits() ? low : low + "/" + length;
        }
        return low + "-" + text(family, range.high());
    }

    private static String text(IpFamily family, BigInteger value) {
        return family == IpFamily.IPV4 ? new IPv4Address(value.intValue()).toCanonicalString()
                : new IPv6Address(value).toCanonicalString();
    }

    private static String number(FirstMatchRegions.Interval range) {
        return range.low().equals(range.high()) ? range.low().toString() : range.low() + "-" + range.high();
    }
}
