package dev.septum.builder.tag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The numeric look-up answers as ipaddress's {@code contains} and {@code overlaps} do, both families, edges of each block included. */
class PrefixMembershipTest {
    static IPAddress ip(String s) {
        return new IPAddressString(s).getAddress();
    }

    @Test
    void holdingAndOverlappingAgreeWithTheLibrary() {
        List<List<IPAddress>> lists = List.of(
                List.of(ip("10.0.0.0/8")), List.of(ip("10.1.2.0/24"), ip("10.1.3.7")), List.of(ip("192.0.2.0/25")),
                List.of(ip("2001:db8::/32")), List.of(ip("2001:db8:0:1::/64"), ip("::ffff:10.1.2.0/120")), List.of(ip("0.0.0.0/0")),
                List.of());
        PrefixMembership membership = PrefixMembership.of(lists);
        Random random = new Random(7);
        List<IPAddress> probes = new ArrayList<>(List.of(ip("10.0.0.0"), ip("10.255.255.255"), ip("11.0.0.0"), ip("9.255.255.255"),
                ip("10.1.2.255"), ip("10.1.3.7"), ip("10.1.3.8"), ip("192.0.2.127"), ip("192.0.2.128"), ip("2001:db8::"),
                ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"), ip("2001:db9::"), ip("::ffff:10.1.2.3"), ip("2001:db8:0:1::1")));
        for (int i = 0; i < 300; i++) {
            probes.add(ip((random.nextBoolean() ? 10 : 192) + "." + random.nextInt(3) + "." + random.nextInt(4) + "." + random.nextInt(256)));
        }
        for (IPAddress probe : probes) {
            BitSet expected = new BitSet();
            for (int i = 0; i < lists.size(); i++) {
                if (lists.get(i).stream().anyMatch(p -> p.contains(probe))) {
                    expected.set(i);
                }
            }
            assertThat(membership.holding(IpAddr.of(probe.getBytes()))).as(probe.toString()).isEqualTo(expected);
        }
        for (IPAddress block : List.of(ip("10.1.0.0/16"), ip("10.1.3.0/24"), ip("172.16.0.0/12"), ip("2001:db8:0:1::/63"), ip("::/0"))) {
            BitSet expected = new BitSet();
            for (int i = 0; i < lists.size(); i++) {
                if (lists.get(i).stream().anyMatch(p -> p.overlaps(block))) {
                    expected.set(i);
                }
            }
            assertThat(membership.overlapping(List.of(block))).as(block.toString()).isEqualTo(expected);
        }
    }
}
