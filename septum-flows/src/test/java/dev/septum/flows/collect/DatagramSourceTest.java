package dev.septum.flows.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both socket paths on real loopback sockets: every datagram arrives whole with its own sender, in
 * batches smaller and larger than recvmmsg's vector, oversize ones are flagged, and a blocked receive
 * ends when asked.
 */
class DatagramSourceTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static DatagramSource open(DatagramSource.Kind kind, int maxDatagramBytes) throws Exception {
        return DatagramSource.open(new InetSocketAddress(LOOPBACK, 0), 1 << 20, maxDatagramBytes, kind);
    }

    /** Datagram {@code seq} from sender {@code from}: 8 bytes saying so, then a length that varies. */
    static ByteBuffer payload(int from, int seq) {
        ByteBuffer b = ByteBuffer.allocate(8 + (seq * 37) % 300);
        b.putInt(from).putInt(seq);
        for (int i = 8; i < b.capacity(); i++) {
            b.put((byte) (seq + i));
        }
        return b.flip();
    }

    @ParameterizedTest
    @EnumSource(names = {"RECVMMSG", "CHANNEL"})
    void everyDatagramArrivesWholeWithItsSenderInBatchesAroundTheVectorSize(DatagramSource.Kind kind) throws Exception {
        try (DatagramSource source = open(kind, 65_535)) {
            List<DatagramChannel> senders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                DatagramChannel ch = DatagramChannel.open();
                ch.bind(new InetSocketAddress(LOOPBACK, 0));
                ch.connect(new InetSocketAddress(LOOPBACK, source.localPort()));
                senders.add(ch);
            }
            int seq = 0;
            int batch = RecvmmsgSocket.BATCH;
            for (int burst : new int[] {1, 5, batch - 1, batch, batch + 1, 3 * batch + 17}) {
                // the whole burst is queued before the first receive, so recvmmsg can fill its vector
                int first = seq;
                for (int k = 0; k < burst; k++, seq++) {
                    senders.get(seq % 3).write(payload(seq % 3, seq));
                }
                int got = 0;
                int calls = 0;
                while (got < burst) {
                    assertThat(++calls).as("receive calls for a burst of %d", burst).isLessThanOrEqualTo(burst + 8);
                    int n = source.receive();
                    assertThat(n).isGreaterThanOrEqualTo(0);
                    if (calls == 1) {
                        assertThat(n).as("first batch of a burst of %d", burst)
                                .isEqualTo(kind == DatagramSource.Kind.CHANNEL ? 1 : Math.min(burst, batch));
                    }
                    for (int i = 0; i < n; i++, got++) {
                        int expected = first + got;
                        assertThat(source.truncated(i)).isFalse();
                        assertThat(source.datagram(i)).isEqualTo(payload(expected % 3, expected));
                        assertThat(source.sender(i)).isEqualTo(senders.get(expected % 3).getLocalAddress());
                    }
                }
            }
            for (DatagramChannel ch : senders) {
                ch.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"RECVMMSG", "CHANNEL"})
    void datagramsLongerThanTheLimitAreFlaggedTruncated(DatagramSource.Kind kind) throws Exception {
        try (DatagramSource source = open(kind, 512); DatagramChannel sender = DatagramChannel.open()) {
            sender.connect(new InetSocketAddress(LOOPBACK, source.localPort()));
            int[] sizes = {513, 512, 2000, 10};
            for (int size : sizes) {
                ByteBuffer b = ByteBuffer.allocate(size);
                b.put(0, (byte) size);
                sender.write(b);
            }
            List<Boolean> truncated = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            for (int calls = 0; truncated.size() < sizes.length && calls < 20; calls++) {
                int n = source.receive();
                for (int i = 0; i < n; i++) {
                    truncated.add(source.truncated(i));
                    lengths.add(source.truncated(i) ? -1 : source.datagram(i).remaining());
                    assertThat(source.sender(i)).isEqualTo(sender.getLocalAddress());
                }
            }
            assertThat(truncated).containsExactly(true, false, true, false);
            assertThat(lengths).containsExactly(-1, 512, -1, 10);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"RECVMMSG", "CHANNEL"})
    void stopReceivingEndsABlockedReceive(DatagramSource.Kind kind) throws Exception {
        try (DatagramSource source = open(kind, 65_535)) {
            AtomicInteger last = new AtomicInteger(Integer.MIN_VALUE);
            Thread receiver = Thread.ofPlatform().start(() -> {
                try {
                    int n;
                    do {
                        n = source.receive();
                    } while (n >= 0);
                    last.set(n);
                } catch (Exception e) {
                    last.set(Integer.MAX_VALUE);
                }
            });
            Thread.sleep(300); // let it block in the syscall
            source.stopReceiving();
            receiver.join(5_000);
            assertThat(receiver.isAlive()).as("receiver still blocked after stopReceiving").isFalse();
            assertThat(last.get()).isEqualTo(-1);
        }
    }

    @org.junit.jupiter.api.Test
    void autoPicksRecvmmsgOnLinux() throws Exception {
        try (DatagramSource source = open(DatagramSource.Kind.AUTO, 65_535)) {
            assertThat(source).isInstanceOf(RecvmmsgSocket.platformSupported() ? RecvmmsgSocket.class : ChannelSource.class);
        }
    }
}
