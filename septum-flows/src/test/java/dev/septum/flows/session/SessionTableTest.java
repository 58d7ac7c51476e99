package dev.septum.flows.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.FlowRecord;
import dev.septum.flows.IpAddr;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTableTest {
    static final InetSocketAddress EXP = new InetSocketAddress("127.0.0.1", 1);
    final List<SessionRow> exported = new ArrayList<>();
    final SessionTable table = new SessionTable(SessionTimeouts.EOS_DEFAULTS, 1000, exported::add);

    static FlowRecord uni(String src, int sp, String dst, int dp, int proto, int flags, long pkts, long octets, long start) {
        return new FlowRecord(EXP, 1, 0, IpAddr.parse(src), IpAddr.parse(dst), sp, dp, proto, flags, octets, pkts,
                0, 0, 0, false, start, start + 100, 0, -1);
    }

    static FlowRecord bi(String src, int sp, String dst, int dp, int proto, int flags, long pkts, long octets,
                         int rflags, long rpkts, long roctets) {
        return new FlowRecord(EXP, 1, 3, IpAddr.parse(src), IpAddr.parse(dst), sp, dp, proto, flags, octets, pkts,
                rflags, roctets, rpkts, true, 1000, 2000, 3, -1);
    }

    @Test
    void stitchesTwoUniflowsIntoOneCompleteSessionOrientedByTheSynSender() {
        // Server's record first, so arrival order cannot be what decides. Client SYN-only, server SYN|ACK.
        table.accept(uni("10.2.0.1", 443, "10.1.0.5", 40000, 6, 0x12, 3, 1120, 1001));
        table.accept(uni("10.1.0.5", 40000, "10.2.0.1", 443, 6, 0x02, 5, 300, 1000));

        assertThat(table.snapshot()).singleElement().satisfies(r -> {
            assertThat(r.client()).hasToString("10.1.0.5:40000");
            assertThat(r.server()).hasToString("10.2.0.1:443");
            assertThat(r.clientPackets()).isEqualTo(5);
            assertThat(r.clientOctets()).isEqualTo(300);
            assertThat(r.serverPackets()).isEqualTo(3);
            assertThat(r.serverOctets()).isEqualTo(1120);
            assertThat(r.state()).isEqualTo(SessionState.COMPLETE);
            assertThat(r.evidence()).isEqualTo(DirectionEvidence.TCP_FLAGS);
            assertThat(r.records()).isEqualTo(2);
        });
    }

    @Test
    void aConnectionRefusedWithAResetIsRefusedNotComplete() {
        // client SYN (retransmitted), the closed port answers RST|ACK: both sides sent packets, no handshake
        table.accept(uni("10.1.0.5", 40000, "10.2.0.1", 8443, 6, 0x02, 2, 120, 1000));
        table.accept(uni("10.2.0.1", 8443, "10.1.0.5", 40000, 6, 0x14, 2, 80, 1001));
        assertThat(table.snapshot()).singleElement().satisfies(r -> {
            assertThat(r.client()).hasToString("10.1.0.5:40000");
            assertThat(r.state()).isEqualTo(SessionState.REFUSED);
            assertThat(r.serverTcpFlags()).isEqualTo(0x14);
        });
    }

    @Test
    void aSynScanThatResetsTheAnswerIsRefused() {
        // the scanner sends SYN, the open port answers SYN|ACK, the scanner resets without ever ACKing
        table.accept(uni("10.1.0.66", 41000, "10.2.0.1", 22, 6, 0x06, 2, 100, 1000));
        table.accept(uni("10.2.0.1", 22, "10.1.0.66", 41000, 6, 0x12, 1, 60, 1001));
        assertThat(table.snapshot()).singleElement().satisfies(r -> {
            assertThat(r.server()).hasToString("10.2.0.1:22");
            assertThat(r.state()).isEqualTo(SessionState.REFUSED);
        });
    }

    @Test
    void aConversationEndedByAResetAfterTheHandshakeIsComplete() {
        table.accept(uni("10.1.0.5", 40001, "10.2.0.1", 443, 6, 0x1E, 9, 900, 1000)); // SYN PSH ACK RST
        table.accept(uni("10.2.0.1", 443, "10.1.0.5", 40001, 6, 0x1A, 8, 8000, 1001)); // SYN PSH ACK
        assertThat(table.snapshot()).singleElement().satisfies(r -> assertThat(r.state()).isEqualTo(SessionState.COMPLETE));
    }

    @Test
    void aBatchIsAppliedAsItsRecordsOneByOneWould() {
        List<FlowRecord> records = List.of(
                uni("10.1.0.5", 40000, "10.2.0.1", 443, 6, 0x02, 5, 300, 1000),
                uni("10.2.0.1", 443, "10.1.0.5", 40000, 6, 0x12, 3, 1120, 1001),    // the same session, other side
                uni("10.9.0.9", 1234, "10.2.0.1", 443, 6, 0x02, 1, 60, 1002),
                new FlowRecord(EXP, 1, 0, IpAddr.parse("2001:db8::2"), IpAddr.parse("2001:db8::1"), 0, 0x8000, 58, 0,
                        64, 1, 0, 0, 0, false, 1003, 1004, 0, -1),                   // ICMPv6 echo request
                new FlowRecord(EXP, 1, 0, IpAddr.parse("2001:db8::1"), IpAddr.parse("2001:db8::2"), 0, 0x8100, 58, 0,
                        64, 1, 0, 0, 0, false, 1005, 1006, 0, -1),                   // and its reply
                uni("10.1.0.5", 40000, "10.2.0.1", 443, 6, 0x10, 2, 80, 1007));
        SessionTable oneByOne = new SessionTable(SessionTimeouts.EOS_DEFAULTS, 1000, r -> { });
        records.forEach(oneByOne::accept);

        table.acceptAll(records.toArray(new FlowRecord[0]), records.size() - 1);
        table.acceptAll(new FlowRecord[] {records.getLast()}, 1);

        assertThat(table.snapshot()).containsExactlyInAnyOrderElementsOf(oneByOne.snapshot());
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.counters().asMap()).isEqualTo(oneByOne.counters().asMap());
    }

    @Test
    void bothSidesShowingSynAckFallBackToWhoStartedFirst() {
        table.accept(uni("10.2.0.1", 5555, "10.1.0.5", 6666, 6, 0x1B, 3, 1120, 1001));
        table.accept(uni("10.1.0.5", 6666, "10.2.0.1", 5555, 6, 0x1B, 5, 300, 1000));
        assertThat(table.snapshot()).singleElement().satisfies(r -> {
            assertThat(r.client()).hasToString("10.1.0.5:6666");
            assertThat(r.evidence()).isEqualTo(DirectionEvidence.TCP_FLAGS);
        });
    }

    @Test
    void biflowDirectionFromTheExporterDecides() {
        // The client here has a *lower* port than the server: ports alone would get it wrong.
        FlowRecord r = bi("10.2.0.1", 40000, "10.1.0.5", 2000, 6, 0x1B, 3, 1120, 0x1B, 5, 300);
        table.accept(new FlowRecord(r.exporter(), r.domain(), r.vrf(), r.src(), r.dst(), r.srcPort(), r.dstPort(),
                r.protocol(), r.tcpFlags(), r.octets(), r.packets(), r.reverseTcpFlags(), r.reverseOctets(),
                r.reversePackets(), true, r.startMillis(), r.endMillis(), r.endReason(), 2));
        assertThat(table.snapshot()).singleElement().satisfies(x -> {
            assertThat(x.client()).hasToString("10.1.0.5:2000");
            assertThat(x.evidence()).isEqualTo(DirectionEvidence.BIFLOW_INITIATOR);
            assertThat(x.clientOctets()).isEqualTo(300);
            assertThat(x.serverOctets()).isEqualTo(1120);
            assertThat(x.vrf()).isEqualTo(3);
        });
    }

    @Test
    void aBiflowsSourceIsNotTakenAsItsInitiator() {
        // softflowd -b puts the lower address first: here the server 10.0.0.53 is the record's source.
        table.accept(bi("10.0.0.53", 443, "10.1.0.5", 40000, 6, 0x1B, 3, 1120, 0x1B, 5, 300));
        assertThat(table.snapshot()).singleElement().satisfies(x -> {
            assertThat(x.client()).hasToString("10.1.0.5:40000");
            assertThat(x.evidence()).isEqualTo(DirectionEvidence.PORTS);
            assertThat(x.clientOctets()).isEqualTo(300);
        });
    }

    @Test
    void withoutSynPortRanksDecideAndNotPortAbove1024() {
        // Mid-stream pickup: client 10.1.0.5:5000 (registered range) to a server on 55000? No: to 3306.
        table.accept(uni("10.2.0.9", 3306, "10.1.0.5", 41000, 6, 0x18, 3, 900, 1000));
        // A service on 8080 talked to from port 1500: 8080 is a known service port, 1500 is not.
        table.accept(uni("10.1.0.7", 1500, "10.2.0.9", 8080, 17, 0, 1, 60, 1000));
        List<SessionRow> rows = table.snapshot();
        assertThat(rows).extracting(r -> r.server().toString()).containsExactlyInAnyOrder("10.2.0.9:3306", "10.2.0.9:8080");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.evidence()).isEqualTo(DirectionEvidence.PORTS);
            assertThat(r.state()).isEqualTo(SessionState.HALF_OPEN);
        });
    }

    @Test
    void fanInDecidesBetweenTwoEphemeralPorts() {
        // Three clients reach 10.9.9.9:45000; each client's own port is also ephemeral.
        for (int i = 1; i <= 3; i++) {
            table.accept(uni("10.9.9.9", 45000, "10.1.0." + i, 50000 + i, 17, 0, 1, 60, 1000));
        }
        assertThat(table.snapshot()).allSatisfy(r -> {
            assertThat(r.server()).hasToString("10.9.9.9:45000");
            assertThat(r.evidence()).isEqualTo(DirectionEvidence.FAN_IN);
        });
    }

    @Test
    void icmpEchoRequestAndReplyAreOneSessionWithTheRequesterAsClient() {
        table.accept(uni("10.2.0.1", 0, "10.1.0.5", 0, 1, 0, 1, 84, 1001));      // echo reply type 0
        table.accept(uni("10.1.0.5", 0, "10.2.0.1", 8 << 8, 1, 0, 1, 84, 1000)); // echo request type 8
        assertThat(table.snapshot()).singleElement().satisfies(r -> {
            assertThat(r.clientAddr()).hasToString("10.1.0.5");
            assertThat(r.evidence()).isEqualTo(DirectionEvidence.ICMP_TYPE);
            assertThat(r.state()).isEqualTo(SessionState.COMPLETE);
        });
    }

    @Test
    void idleAndHalfOpenTimeoutsEndSessionsWithTheirReason() {
        SessionTable t = new SessionTable(new SessionTimeouts(10_000, 2_000, 1_800_000, 1_000), 100, exported::add);
        t.setNow(0);
        t.accept(uni("10.1.0.5", 40000, "10.2.0.1", 53, 17, 0, 1, 60, 1));                 // half-open
        t.accept(bi("10.1.0.6", 40000, "10.2.0.1", 53, 17, 0, 1, 60, 0, 1, 120));         // complete
        t.expire(2_500);
        assertThat(exported).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(EndReason.IDLE_TIMEOUT);
            assertThat(r.state()).isEqualTo(SessionState.HALF_OPEN);
        });
        t.expire(10_000);
        assertThat(exported).hasSize(2);
        assertThat(t.size()).isZero();
        assertThat(t.counters().endedIdle()).isEqualTo(2);
    }

    @Test
    void closedTcpSessionsEndAfterTheLingerWithEndOfFlow() {
        SessionTable t = new SessionTable(new SessionTimeouts(60_000, 60_000, 1_800_000, 1_000), 100, exported::add);
        t.setNow(0);
        t.accept(bi("10.1.0.5", 40000, "10.2.0.1", 443, 6, 0x1B, 5, 300, 0x1B, 3, 1120));
        t.expire(500);
        assertThat(exported).isEmpty();
        t.expire(1_000);
        assertThat(exported).singleElement().extracting(SessionRow::reason).isEqualTo(EndReason.END_OF_FLOW);
    }

    @Test
    void activeTimeoutExportsDeltasThatSumToTheTotals() {
        SessionTable t = new SessionTable(new SessionTimeouts(60_000, 60_000, 10_000, 1_000), 100, exported::add);
        t.setNow(0);
        t.accept(bi("10.1.0.5", 40000, "10.2.0.1", 443, 6, 0x18, 5, 500, 0x18, 4, 4000));
        t.setNow(9_000);
        t.accept(bi("10.1.0.5", 40000, "10.2.0.1", 443, 6, 0x18, 1, 100, 0x18, 1, 1000));
        t.expire(10_000);
        t.setNow(15_000);
        t.accept(bi("10.1.0.5", 40000, "10.2.0.1", 443, 6, 0x18, 2, 200, 0x18, 0, 0));
        t.flushAll();
        assertThat(exported).extracting(SessionRow::reason)
                .containsExactly(EndReason.ACTIVE_TIMEOUT, EndReason.FORCED_END);
        assertThat(exported.get(0).clientOctets()).isEqualTo(600);
        assertThat(exported.get(1).clientOctets()).isEqualTo(200);
        assertThat(exported.get(1).serverOctets()).isZero();
        assertThat(exported.stream().mapToLong(SessionRow::totalOctets).sum()).isEqualTo(5800);
    }

    @Test
    void aFullTableEvictsTheLeastRecentlyUpdatedSession() {
        SessionTable t = new SessionTable(SessionTimeouts.EOS_DEFAULTS, 2, exported::add);
        t.setNow(1);
        t.accept(uni("10.1.0.1", 40000, "10.2.0.1", 53, 17, 0, 1, 60, 1));
        t.setNow(2);
        t.accept(uni("10.1.0.2", 40000, "10.2.0.1", 53, 17, 0, 1, 60, 1));
        t.setNow(3);
        t.accept(uni("10.1.0.1", 40000, "10.2.0.1", 53, 17, 0, 1, 60, 2)); // touches the first again
        t.setNow(4);
        t.accept(uni("10.1.0.3", 40000, "10.2.0.1", 53, 17, 0, 1, 60, 1));
        assertThat(exported).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(EndReason.LACK_OF_RESOURCES);
            assertThat(r.clientAddr()).hasToString("10.1.0.2");
        });
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.counters().evictedFull()).isEqualTo(1);
    }

    @Test
    void ephemeralClientPortsFoldIntoOneLinePerService() {
        for (int i = 0; i < 50; i++) {
            table.accept(bi("10.1.0.5", 33000 + i, "10.2.0.1", 443, 6, 0x1B, 5, 300, 0x1B, 3, 1120));
        }
        table.accept(bi("10.1.0.5", 123, "10.2.0.1", 123, 17, 0, 1, 76, 0, 1, 76)); // NTP: both well known
        List<SessionSummary> lines = EphemeralRollup.summarise(table.snapshot());
        assertThat(lines).hasSize(2);
        SessionSummary https = lines.stream().filter(l -> l.serverPort() == 443).findFirst().orElseThrow();
        assertThat(https.clientPortLabel()).isEqualTo("eph");
        assertThat(https.sessions()).isEqualTo(50);
        assertThat(https.clientOctets()).isEqualTo(50 * 300);
        assertThat(https.serverOctets()).isEqualTo(50 * 1120);
        SessionSummary ntp = lines.stream().filter(l -> l.serverPort() == 123).findFirst().orElseThrow();
        assertThat(ntp.clientPortLabel()).isEqualTo("123");
    }

    @Test
    void manySessionsSurviveGrowthAndRemovalInAnyOrder() {
        SessionTable t = new SessionTable(new SessionTimeouts(1_000, 1_000, 1_800_000, 1_000), 100_000, exported::add);
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 20_000; i++) {
            t.setNow(rnd.nextInt(2_000));
            t.accept(uni("10.1." + (i >> 8 & 255) + "." + (i & 255), 40000, "10.2.0.1", 53, 17, 0, 1, 60, 1));
        }
        assertThat(t.size()).isEqualTo(20_000);
        t.expire(2_500); // about half were last updated before 1_500
        long kept = t.snapshot().size();
        assertThat(kept + exported.size()).isEqualTo(20_000);
        assertThat(exported).allSatisfy(r -> assertThat(r.reason()).isEqualTo(EndReason.IDLE_TIMEOUT));
        // every survivor is still found by its key: a second record joins it rather than creating a new one
        for (SessionRow r : t.snapshot()) {
            t.accept(uni(r.clientAddr().toString(), 40000, "10.2.0.1", 53, 17, 0, 1, 60, 1));
        }
        assertThat(t.size()).isEqualTo(kept);
        assertThat(t.counters().created()).isEqualTo(20_000);
    }

    @Test
    void aSnapshotInStepsLeavesOutSessionsThatEndedMeanwhileAndMatchesTheWholeSnapshot() {
        SessionTable t = new SessionTable(new SessionTimeouts(1_000, 1_000, 1_800_000, 1_000), 100, exported::add);
        t.setNow(0);
        for (int i = 0; i < 10; i++) {
            t.accept(uni("10.1.0." + (i + 1), 40000, "10.2.0.1", 53, 17, 0, 1, 60, 1));
        }
        List<SessionRow> whole = t.snapshot(true);
        SessionTable.Snapshot steps = t.snapshotInSteps(true);
        assertThat(steps.next(4)).isTrue();
        // between steps: the first five sessions go quiet and end, the rest are refreshed
        t.setNow(500);
        for (int i = 5; i < 10; i++) {
            t.accept(uni("10.1.0." + (i + 1), 40000, "10.2.0.1", 53, 17, 0, 0, 0, 1));
        }
        t.expire(1_200);
        assertThat(exported).hasSize(5);
        while (steps.next(4)) {
            // the collector takes its lock around each step
        }
        // the four rows taken before the expiry stay as taken; after them come only sessions still live
        List<SessionRow> firstStep = whole.subList(0, 4);
        List<IpAddr> liveAfter = t.snapshot().stream().map(SessionRow::clientAddr)
                .filter(a -> firstStep.stream().noneMatch(r -> r.clientAddr().equals(a))).toList();
        assertThat(steps.rows().subList(0, 4)).isEqualTo(firstStep);
        assertThat(steps.rows().subList(4, steps.rows().size())).extracting(SessionRow::clientAddr)
                .containsExactlyInAnyOrderElementsOf(liveAfter);
        assertThat(steps.rows()).extracting(SessionRow::clientAddr).doesNotHaveDuplicates();
    }

    @Test
    void portRanksAreNotAThresholdAt1024() {
        assertThat(PortEvidence.rank(443)).isGreaterThan(PortEvidence.rank(5432));
        assertThat(PortEvidence.rank(5432)).isGreaterThan(PortEvidence.rank(20000));
        assertThat(PortEvidence.rank(20000)).isGreaterThan(PortEvidence.rank(40000));
        assertThat(PortEvidence.ephemeralAgainst(20000, 5432)).isTrue();
        assertThat(PortEvidence.ephemeralAgainst(5432, 5432)).isFalse();
    }
}
