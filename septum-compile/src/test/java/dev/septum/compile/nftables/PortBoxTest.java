package dev.septum.compile.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PortBoxTest {
    @Test
    void entriesThatDoNotOverlapAreNotCut() {
        List<PortBox> boxes = List.of(new PortBox("tcp", 0, 65535, 80, 80), new PortBox("tcp", 0, 65535, 81, 81),
                new PortBox("udp", 0, 65535, 80, 80));
        assertThat(PortBox.anyMeet(boxes)).isFalse();
    }

    @Test
    void aRangeInsideAnyPortIsAbsorbed() {
        List<PortBox> boxes = List.of(new PortBox("tcp", 0, 65535, 0, 65535), new PortBox("tcp", 0, 65535, 80, 90),
                new PortBox("udp", 0, 65535, 53, 53));
        assertThat(PortBox.anyMeet(boxes)).isTrue();
        assertThat(PortBox.disjoint(boxes).stream().map(PortBox::element))
                .containsExactly("tcp . 0-65535 . 0-65535", "udp . 0-65535 . 53");
    }

    @Test
    void boxesOverlappingInBothPortsBecomeDisjointPiecesOfTheSamePackets() {
        List<PortBox> boxes = List.of(new PortBox("tcp", 1000, 1999, 80, 90), new PortBox("tcp", 1500, 2500, 85, 100));
        List<PortBox> cut = PortBox.disjoint(boxes);
        assertThat(cut.stream().map(PortBox::element)).containsExactly(
                "tcp . 1000-1499 . 80-90", "tcp . 1500-1999 . 80-100", "tcp . 2000-2500 . 85-100");
        assertThat(PortBox.anyMeet(cut)).isFalse();
        for (int source = 990; source <= 2510; source += 5) {
            for (int destination = 75; destination <= 105; destination++) {
                int s = source;
                int d = destination;
                boolean before = boxes.stream().anyMatch(b -> covers(b, s, d));
                boolean after = cut.stream().anyMatch(b -> covers(b, s, d));
                assertThat(after).as("tcp %d -> %d", s, d).isEqualTo(before);
            }
        }
    }

    private static boolean covers(PortBox b, int source, int destination) {
        return b.sourceLow() <= source && source <= b.sourceHigh() && b.destinationLow() <= destination && destination <= b.destinationHigh();
    }
}
