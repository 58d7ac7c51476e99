package dev.septum.model;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupTest {
    private static Group group(String... prefixes) {
        List<IPAddress> members = Arrays.stream(prefixes).map(p -> new IPAddressString(p).getAddress()).toList();
        return new Group("g", members, Map.of(), SourceLocation.of("test"));
    }

    private static List<String> texts(List<IPAddress> addresses) {
        return addresses.stream().map(IPAddress::toCanonicalString).toList();
    }

    @Test
    void familiesOfMixedMembersWrittenInAnyOrder() {
        Group g = group("2001:db8::/64", "10.0.1.0/24", "2001:db8:1::/48", "10.0.0.0/8", "192.0.2.1/32");
        assertThat(g.hasFamily(IpFamily.IPV4)).isTrue();
        assertThat(g.hasFamily(IpFamily.IPV6)).isTrue();
        assertThat(texts(g.members(IpFamily.IPV4))).containsExactly("10.0.0.0/8", "10.0.1.0/24", "192.0.2.1/32");
        assertThat(texts(g.members(IpFamily.IPV6))).containsExactly("2001:db8::/64", "2001:db8:1::/48");
    }

    @Test
    void oneFamilyOnly() {
        Group v4 = group("10.0.0.0/24", "10.0.0.5/32");
        assertThat(v4.hasFamily(IpFamily.IPV4)).isTrue();
        assertThat(v4.hasFamily(IpFamily.IPV6)).isFalse();
        assertThat(v4.members(IpFamily.IPV6)).isEmpty();
        assertThat(v4.members(IpFamily.IPV4)).hasSize(2);
        Group v6 = group("2001:db8::1/128");
        assertThat(v6.hasFamily(IpFamily.IPV4)).isFalse();
        assertThat(v6.hasFamily(IpFamily.IPV6)).isTrue();
        assertThat(v6.members(IpFamily.IPV4)).isEmpty();
        assertThat(texts(v6.members(IpFamily.IPV6))).containsExactly("2001:db8::1/128");
    }

    @Test
    void noMembersNoFamily() {
        Group empty = group();
        assertThat(empty.hasFamily(IpFamily.IPV4)).isFalse();
        assertThat(empty.hasFamily(IpFamily.IPV6)).isFalse();
        assertThat(empty.members(IpFamily.IPV4)).isEmpty();
        assertThat(empty.members(IpFamily.IPV6)).isEmpty();
    }
}
