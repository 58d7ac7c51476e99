package dev.septum.flows.mirror;

import static dev.septum.flows.mirror.Packets.cut;
import static dev.septum.flows.mirror.Packets.ethernet;
import static dev.septum.flows.mirror.Packets.gre;
import static dev.septum.flows.mirror.Packets.icmp;
import static dev.septum.flows.mirror.Packets.ipv4;
import static dev.septum.flows.mirror.Packets.ipv6;
import static dev.septum.flows.mirror.Packets.outer;
import static dev.septum.flows.mirror.Packets.tcp;
import static dev.septum.flows.mirror.Packets.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.FlowRecord;
import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.session.SessionTable;
import dev.septum.flows.session.SessionTimeouts;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** GRE-mirrored packets, byte by byte, through the mirror intake's decoder. */
class GreDecoderTest {
    private static final InetSocketAddress SWITCH = new InetSocketAddress("192.0.2.1", 0);
    private static final int TEB = 0x6558;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;

    private final GreDecoder decoder = new GreDecoder();
    private final List<FlowRecord> metered = new ArrayList<>();

    private void decode(byte[] packet) {
        decoder.decode(ByteBuffer.wrap(packet), SWITCH, 1_700_000_000_000L, metered::add);
    }

    private static byte[] syn() {
        return ipv4("10.1.0.5", "10.2.0.53", 6, tcp(40000, 443, SYN, 0));
    }

    @Test
    void transparentEthernetWithAndWithoutKeyAndWithChecksumAndSequenceIsMetered() {
        for (int flags : new int[] {0x00, 0x20, 0xB0, 0x10}) {
            decode(outer(gre(flags, 0, TEB, ethernet(0x0800, syn()))));
        }
        assertThat(metered).hasSize(4).allSatisfy(r -> {
            assertThat(r.src()).isEqualTo(IpAddr.parse("10.1.0.5"));
            assertThat(r.dst()).isEqualTo(IpAddr.parse("10.2.0.53"));
            assertThat(List.of(r.protocol(), r.srcPort(), r.dstPort(), r.tcpFlags())).containsExactly(6, 40000, 443, SYN);
            assertThat(r.packets()).isEqualTo(1);
            assertThat(r.octets()).isEqualTo(40);
            assertThat(r.vrf()).isZero();
        });
        assertThat(decoder.counters().metered()).isEqualTo(4);
    }

    @Test
    void vlanTagsAndQinqAreSkipped() {
        decode(outer(gre(0x20, 0, TEB, ethernet(0x0800, syn(), 0x8100))));
        decode(outer(gre(0x20, 0, TEB, ethernet(0x0800, syn(), 0x88A8, 0x8100))));
        decode(outer(gre(0x20, 0, TEB, ethernet(0x0800, syn(), 0x8100, 0x8100, 0x8100, 0x8100))));
        assertThat(metered).hasSize(2);
        assertThat(decoder.counters().nonIpFrames()).isEqualTo(1);
    }

    @Test
    void ipv6ExtensionHeadersAreWalkedToThePorts() {
        byte[] dns = ipv6("2001:db8::5", "2001:db8:0:c8::53", 17, udp(50000, 53, 30),
                new int[] {0, 44}, new byte[][] {Packets.hopByHop(), Packets.fragment(0, true)});
        decode(outer(gre(0x20, 0, TEB, ethernet(0x86DD, dns))));
        FlowRecord r = metered.getFirst();
        assertThat(r.src()).isEqualTo(IpAddr.parse("2001:db8::5"));
        assertThat(r.dst()).isEqualTo(IpAddr.parse("2001:db8:0:c8::53"));
        assertThat(List.of(r.protocol(), r.srcPort(), r.dstPort())).containsExactly(17, 50000, 53);
        assertThat(r.octets()).isEqualTo(40 + 16 + 38);
    }

