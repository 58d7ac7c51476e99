package dev.septum.model.load;

import static dev.septum.model.TestPolicies.error;
import static dev.septum.model.TestPolicies.errors;
import static dev.septum.model.TestPolicies.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.PortItem;
import dev.septum.model.PortSpec;
import dev.septum.model.Protocol;
import dev.septum.model.Service;
import dev.septum.model.ServiceEntry;
import dev.septum.model.validate.Diagnostic;
import org.junit.jupiter.api.Test;

/** Services: inline or entries, protocols, and the port lists EOS understands. */
class ServicesTest {

    private static LoadedPolicy service(String destination) {
        return load("services:\n  - name: s\n    protocol: tcp\n    destination: " + destination + "\n");
    }

    private static PortSpec destination(String destination) {
        LoadedPolicy loaded = service(destination);
        assertThat(errors(loaded)).isEmpty();
        return loaded.model().services().get("s").entries().getFirst().destinationPorts();
    }

    @Test
    void inlineProtocolBecomesOneEntry() {
        LoadedPolicy loaded = load("services:\n  - name: ssh\n    protocol: tcp\n    destination: 22\n");

        Service s = loaded.model().services().get("ssh");
        assertThat(errors(loaded)).isEmpty();
        assertThat(s.entries()).singleElement().satisfies(e -> {
            assertThat(e.protocol()).isEqualTo(Protocol.TCP);
            assertThat(e.sourcePorts().isAll()).isTrue();
            assertThat(e.destinationPorts().items()).containsExactly(new PortItem.Number(22));
        });
    }

    @Test
    void entriesBecomeOneEntryEachInOrder() {
        String yaml = """
                services:
                  - name: dns
                    entries:
                      - protocol: udp
                        destination: domain
                      - protocol: tcp
                        source: 1024-65535
                        destination: 53
                      - protocol: icmp
                """;

        LoadedPolicy loaded = load(yaml);

        assertThat(errors(loaded)).isEmpty();
        assertThat(loaded.model().services().get("dns").entries()).extracting(ServiceEntry::protocol)
                .containsExactly(Protocol.UDP, Protocol.TCP, Protocol.ICMP);
        ServiceEntry tcp = loaded.model().services().get("dns").entries().get(1);
        assertThat(tcp.sourcePorts().items()).containsExactly(new PortItem.Range(1024, 65535));
        assertThat(tcp.reversed().destinationPorts()).isEqualTo(tcp.sourcePorts());
    }

    @Test
    void eosPortNamesAreParsedAndKeptAsNames() {
        PortSpec ports = destination("[domain, ntp, www, ssh]");

        assertThat(ports.items()).containsExactly(new PortItem.Named("domain", 53), new PortItem.Named("ntp", 123),
                new PortItem.Named("www", 80), new PortItem.Named("ssh", 22));
        assertThat(ports.eosText()).isEqualTo("domain,ntp,www,ssh");
    }

    @Test
    void namesMixedWithNumbersRenderAsNumbersBecauseEosRejectsTheMix() {
        assertThat(destination("[ssh, 8080, 9000-9100]").eosText()).isEqualTo("22,8080,9000-9100");
    }

    @Test
    void commaSeparatedStringIsAList() {
        PortSpec ports = destination("'80,443, 8000-8080'");

        assertThat(ports.items()).containsExactly(new PortItem.Number(80), new PortItem.Number(443),
                new PortItem.Range(8000, 8080));
        assertThat(ports.contains(8042)).isTrue();
        assertThat(ports.contains(8081)).isFalse();
    }

    @Test
    void allAloneMeansEveryPort() {
        assertThat(destination("all").isAll()).isTrue();
        assertThat(destination("[all]").isAll()).isTrue();
    }

    @Test
    void backwardsRangeSuggestsTheRightOrder() {
        assertThat(errors(service("90-80"))).containsExactly(
                "p.yaml:4:18: error: service 's', field 'destination': range '90-80' runs backwards. Fix: write 80-90");
    }

    @Test
    void portAbove65535IsRefused() {
        Diagnostic d = error(service("[80, 70000]"), "outside 0-65535");

        assertThat(d.problem()).isEqualTo("port 70000 is outside 0-65535");
        assertThat(d.field()).isEqualTo("destination");
        assertThat(d.fix()).isEqualTo("use a port from 0 to 65535");
    }

    @Test
    void rangeEndAbove65535IsRefused() {
        assertThat(error(service("1000-70000"), "outside 0-65535").problem()).isEqualTo("port 70000 is outside 0-65535");
    }

    @Test
    void unknownPortNameSuggestsTheClosestName() {
        assertThat(errors(service("htps"))).containsExactly(
                "p.yaml:4:18: error: service 's', field 'destination': 'htps' is not a port number, range "
                        + "or known port name. Fix: did you mean 'https'?");
    }

    @Test
    void allMixedWithPortsIsRefused() {
        Diagnostic d = error(service("[80, all]"), "'all' is mixed with other ports");

        assertThat(d.fix()).isEqualTo("write either 'all' or a list of ports");
        assertThat(d.at().column()).isEqualTo(23);
    }

    @Test
    void icmpWithPortsIsRefused() {
        LoadedPolicy loaded = load("services:\n  - name: ping\n    protocol: icmp\n    destination: 80\n");

        assertThat(errors(loaded)).containsExactly("p.yaml:3:15: error: service 'ping', field 'protocol': "
                + "icmp has no ports. Fix: remove 'source'/'destination', or use tcp or udp");
    }

    @Test
    void misspeltProtocolSuggestsTheProtocol() {
        LoadedPolicy loaded = load("services:\n  - name: s\n    protocol: tpc\n");

        assertThat(error(loaded, "is not a protocol").fix()).isEqualTo("did you mean 'tcp'?");
    }

    @Test
    void inlineProtocolAndEntriesTogetherAreRefused() {
        String yaml = """
                services:
                  - name: s
                    protocol: tcp
                    entries:
                      - protocol: udp
                """;

        Diagnostic d = error(load(yaml), "is given together with protocol/source/destination");
        assertThat(d.field()).isEqualTo("entries");
        assertThat(d.at().line()).isEqualTo(5);
    }

    @Test
    void serviceWithoutProtocolOrEntriesIsRefused() {
        Diagnostic d = error(load("services:\n  - name: s\n"), "defines no protocol");

        assertThat(d.object()).isEqualTo("service 's'");
        assertThat(d.fix()).contains("'entries'");
    }
}
