package dev.septum.flows.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NFLOG's netlink messages byte by byte, laid out as linux/netfilter/nfnetlink_log.h has them. */
class NflogMessagesTest {
    private static final ByteOrder HOST = ByteOrder.nativeOrder();

    @Test
    void theBindRequestAsksForWholePacketsOfTheGroupAtTheQueueThresholdAndAnAcknowledgement() {
        ByteBuffer b = NflogMessages.bind(51370, 7, 1).order(HOST);
        assertThat(b.remaining()).isEqualTo(48);
        assertThat(b.getInt(0)).isEqualTo(48);
        assertThat(b.getShort(4)).isEqualTo((short) 0x0401); // NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_CONFIG
        assertThat(b.getShort(6)).isEqualTo((short) 5); // NLM_F_REQUEST | NLM_F_ACK
        assertThat(b.getInt(8)).isEqualTo(7);
        assertThat(b.order(ByteOrder.BIG_ENDIAN).getShort(18) & 0xFFFF).isEqualTo(51370);
        b.order(HOST);
        assertThat(List.of(b.getShort(20), b.getShort(22), (short) b.get(24))).containsExactly((short) 5, (short) 1, (short) 1);
        assertThat(List.of(b.getShort(28), b.getShort(30))).containsExactly((short) 10, (short) 2);
        assertThat(b.order(ByteOrder.BIG_ENDIAN).getInt(32)).isEqualTo(0xFFFF);
        assertThat(b.get(36)).isEqualTo((byte) 2); // NFULNL_COPY_PACKET
        b.order(HOST);
        assertThat(List.of(b.getShort(40), b.getShort(42))).containsExactly((short) 8, (short) 5); // NFULA_CFG_QTHRESH
        assertThat(b.order(ByteOrder.BIG_ENDIAN).getInt(44)).isEqualTo(1);
    }

    @Test
    void aDatagramYieldsItsPacketsAndTheKernelsAnswerAndStopsAtACutMessage() {
        byte[] ip = Packets.ipv4("10.1.0.5", "10.2.0.53", 17, Packets.udp(5000, 53, 3));
        ByteBuffer d = ByteBuffer.allocate(256).order(HOST);
        int packetLength = 16 + 4 + 8 + 4 + ip.length;
        d.putInt(packetLength).putShort((short) 0x0400).putShort((short) 0).putInt(0).putInt(0);
        d.put((byte) 2).put((byte) 0).putShort((short) 0);
        d.putShort((short) 8).putShort((short) 1).putShort((short) 0x0800).put((byte) 1).put((byte) 0); // packet header
        d.putShort((short) (4 + ip.length)).putShort((short) 9).put(ip);
        while (d.position() % 4 != 0) {
            d.put((byte) 0);
        }
        d.putInt(36).putShort((short) 2).putShort((short) 0).putInt(1).putInt(0).putInt(-16).put(new byte[16]); // EBUSY
        d.putInt(100).putShort((short) 0x0400).putShort((short) 0).putInt(0).putInt(0); // says 100, has 16
        d.flip();
        List<byte[]> packets = new ArrayList<>();
        List<Integer> answers = new ArrayList<>();
        int[] malformed = {0};
        NflogMessages.read(d, new NflogMessages.Visitor() {
            @Override
            public void packet(ByteBuffer p) {
                byte[] copy = new byte[p.remaining()];
                p.get(copy);
                packets.add(copy);
            }

            @Override
            public void answer(int seq, int error) {
                answers.add(seq);
                answers.add(error);
            }

            @Override
            public void malformed() {
                malformed[0]++;
            }
        });
        assertThat(packets).singleElement().isEqualTo(ip);
        assertThat(answers).containsExactly(1, -16);
        assertThat(malformed[0]).isEqualTo(1);
    }
}
