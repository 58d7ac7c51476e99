package dev.septum.flows.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.FlowRecord;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handcrafted NetFlow v9 packets (RFC 3954). */
class NetflowV9DecoderTest {
    static final InetSocketAddress EXPORTER = new InetSocketAddress("127.0.0.1", 40000);
    final MessageDecoder decoder = new MessageDecoder();
    final List<FlowRecord> out = new ArrayList<>();

    static byte[] template() {
        // 8/4 12/4 7/2 11/2 4/1 6/1 1/4 2/4 22/4 (FIRST_SWITCHED) 21/4 (LAST_SWITCHED)
        Wire w = Wire.create().u16(260).u16(10);
        int[][] f = {{8, 4}, {12, 4}, {7, 2}, {11, 2}, {4, 1}, {6, 1}, {1, 4}, {2, 4}, {22, 4}, {21, 4}};
        for (int[] x : f) {
            w.u16(x[0]).u16(x[1]);
        }
        return Wire.set(0, w.toBytes());
    }

    static byte[] record() {
        return Wire.create().ipv4(192, 168, 1, 10).ipv4(192, 168, 1, 20).u16(51000).u16(22).u8(6).u8(0x02)
                .u32(180).u32(3).u32(9_000).u32(9_500).toBytes();
    }

    void feed(byte[] msg) {
        decoder.decode(Wire.buffer(msg), EXPORTER, 1_700_000_100_000L, out::add);
    }

    @Test
    void decodesDataWithSwitchedTimesRelativeToSysUpTime() {
        // sysUpTime 10 s at unixSecs 1_700_000_000: uptime 0 was at 1_699_999_990_000 ms
        feed(Wire.v9(10_000, 1_700_000_000L, 0, 7, 2, template(), Wire.set(260, record())));
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.src()).hasToString("192.168.1.10");
            assertThat(r.dstPort()).isEqualTo(22);
            assertThat(r.tcpFlags()).isEqualTo(2);
            assertThat(r.octets()).isEqualTo(180);
            assertThat(r.packets()).isEqualTo(3);
            assertThat(r.biflow()).isFalse();
            assertThat(r.startMillis()).isEqualTo(1_699_999_999_000L);
            assertThat(r.endMillis()).isEqualTo(1_699_999_999_500L);
            assertThat(r.domain()).isEqualTo(7);
        });
    }

    @Test
    void sequenceCountsPacketsNotRecords() {
        feed(Wire.v9(10_000, 1_700_000_000L, 5, 7, 2, template(), Wire.set(260, record())));
        feed(Wire.v9(10_000, 1_700_000_000L, 6, 7, 1, Wire.set(260, record())));
        feed(Wire.v9(10_000, 1_700_000_000L, 9, 7, 1, Wire.set(260, record())));
        assertThat(out).hasSize(3);
        assertThat(decoder.counters().sequenceGapRecords()).isEqualTo(2);
    }

    @Test
    void optionsTemplatesAreSizedInBytesAndTheirScopeIsNotReadAsData() {
        // options template 300: scope (1 system, 4 bytes), option 34 samplingInterval/4
        byte[] opt = Wire.set(1, Wire.create().u16(300).u16(4).u16(4).u16(1).u16(4).u16(34).u16(4).u16(0).toBytes());
        byte[] optData = Wire.set(300, Wire.create().u32(0x0A000001).u32(100).toBytes());
        feed(Wire.v9(10_000, 1_700_000_000L, 0, 7, 3, opt, optData, template(), Wire.set(260, record())));
        assertThat(decoder.counters().optionsRecords()).isEqualTo(1);
        assertThat(decoder.counters().malformed()).isZero();
        assertThat(out).hasSize(1);
    }

    @Test
    void holdsDataUntilTheTemplateArrives() {
        feed(Wire.v9(10_000, 1_700_000_000L, 0, 7, 1, Wire.set(260, record())));
        assertThat(out).isEmpty();
        feed(Wire.v9(10_000, 1_700_000_000L, 1, 7, 1, template()));
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().startMillis()).isEqualTo(1_699_999_999_000L);
    }

    @Test
    void v9AndIpfixTemplatesDoNotShareIds() {
        feed(Wire.v9(10_000, 1_700_000_000L, 0, 1, 1, template()));
        decoder.decode(Wire.buffer(Wire.ipfix(0, 1, Wire.set(260, record()))), EXPORTER, 1_700_000_100_000L, out::add);
        assertThat(out).isEmpty();
    }

    @Test
    void unknownVersionIsCountedNotDecoded() {
        feed(Wire.create().u16(5).u16(1).bytes(new byte[40]).toBytes());
        assertThat(decoder.counters().unsupportedVersion()).isEqualTo(1);
    }
}
