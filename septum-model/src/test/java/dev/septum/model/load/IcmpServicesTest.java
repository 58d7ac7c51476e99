package dev.septum.model.load;

import static dev.septum.model.TestPolicies.errors;
import static dev.septum.model.TestPolicies.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.IcmpMatch;
import dev.septum.model.ServiceEntry;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** ICMP and ICMPv6 types and codes of a service entry: names nftables knows, or numbers. */
class IcmpServicesTest {

    private static LoadedPolicy service(String protocol, String fields) {
        return load("services:\n  - name: s\n    protocol: " + protocol + "\n" + fields);
    }

    private static Optional<IcmpMatch> icmp(LoadedPolicy loaded) {
        assertThat(errors(loaded)).isEmpty();
        return loaded.model().services().get("s").entries().getFirst().icmp();
    }

    @Test
    void typeByNameOrNumberAndOptionalCode() {
        assertThat(icmp(service("icmp", "    icmp-type: echo-request\n")))
                .contains(new IcmpMatch(8, OptionalInt.empty()));
        assertThat(icmp(service("icmp", "    icmp-type: 3\n    icmp-code: frag-needed\n")))
                .contains(new IcmpMatch(3, OptionalInt.of(4)));
        assertThat(icmp(service("icmpv6", "    icmp-type: nd-neighbor-solicit\n")))
                .contains(new IcmpMatch(135, OptionalInt.empty()));
        assertThat(icmp(service("58", "    icmp-type: echo-request\n    icmp-code: 0\n")))
                .contains(new IcmpMatch(128, OptionalInt.of(0)));
        assertThat(icmp(service("icmp", ""))).isEmpty();
    }

    @Test
    void entriesTakeTypesToo() {
        LoadedPolicy loaded = load("""
                services:
                  - name: ping
                    entries:
                      - protocol: icmp
                        icmp-type: echo-request
                      - protocol: icmpv6
                        icmp-type: echo-request
                """);

        assertThat(errors(loaded)).isEmpty();
        assertThat(loaded.model().services().get("ping").entries()).extracting(e -> e.icmp().orElseThrow().type())
                .containsExactly(8, 128);
    }

    @Test
    void theReplyOfAnEchoRequestIsAnEchoReply() {
        ServiceEntry request = icmp6Entry("echo-request");

        assertThat(request.reversed().icmp()).contains(new IcmpMatch(129, OptionalInt.empty()));
        assertThat(icmp6Entry("nd-neighbor-solicit").reversed().icmp()).isEqualTo(icmp6Entry("nd-neighbor-solicit").icmp());
    }

    private static ServiceEntry icmp6Entry(String type) {
        return service("icmpv6", "    icmp-type: " + type + "\n").model().services().get("s").entries().getFirst();
    }

    @Test
    void misspeltTypeSuggestsTheName() {
        assertThat(errors(service("icmp", "    icmp-type: echo-requets\n"))).containsExactly(
                "p.yaml:4:16: error: service 's', field 'icmp-type': 'echo-requets' is not an icmp type name "
                        + "or a number 0-255. Fix: did you mean 'echo-request'?");
    }

    @Test
    void anIcmpv6NameOnIcmpSaysWhichProtocolItBelongsTo() {
        List<String> errors = errors(service("icmp", "    icmp-type: nd-neighbor-solicit\n"));

        assertThat(errors).singleElement().asString().startsWith("p.yaml:4:16: error: service 's', field 'icmp-type': "
                + "'nd-neighbor-solicit' is not an icmp type name or a number 0-255. Fix: it is an icmpv6 name: "
                + "set 'protocol: icmpv6'");
    }

    @Test
    void typeAbove255IsRefused() {
        assertThat(errors(service("icmp", "    icmp-type: 300\n"))).singleElement().asString()
                .contains("field 'icmp-type': '300' is not an icmp type name or a number 0-255");
    }

    @Test
    void typeOnAProtocolWithoutTypesIsRefused() {
        assertThat(errors(service("tcp", "    icmp-type: echo-request\n"))).containsExactly(
                "p.yaml:4:16: error: service 's', field 'icmp-type': tcp has no ICMP types or codes. "
                        + "Fix: use 'protocol: icmp' (or icmpv6), or remove 'icmp-type'");
    }

    @Test
    void codeWithoutTypeIsRefused() {
        assertThat(errors(service("icmp", "    icmp-code: 4\n"))).containsExactly(
                "p.yaml:4:16: error: service 's', field 'icmp-code': is given without 'icmp-type'. Fix: add 'icmp-type:' "
                        + "(a code belongs to one type, e.g. destination-unreachable), or remove 'icmp-code'");
    }

    @Test
    void misspeltFieldSuggestsIcmpType() {
        assertThat(errors(service("icmp", "    icmp_type: 8\n"))).singleElement().asString()
                .contains("'icmp_type': is not a known field. Fix: did you mean 'icmp-type'?");
    }
}
