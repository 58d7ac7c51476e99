package dev.septum.flows.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.FlowRecord;
import dev.septum.flows.IpAddr;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handcrafted IPFIX messages, each exercising one rule of RFC 7011 / RFC 5103. */
class IpfixDecoderTest {
    static final InetSocketAddress EXPORTER = new InetSocketAddress("127.0.0.1", 40000);
    static final long NOW = 1_700_000_100_000L;

    final MessageDecoder decoder = new MessageDecoder();
    final List<FlowRecord> out = new ArrayList<>();

    /** ipfixgen.py's template 256: IPv4 biflow, 67 bytes per record. */
    static byte[] biflowTemplate(int id) {
        Wire w = Wire.create().u16(id).u16(14);
        int[][] f = {{8, 4}, {12, 4}, {7, 2}, {11, 2}, {4, 1}, {6, 1}, {136, 1}, {234, 4}, {1, 8}, {2, 8},
            {152, 8}, {153, 8}};
        for (int[] x : f) {
            w.u16(x[0]).u16(x[1]);
        }
        w.u16(0x8000 | 1).u16(8).u32(29305);
        w.u16(0x8000 | 2).u16(8).u32(29305);
        return Wire.set(2, w.toBytes());
    }

    static byte[] biflowRecord(int lastOctet, int srcPort, long octets, long packets, long revOctets, long revPackets) {
        return Wire.create().ipv4(10, 0, 0, lastOctet).ipv4(10, 200, 0, 1).u16(srcPort).u16(443).u8(6).u8(0x1B)
                .u8(3).u32(2).u64(octets).u64(packets).u64(1_700_000_000_000L).u64(1_700_000_000_250L)
                .u64(revOctets).u64(revPackets).toBytes();
    }

    void feed(byte[] msg) {
        decoder.decode(Wire.buffer(msg), EXPORTER, NOW, out::add);
    }

