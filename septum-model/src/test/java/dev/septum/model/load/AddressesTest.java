package dev.septum.model.load;

import static dev.septum.model.TestPolicies.error;
import static dev.septum.model.TestPolicies.errors;
import static dev.septum.model.TestPolicies.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.Group;
import dev.septum.model.validate.Diagnostic;
import inet.ipaddr.IPAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Group members, next hops and tunnel addresses: what is accepted, how it is stored, what is refused. */
class AddressesTest {

    private static Group group(String prefixes) {
        LoadedPolicy loaded = load("groups:\n  - name: g\n    prefixes: " + prefixes + "\n");
        assertThat(errors(loaded)).isEmpty();
        return loaded.model().groups().get("g");
    }

    @Test
    void hostsBecomeSlash32AndSlash128() {
        Group g = group("[10.0.0.5, 2001:db8::5]");

        assertThat(g.members()).extracting(IPAddress::toCanonicalString)
                .containsExactly("10.0.0.5/32", "2001:db8::5/128");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5", "0.0.0.0", "255.255.255.255", "192.0.2.1", "010.0.0.1x", "10.1"})
    void anIpv4HostIsTheSameSlash32AsTheLibrarySetsOnIt(String text) {
        java.util.Optional<IPAddress> parsed = AddressText.parse(text);
        java.util.Optional<IPAddress> host = Addresses.prefix(new Scalar(text, dev.septum.model.SourceLocation.of("p.yaml")),
                "group 'g'", "prefixes", new dev.septum.model.validate.Diagnostics());

        assertThat(host).isEqualTo(parsed.map(a -> a.setPrefixLength(32, false)));
        host.ifPresent(h -> {
            IPAddress library = parsed.orElseThrow().setPrefixLength(32, false);
            assertThat(h.toCanonicalString()).isEqualTo(library.toCanonicalString()).endsWith("/32");
            assertThat(h.getNetworkPrefixLength()).isEqualTo(library.getNetworkPrefixLength());
            assertThat(h.isPrefixBlock()).isEqualTo(library.isPrefixBlock());
            assertThat(h.isSinglePrefixBlock()).isEqualTo(library.isSinglePrefixBlock());
        });
    }

    @Test
    void membersAreSortedByAddressIpv4FirstWithoutDuplicates() {
        // 10.0.0.0/8 holds more addresses than 11.0.0.1 but comes first in address order
        Group g = group("[2001:db8::/64, 11.0.0.1, 10.1.0.0/16, 10.0.0.0/8, 9.9.9.9, 10.0.0.0/24, 10.0.0.0/8]");

        assertThat(g.members()).extracting(IPAddress::toCanonicalString).containsExactly(
                "9.9.9.9/32", "10.0.0.0/8", "10.0.0.0/24", "10.1.0.0/16", "11.0.0.1/32", "2001:db8::/64");
    }

    @Test
    void prefixWithHostBitsSetOffersBothReadings() {
        String yaml = """
                groups:
                  - name: web
                    prefixes: [10.0.1.0/24, 10.0.0.1/24]
                """;

        assertThat(errors(load(yaml))).containsExactly(
                "p.yaml:3:29: error: group 'web', field 'prefixes': '10.0.0.1/24' has host bits set beyond the /24. "
                        + "Fix: write 10.0.0.0/24 for the subnet, or 10.0.0.1 for the host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.300", "web-server", "10.0.0.0/33", "10.0.0.*", "10.0.0.1-10.0.0.9", "2001:db8::g",
            // inet_aton shorthands: 10.1 would silently mean 10.0.0.1, 010.0.0.1 would mean 8.0.0.1 (octal)
            "10.1", "010.0.0.1", "0x0a.0.0.1", "1"})
    void garbageIsNotAnAddress(String text) {
        LoadedPolicy loaded = load("groups:\n  - name: web\n    prefixes: ['" + text + "']\n");

        Diagnostic d = error(loaded, "is not an IPv4 or IPv6 prefix or host");
        assertThat(d.problem()).isEqualTo("'" + text + "' is not an IPv4 or IPv6 prefix or host");
        assertThat(d.field()).isEqualTo("prefixes");
        assertThat(d.at().line()).isEqualTo(3);
        assertThat(d.at().column()).isEqualTo(16);
        assertThat(d.fix()).contains("10.0.0.0/24");
    }

    @Test
    void nextHopMustBeOneAddressNotASubnet() {
        String yaml = """
                redirects:
                  - name: fw
                    next-hops: [192.0.2.0/24]
                """;

        assertThat(errors(load(yaml))).containsExactly(
                "p.yaml:3:17: error: redirect 'fw', field 'next-hops': '192.0.2.0/24' is a subnet, not a single address. "
                        + "Fix: write one address such as 10.255.1.11");
    }

    @Test
    void nextHopIsStoredWithoutPrefixLength() {
        LoadedPolicy loaded = load("redirects:\n  - name: fw\n    next-hops: [192.0.2.1, 192.0.2.2/32]\n");

        assertThat(loaded.model().redirects().get("fw").nextHops()).extracting(IPAddress::toCanonicalString)
                .containsExactly("192.0.2.1", "192.0.2.2");
    }

    @Test
    void redirectKeepsNextHopsOfBothFamilies() {
        LoadedPolicy loaded = load("redirects:\n  - name: fw\n    next-hops: [192.0.2.1, 2001:db8::1]\n");

        assertThat(loaded.errors()).isEmpty();
        assertThat(loaded.model().redirects().get("fw").nextHops()).extracting(IPAddress::toCanonicalString)
                .containsExactly("192.0.2.1", "2001:db8::1");
    }
}