    @Test
    void laterFragmentsAreCountedNotMetered() {
        byte[] v6 = ipv6("2001:db8::5", "2001:db8::6", 17, new byte[64], new int[] {44},
                new byte[][] {Packets.fragment(100, false)});
        decode(outer(gre(0, 0, TEB, ethernet(0x86DD, v6))));
        decode(outer(gre(0, 0, TEB, ethernet(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, 185, new byte[64])))));
        assertThat(metered).isEmpty();
        assertThat(decoder.counters().nonFirstFragments()).isEqualTo(2);
    }

    @Test
    void anOuterFirstFragmentIsMeteredWholeAndTheRestCounted() {
        // what the packet ring sees of a mirror copy longer than the link's MTU: fragments, unreassembled
        byte[] big = ethernet(0x0800, ipv4("10.1.0.5", "10.2.0.53", 6, tcp(40000, 443, ACK, 1460)));
        byte[] whole = gre(0x20, 0, TEB, big);
        decode(ipv4("192.0.2.1", "127.0.0.1", 47, 0x2000, cut(whole, 1480))); // more fragments, offset 0
        decode(ipv4("192.0.2.1", "127.0.0.1", 47, 185, java.util.Arrays.copyOfRange(whole, 1480, whole.length)));
        assertThat(metered).singleElement().satisfies(r -> assertThat(r.octets()).isEqualTo(1500));
        assertThat(decoder.counters().nonFirstFragments()).isEqualTo(1);
        assertThat(decoder.counters().grePackets()).isEqualTo(2);
    }

    @Test
    void icmpCarriesTypeAndCodeAsTheDestinationPort() {
        decode(outer(gre(0x20, 0, TEB, ethernet(0x0800, ipv4("10.1.0.5", "10.2.0.1", 1, icmp(8, 0))))));
        byte[] v6 = ipv6("2001:db8::5", "2001:db8::6", 58, icmp(128, 0), new int[0], new byte[0][]);
        decode(outer(gre(0x20, 0, TEB, ethernet(0x86DD, v6))));
        assertThat(metered).extracting(FlowRecord::dstPort).containsExactly(8 << 8, 128 << 8);
    }

    @Test
    void bareIpOverGreIsMeteredToo() {
        decode(outer(gre(0, 0, 0x0800, syn())));
        assertThat(metered).hasSize(1);
    }

    @Test
    void aTruncatedMirrorCopyCountsTheWholePacket() {
        byte[] big = ipv4("10.1.0.5", "10.2.0.53", 6, tcp(40000, 443, ACK, 1400));
        decode(outer(gre(0x20, 0, TEB, cut(ethernet(0x0800, big), 14 + 20 + 14)))); // cut after TCP's flags
        assertThat(metered).singleElement().satisfies(r -> {
            assertThat(r.octets()).isEqualTo(1440);
            assertThat(r.tcpFlags()).isEqualTo(ACK);
        });
        decode(outer(gre(0x20, 0, TEB, cut(ethernet(0x0800, big), 14 + 20 + 13)))); // flags cut off
        decode(outer(gre(0x20, 0, TEB, cut(ethernet(0x0800, big), 14 + 10)))); // IP header cut
        decode(outer(gre(0x20, 0, TEB, cut(ethernet(0x0800, big), 10)))); // Ethernet header cut
        assertThat(decoder.counters().truncatedFrames()).isEqualTo(3);
    }

    @Test
    void everyForeignOrBrokenPacketIsCountedByItsReason() {
        byte[] arp = ethernet(0x0806, new byte[28]);
        decode(outer(gre(0x20, 0, TEB, arp)));
        decode(outer(gre(0x20, 1, TEB, ethernet(0x0800, syn())))); // version 1
        decode(outer(gre(0x40, 0, TEB, ethernet(0x0800, syn())))); // RFC 1701 routing
        decode(outer(gre(0x00, 0, 0x88BE, new byte[40]))); // ERSPAN
        decode(new byte[] {0x45, 0, 0}); // shorter than an IPv4 header
        decode(cut(outer(gre(0xB0, 0, TEB, new byte[0])), 30)); // GRE options cut
        byte[] badIp = syn();
        badIp[0] = 0x43; // IHL 3
        decode(outer(gre(0, 0, TEB, ethernet(0x0800, badIp))));
        MirrorCounters c = decoder.counters();
        assertThat(List.of(c.nonIpFrames(), c.greVersion(), c.greRouting(), c.greOtherProtocol(), c.malformedOuter(),
                c.malformedIp(), c.metered())).containsExactly(1L, 1L, 1L, 1L, 2L, 1L, 0L);
        assertThat(c.grePackets()).isEqualTo(7);
    }

    @Test
    void noPrefixOrMutationOfRealPacketsThrows() {
        List<byte[]> seeds = List.of(outer(gre(0xB0, 0, TEB, ethernet(0x0800, syn(), 0x88A8, 0x8100))),
                outer(gre(0x20, 0, TEB, ethernet(0x86DD, ipv6("2001:db8::5", "2001:db8::6", 6, tcp(1, 2, SYN, 4),
                        new int[] {0, 60, 51, 44}, new byte[][] {Packets.hopByHop(), Packets.hopByHop(),
                                new byte[] {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, Packets.fragment(0, true)})))));
        Random rnd = new Random(13);
        long decoded = 0;
        for (byte[] seed : seeds) {
            for (int len = 0; len <= seed.length; len++) {
                decode(cut(seed, len));
                decoded++;
            }
            for (int i = 0; i < 20_000; i++) {
                byte[] m = seed.clone();
                for (int k = rnd.nextInt(4); k >= 0; k--) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
                decode(cut(m, rnd.nextInt(m.length + 1)));
                decoded++;
            }
        }
        assertThat(decoder.counters().grePackets()).isEqualTo(decoded);
    }

    @Test
    void aHandshakeMetersIntoOneCompleteSessionOfTheSessionTable() {
        List<SessionRow> ended = new ArrayList<>();
        SessionTable table = new SessionTable(SessionTimeouts.EOS_DEFAULTS, 100, ended::add);
        table.setNow(1_000);
        byte[][] packets = {
            ipv4("10.1.0.5", "10.2.0.53", 6, tcp(40000, 443, SYN, 0)),
            ipv4("10.2.0.53", "10.1.0.5", 6, tcp(443, 40000, SYN | ACK, 0)),
            ipv4("10.1.0.5", "10.2.0.53", 6, tcp(40000, 443, ACK, 100)),
            ipv4("10.2.0.53", "10.1.0.5", 6, tcp(443, 40000, ACK, 1000)),
        };
        for (byte[] p : packets) {
            decoder.decode(ByteBuffer.wrap(outer(gre(0x20, 0, TEB, ethernet(0x0800, p)))), SWITCH, 1_000, table);
        }
        SessionRow s = table.snapshot().getFirst();
        assertThat(s.client().addr()).isEqualTo(IpAddr.parse("10.1.0.5"));
        assertThat(s.server().port()).isEqualTo(443);
        assertThat(List.of(s.clientPackets(), s.clientOctets(), s.serverPackets(), s.serverOctets()))
                .containsExactly(2L, 180L, 2L, 1080L);
        assertThat(s.state()).isEqualTo(SessionState.COMPLETE);
        // all four in one millisecond: ORed flags and start times cannot tell, the SYN packet can
        assertThat(s.evidence()).isEqualTo(DirectionEvidence.BIFLOW_INITIATOR);
        table.expire(1_000 + SessionTimeouts.EOS_DEFAULTS.idleMs());
        assertThat(ended).hasSize(1);
    }

    @Test
    void theAgentsFrameDecodesToThePacketItCarries() {
        ByteBuffer out = ByteBuffer.allocate(200);
        GreFrame.write(ByteBuffer.wrap(syn()), 0, out);
        decode(outer(cut(out.array(), out.position())));
        out.clear();
        GreFrame.write(ByteBuffer.wrap(syn()), GreFrame.NO_KEY, out);
        decode(outer(cut(out.array(), out.position())));
        assertThat(metered).hasSize(2).allSatisfy(r -> assertThat(r.dstPort()).isEqualTo(443));
    }
}