    @Test
    void decodesBiflowRecordWithReverseCountersUnderPen29305() {
        feed(Wire.ipfix(0, 1, biflowTemplate(256), Wire.set(256, biflowRecord(5, 40001, 600, 5, 3600, 4))));

        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.src()).isEqualTo(IpAddr.parse("10.0.0.5"));
            assertThat(r.dst()).hasToString("10.200.0.1");
            assertThat(r.srcPort()).isEqualTo(40001);
            assertThat(r.dstPort()).isEqualTo(443);
            assertThat(r.protocol()).isEqualTo(6);
            assertThat(r.tcpFlags()).isEqualTo(0x1B);
            assertThat(r.vrf()).isEqualTo(2);
            assertThat(r.endReason()).isEqualTo(3);
            assertThat(r.octets()).isEqualTo(600);
            assertThat(r.packets()).isEqualTo(5);
            assertThat(r.reverseOctets()).isEqualTo(3600);
            assertThat(r.reversePackets()).isEqualTo(4);
            assertThat(r.biflow()).isTrue();
            assertThat(r.startMillis()).isEqualTo(1_700_000_000_000L);
            assertThat(r.endMillis()).isEqualTo(1_700_000_000_250L);
            assertThat(r.domain()).isEqualTo(1);
        });
        assertThat(decoder.counters().dataRecords()).isEqualTo(1);
        assertThat(decoder.counters().malformed()).isZero();
    }

    @Test
    void setsLongerThanOneBatchReachTheSinkWholeAndInOrderInBatches() {
        int n = DataSetReader.BATCH * 2 + 6;
        Wire body = Wire.create();
        for (int i = 0; i < n; i++) {
            body.bytes(biflowRecord(1, 20000 + i, 100, 1, 0, 0));
        }
        List<Integer> batches = new ArrayList<>();
        dev.septum.flows.FlowSink sink = new dev.septum.flows.FlowSink() {
            @Override
            public void accept(FlowRecord r) {
                out.add(r);
            }

            @Override
            public void acceptAll(dev.septum.flows.FlowFields[] records, int count) {
                batches.add(count);
                dev.septum.flows.FlowSink.super.acceptAll(records, count);
            }
        };

        decoder.decode(Wire.buffer(Wire.ipfix(0, 1, biflowTemplate(256), Wire.set(256, body.toBytes()))),
                EXPORTER, NOW, sink);

        assertThat(out).extracting(FlowRecord::srcPort)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(20000, 20000 + n).boxed().toList());
        assertThat(batches).containsExactly(DataSetReader.BATCH, DataSetReader.BATCH, 6);
        assertThat(decoder.counters().dataRecords()).isEqualTo(n);
    }

    @Test
    void holdsDataWhoseTemplateHasNotArrivedAndDecodesItWhenItDoes() {
        feed(Wire.ipfix(0, 1, Wire.set(256, biflowRecord(1, 40001, 100, 1, 0, 0))));
        assertThat(out).isEmpty();
        assertThat(decoder.counters().heldSets()).isEqualTo(1);

        feed(Wire.ipfix(1, 1, biflowTemplate(256), Wire.set(256, biflowRecord(2, 40002, 200, 2, 0, 0))));

        assertThat(out).extracting(FlowRecord::octets).containsExactly(100L, 200L);
        assertThat(decoder.counters().heldRecordsDecoded()).isEqualTo(1);
        assertThat(decoder.counters().unknownTemplateDrops()).isZero();
        assertThat(decoder.heldSets()).isZero();
    }

    @Test
    void heldDataTooOldIsCountedAsUnknownTemplateDrop() {
        decoder.decode(Wire.buffer(Wire.ipfix(0, 1, Wire.set(256, biflowRecord(1, 1, 1, 1, 0, 0)))), EXPORTER, NOW, out::add);
        decoder.expire(NOW + 61_000);
        assertThat(decoder.counters().unknownTemplateDrops()).isEqualTo(1);
        feed(Wire.ipfix(1, 1, biflowTemplate(256)));
        assertThat(out).isEmpty();
    }

    @Test
    void templatesAreScopedToExporterAndObservationDomain() {
        feed(Wire.ipfix(0, 1, biflowTemplate(256)));
        feed(Wire.ipfix(0, 2, Wire.set(256, biflowRecord(1, 1, 1, 1, 0, 0))));
        decoder.decode(Wire.buffer(Wire.ipfix(0, 1, Wire.set(256, biflowRecord(1, 1, 1, 1, 0, 0)))),
                new InetSocketAddress("127.0.0.1", 40001), NOW, out::add);
        assertThat(out).isEmpty();
        assertThat(decoder.counters().heldSets()).isEqualTo(2);
    }

    @Test
    void withdrawalRemovesTheTemplate() {
        feed(Wire.ipfix(0, 1, biflowTemplate(256)));
        feed(Wire.ipfix(0, 1, Wire.set(2, Wire.create().u16(256).u16(0).toBytes())));
        feed(Wire.ipfix(0, 1, Wire.set(256, biflowRecord(1, 1, 1, 1, 0, 0))));
        assertThat(out).isEmpty();
        assertThat(decoder.counters().templateWithdrawals()).isEqualTo(1);
        assertThat(decoder.templates().templateCount()).isZero();
    }

    @Test
    void templateId2WithdrawsEveryDataTemplateButKeepsOptionsTemplates() {
        feed(Wire.ipfix(0, 1, biflowTemplate(256), biflowTemplate(257), optionsTemplate(300)));
        assertThat(decoder.templates().templateCount()).isEqualTo(3);
        feed(Wire.ipfix(0, 1, Wire.set(2, Wire.create().u16(2).u16(0).toBytes())));
        assertThat(decoder.templates().templateCount()).isEqualTo(1);
    }

    @Test
    void redefiningATemplateIdReplacesTheLayout() {
        feed(Wire.ipfix(0, 1, biflowTemplate(256)));
        byte[] small = Wire.set(2, Wire.create().u16(256).u16(2).u16(8).u16(4).u16(12).u16(4).toBytes());
        feed(Wire.ipfix(0, 1, small, Wire.set(256, Wire.create().ipv4(1, 2, 3, 4).ipv4(5, 6, 7, 8).toBytes())));
        assertThat(out).singleElement().satisfies(r -> assertThat(r.dst()).hasToString("5.6.7.8"));
    }

    @Test
    void aTemplateRedefinedOrWithdrawnAfterItsDataWasDecodedTakesEffectForTheNextSet() {
        feed(Wire.ipfix(0, 1, biflowTemplate(256), Wire.set(256, biflowRecord(1, 1, 1, 1, 0, 0))));
        byte[] small = Wire.set(2, Wire.create().u16(256).u16(2).u16(8).u16(4).u16(12).u16(4).toBytes());
        feed(Wire.ipfix(1, 1, small));
        feed(Wire.ipfix(1, 1, Wire.set(256, Wire.create().ipv4(1, 2, 3, 4).ipv4(5, 6, 7, 8).toBytes())));
        assertThat(out).extracting(r -> r.dst().toString()).containsExactly("10.200.0.1", "5.6.7.8");

        feed(Wire.ipfix(2, 1, Wire.set(2, Wire.create().u16(256).u16(0).toBytes())));
        feed(Wire.ipfix(2, 1, Wire.set(256, Wire.create().ipv4(1, 2, 3, 4).ipv4(5, 6, 7, 9).toBytes())));
        assertThat(out).hasSize(2);
        assertThat(decoder.counters().heldSets()).isEqualTo(1);
    }

    @Test
    void eachDatagramFindsItsOwnDomainWhetherItsSenderIsTheSameObjectOrAnEqualOne() {
        InetSocketAddress other = new InetSocketAddress("127.0.0.1", 40001);
        feed(Wire.ipfix(0, 1, biflowTemplate(256)));
        decoder.decode(Wire.buffer(Wire.ipfix(0, 1, Wire.set(256, biflowRecord(1, 1, 1, 1, 0, 0)))), other, NOW, out::add);
        feed(Wire.ipfix(0, 2, Wire.set(256, biflowRecord(2, 1, 1, 1, 0, 0))));
        assertThat(out).isEmpty();
        decoder.decode(Wire.buffer(Wire.ipfix(0, 1, Wire.set(256, biflowRecord(3, 1, 1, 1, 0, 0)))),
                new InetSocketAddress("127.0.0.1", 40000), NOW, out::add);
        feed(Wire.ipfix(1, 1, Wire.set(256, biflowRecord(4, 1, 1, 1, 0, 0))));
        assertThat(out).extracting(r -> r.src().toString()).containsExactly("10.0.0.3", "10.0.0.4");
        assertThat(decoder.counters().heldSets()).isEqualTo(2);
        assertThat(decoder.templates().domainCount()).isEqualTo(3);
    }

    @Test
    void aFullDomainTableEvictsTheDomainHeardFromLeastRecently() {
        MessageDecoder two = new MessageDecoder(new MessageDecoder.Limits(TemplateCache.DEFAULT_LIFETIME_MS, 2, 1 << 20,
                4096, 4L << 20, 60_000));
        two.decode(Wire.buffer(Wire.ipfix(0, 1, biflowTemplate(256))), EXPORTER, NOW, out::add);
        two.decode(Wire.buffer(Wire.ipfix(0, 2, biflowTemplate(256))), EXPORTER, NOW, out::add);
        // domain 1 twice in a row: the second is the shortcut for the previous datagram's domain
        two.decode(Wire.buffer(Wire.ipfix(0, 1, Wire.set(256, biflowRecord(1, 1, 1, 1, 0, 0)))), EXPORTER, NOW, out::add);
        two.decode(Wire.buffer(Wire.ipfix(1, 1, Wire.set(256, biflowRecord(2, 1, 1, 1, 0, 0)))), EXPORTER, NOW, out::add);
        two.decode(Wire.buffer(Wire.ipfix(0, 3, biflowTemplate(256))), EXPORTER, NOW, out::add);
        two.decode(Wire.buffer(Wire.ipfix(2, 1, Wire.set(256, biflowRecord(3, 1, 1, 1, 0, 0)))), EXPORTER, NOW, out::add);
        two.decode(Wire.buffer(Wire.ipfix(0, 2, Wire.set(256, biflowRecord(4, 1, 1, 1, 0, 0)))), EXPORTER, NOW, out::add);
        assertThat(out).extracting(r -> r.src().toString()).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
        assertThat(two.counters().heldSets()).isEqualTo(1);
        assertThat(two.templates().domainCount()).isEqualTo(2);
    }

    @Test
    void skipsVariableLengthFieldsInBothLengthForms() {
        // 8/4, 82 interfaceName (variable), 12/4, 95 applicationId (variable), 1/4
        byte[] tpl = Wire.set(2, Wire.create().u16(400).u16(5).u16(8).u16(4).u16(82).u16(0xFFFF)
                .u16(12).u16(4).u16(95).u16(0xFFFF).u16(1).u16(4).toBytes());
        byte[] longName = new byte[300];
        byte[] rec = Wire.create().ipv4(10, 1, 1, 1).u8(3).bytes("et1".getBytes()).ipv4(10, 2, 2, 2)
                .u8(255).u16(300).bytes(longName).u32(1234).toBytes();
        feed(Wire.ipfix(0, 1, tpl, Wire.set(400, rec)));
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.src()).hasToString("10.1.1.1");
            assertThat(r.dst()).hasToString("10.2.2.2");
            assertThat(r.octets()).isEqualTo(1234);
        });
    }

    @Test
    void skipsUnknownEnterpriseElementsByTheirLength() {
        // 8/4, (PEN 9 element 5, 6 bytes), 12/4
        byte[] tpl = Wire.set(2, Wire.create().u16(401).u16(3).u16(8).u16(4).u16(0x8005).u16(6).u32(9)
                .u16(12).u16(4).toBytes());
        byte[] rec = Wire.create().ipv4(10, 1, 1, 1).bytes(new byte[] {9, 9, 9, 9, 9, 9}).ipv4(10, 2, 2, 2).toBytes();
        feed(Wire.ipfix(0, 1, tpl, Wire.set(401, rec)));
        assertThat(out).singleElement().satisfies(r -> assertThat(r.dst()).hasToString("10.2.2.2"));
    }

    @Test
    void readsReducedSizeEncodingByFieldLength() {
        // softflowd: tcpControlBits in 1 byte, counters in 4 bytes
        byte[] tpl = Wire.set(2, Wire.create().u16(402).u16(4).u16(6).u16(1).u16(1).u16(4).u16(2).u16(4)
                .u16(4).u16(1).toBytes());
        feed(Wire.ipfix(0, 1, tpl, Wire.set(402, Wire.create().u8(0x12).u32(70_000).u32(9).u8(6).toBytes())));
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.tcpFlags()).isEqualTo(0x12);
            assertThat(r.octets()).isEqualTo(70_000);
            assertThat(r.packets()).isEqualTo(9);
        });
    }

    @Test
    void takesTheFinestTimeFieldWhenATemplateCarriesSeveral() {
        // 8/4, 12/4, 150 flowStartSeconds/4, 152 flowStartMilliseconds/8, 151 flowEndSeconds/4,
        // 157 flowEndMicroseconds/8 (NTP format: seconds since 1900, then a 2^-32 fraction)
        byte[] tpl = Wire.set(2, Wire.create().u16(406).u16(6).u16(8).u16(4).u16(12).u16(4).u16(150).u16(4)
                .u16(152).u16(8).u16(151).u16(4).u16(157).u16(8).toBytes());
        long endNtp = ((1_700_000_001L + 2_208_988_800L) << 32) | 0x8000_0000L; // .5 s
        byte[] rec = Wire.create().ipv4(10, 1, 1, 1).ipv4(10, 2, 2, 2).u32(1_600_000_000L).u64(1_700_000_000_123L)
                .u32(1_600_000_001L).u64(endNtp).toBytes();
        feed(Wire.ipfix(0, 1, tpl, Wire.set(406, rec)));
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.startMillis()).isEqualTo(1_700_000_000_123L);
            assertThat(r.endMillis()).isEqualTo(1_700_000_001_500L);
        });
    }

    @Test
    void aRecordKeepsNoFieldOfTheRecordDecodedBeforeItIntoTheSameScratch() {
        // the biflow record sets VRF, counters, flags and times; the next set's template has addresses only
        byte[] small = Wire.set(2, Wire.create().u16(407).u16(2).u16(8).u16(4).u16(12).u16(4).toBytes());
        feed(Wire.ipfix(0, 1, biflowTemplate(256), small, Wire.set(256, biflowRecord(5, 40001, 600, 5, 3600, 4)),
                Wire.set(407, Wire.create().ipv4(1, 2, 3, 4).ipv4(5, 6, 7, 8).toBytes())));
        assertThat(out).hasSize(2);
        assertThat(out.get(1)).satisfies(r -> {
            assertThat(r.dst()).hasToString("5.6.7.8");
            assertThat(r.vrf()).isZero();
            assertThat(r.srcPort()).isZero();
            assertThat(r.protocol()).isZero();
            assertThat(r.octets()).isZero();
            assertThat(r.reverseOctets()).isZero();
            assertThat(r.tcpFlags()).isZero();
            assertThat(r.endReason()).isZero();
            assertThat(r.biflowDirection()).isEqualTo(-1);
            assertThat(r.biflow()).isFalse();
            assertThat(r.startMillis()).isEqualTo(NOW);
        });
    }

    @Test
    void stopsAtPaddingShorterThanARecord() {
        byte[] rec = biflowRecord(1, 1, 1, 1, 0, 0);
        byte[] body = Wire.create().bytes(rec).bytes(rec).bytes(new byte[3]).toBytes();
        feed(Wire.ipfix(0, 1, biflowTemplate(256), Wire.set(256, body)));
        assertThat(out).hasSize(2);
        assertThat(decoder.counters().malformed()).isZero();
    }

    @Test
    void countsSequenceGapsInRecordsAndNeverDropsData() {
        byte[] twoRecords = Wire.create().bytes(biflowRecord(1, 1, 1, 1, 0, 0)).bytes(biflowRecord(2, 1, 1, 1, 0, 0)).toBytes();
        feed(Wire.ipfix(0, 1, biflowTemplate(256), Wire.set(256, twoRecords)));
        feed(Wire.ipfix(2, 1, Wire.set(256, twoRecords)));      // in order: 2 records before it
        feed(Wire.ipfix(14, 1, Wire.set(256, twoRecords)));     // 10 records lost
        assertThat(out).hasSize(6);
        assertThat(decoder.counters().sequenceGapRecords()).isEqualTo(10);
        assertThat(decoder.counters().sequenceGapEvents()).isEqualTo(1);
    }

    @Test
    void sequenceNumbersWrapModulo2To32() {
        byte[] one = biflowRecord(1, 1, 1, 1, 0, 0);
        feed(Wire.ipfix(0xFFFF_FFFFL, 1, biflowTemplate(256), Wire.set(256, one)));
        feed(Wire.ipfix(0, 1, Wire.set(256, one)));
        assertThat(decoder.counters().sequenceGapEvents()).isZero();
        assertThat(decoder.counters().sequenceReorders()).isZero();
    }

    static byte[] optionsTemplate(int id) {
        // scope 149 observationDomainId/4, then 160 systemInitTimeMilliseconds/8
        return Wire.set(3, Wire.create().u16(id).u16(2).u16(1).u16(149).u16(4).u16(160).u16(8).toBytes());
    }

    @Test
    void usesSystemInitTimeFromOptionsDataForUptimeRelativeTimes() {
        byte[] tpl = Wire.set(2, Wire.create().u16(403).u16(4).u16(8).u16(4).u16(12).u16(4).u16(22).u16(4)
                .u16(21).u16(4).toBytes());
        byte[] options = Wire.set(300, Wire.create().u32(1).u64(1_600_000_000_000L).toBytes());
        byte[] data = Wire.set(403, Wire.create().ipv4(1, 1, 1, 1).ipv4(2, 2, 2, 2).u32(5_000).u32(7_000).toBytes());
        feed(Wire.ipfix(0, 1, optionsTemplate(300), tpl, options, data));
        assertThat(decoder.counters().optionsRecords()).isEqualTo(1);
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.startMillis()).isEqualTo(1_600_000_005_000L);
            assertThat(r.endMillis()).isEqualTo(1_600_000_007_000L);
        });
    }

    @Test
    void rejectsTemplatesWhoseRecordsWouldBeEmpty() {
        byte[] tpl = Wire.set(2, Wire.create().u16(404).u16(2).u16(8).u16(0).u16(12).u16(0).toBytes());
        feed(Wire.ipfix(0, 1, tpl, Wire.set(404, new byte[40])));
        assertThat(out).isEmpty();
        assertThat(decoder.counters().templatesRejected()).isEqualTo(1);
    }

    @Test
    void expiresTemplatesNotRefreshedWithinTheirLifetime() {
        MessageDecoder d = new MessageDecoder(new MessageDecoder.Limits(10_000, 16, 1000, 16, 1 << 16, 60_000));
        d.decode(Wire.buffer(Wire.ipfix(0, 1, biflowTemplate(256))), EXPORTER, NOW, out::add);
        d.decode(Wire.buffer(Wire.ipfix(0, 1, Wire.set(256, biflowRecord(1, 1, 1, 1, 0, 0)))), EXPORTER, NOW + 11_000, out::add);
        assertThat(out).isEmpty();
        assertThat(d.counters().templatesExpired()).isEqualTo(1);
    }

    @Test
    void aMessageLengthBeyondTheDatagramIsMalformedAndDecodesNothing() {
        byte[] msg = Wire.ipfix(0, 1, biflowTemplate(256), Wire.set(256, biflowRecord(1, 1, 1, 1, 0, 0)));
        byte[] cut = java.util.Arrays.copyOf(msg, msg.length - 10);
        feed(cut);
        assertThat(out).isEmpty();
        assertThat(decoder.counters().malformed()).isEqualTo(1);
    }

    @Test
    void decodesIpv6Addresses() {
        byte[] tpl = Wire.set(2, Wire.create().u16(405).u16(2).u16(27).u16(16).u16(28).u16(16).toBytes());
        byte[] rec = Wire.create().u64(0x20010DB800000000L).u64(1).u64(0x20010DB800000000L).u64(0xC8).toBytes();
        feed(Wire.ipfix(0, 1, tpl, Wire.set(405, rec)));
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.src()).hasToString("2001:db8::1");
            assertThat(r.dst()).hasToString("2001:db8::c8");
        });
    }
}
