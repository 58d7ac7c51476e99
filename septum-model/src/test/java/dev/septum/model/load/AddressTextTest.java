package dev.septum.model.load;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** AddressText's own reading of plain IPv4 gives what the library's strict parser gives for the same text. */
class AddressTextTest {

    private static Optional<IPAddress> library(String text) {
        IPAddressString s = new IPAddressString(text, AddressText.STRICT);
        IPAddress address = s.isIPAddress() ? s.getAddress() : null;
        return address == null || text.contains("*") || text.contains("-") ? Optional.empty() : Optional.of(address);
    }

    private static List<String> texts() {
        List<String> texts = new ArrayList<>(List.of("0.0.0.0", "0.0.0.0/0", "255.255.255.255", "255.255.255.255/32",
                "10.0.0.0/8", "10.0.0.1/8", "10.1", "10.0.0", "010.0.0.1", "10.00.0.1", "10.0.0.256", "10.0.0.1/33",
                "10.0.0.0/08", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0.0", "1.2.3.4 ", " 1.2.3.4",
                "1.2.3.4/24x", "1.2.3.a", "1.2.3.-4", "1.2.3.*", "1..2.3", "1.2.3.4.", "", "/24", "1.2.3.1000",
                "2001:db8::/64", "::ffff:1.2.3.4", "192.168.1.0/24", "192.168.1.128/25", "192.168.1.128/24"));
        Random random = new Random(17);
        for (int i = 0; i < 2_000; i++) {
            int value = random.nextInt();
            int prefix = random.nextInt(34);
            String quad = (value >>> 24) + "." + (value >>> 16 & 255) + "." + (value >>> 8 & 255) + "." + (value & 255);
            texts.add(quad);
            texts.add(quad + "/" + prefix);
            int block = prefix == 0 ? 0 : prefix >= 32 ? value : value & (-1 << (32 - prefix));
            texts.add((block >>> 24) + "." + (block >>> 16 & 255) + "." + (block >>> 8 & 255) + "." + (block & 255)
                    + "/" + prefix);
        }
        return texts;
    }

    @Test
    void plainIpv4IsReadAsTheLibraryReadsIt() {
        for (String text : texts()) {
            Optional<IPAddress> ours = AddressText.parse(text);
            Optional<IPAddress> theirs = library(text);
            assertThat(ours).as(text).isEqualTo(theirs);
            if (ours.isPresent()) {
                IPAddress a = ours.get();
                IPAddress b = theirs.get();
                assertThat(a.toCanonicalString()).as(text).isEqualTo(b.toCanonicalString());
                assertThat(a.toString()).as(text).isEqualTo(b.toString());
                assertThat(a.getNetworkPrefixLength()).as(text).isEqualTo(b.getNetworkPrefixLength());
                assertThat(a.isPrefixBlock()).as(text).isEqualTo(b.isPrefixBlock());
                assertThat(a.isMultiple()).as(text).isEqualTo(b.isMultiple());
                assertThat(a.hashCode()).as(text).isEqualTo(b.hashCode());
                assertThat(a.setPrefixLength(32, false)).as(text).isEqualTo(b.setPrefixLength(32, false));
                assertThat(a.setPrefixLength(32, false).toCanonicalString()).as(text)
                        .isEqualTo(b.setPrefixLength(32, false).toCanonicalString());
            }
        }
    }
}
