package dev.septum.flows.session;

import dev.septum.flows.FlowRecord;

/**
 * Decides which side of a session is the client, strongest evidence first (flow-monitoring.md §4.1):
 * TCP flags, the exporter's own initiator marking, ICMP echo type, port ranks, fan-in, first seen.
 */
final class DirectionDecider {
    record Decision(boolean clientIsA, DirectionEvidence evidence) {
    }

    interface FanIn {
        int sessionsOn(int vrf, int protocol, Endpoint e);
    }

    private DirectionDecider() {
    }

    static Decision decide(Session s, FanIn fanIn) {
        SessionKey k = s.key;
        if (k.protocol() == FlowRecord.TCP) {
            boolean synA = (s.flagsA & Session.SYN) != 0;
            boolean synB = (s.flagsB & Session.SYN) != 0;
            if (synA != synB) {
                return new Decision(synA, DirectionEvidence.TCP_FLAGS);
            }
            if (synA) {
                // Flags are ORed over a flow, so both sides show SYN|ACK; a side that never ACKed only
                // retransmitted its SYN, which makes it the opener.
                boolean ackA = (s.flagsA & Session.ACK) != 0;
                boolean ackB = (s.flagsB & Session.ACK) != 0;
                if (ackA != ackB) {
                    return new Decision(!ackA, DirectionEvidence.TCP_FLAGS);
                }
                if (s.initiatorHint != 0) {
                    return new Decision(s.initiatorHint == 1, DirectionEvidence.BIFLOW_INITIATOR);
                }
                if (s.startA != s.startB && s.startA != Long.MAX_VALUE && s.startB != Long.MAX_VALUE) {
                    return new Decision(s.startA < s.startB, DirectionEvidence.TCP_FLAGS);
                }
            }
        }
        if (s.initiatorHint != 0) {
            return new Decision(s.initiatorHint == 1, DirectionEvidence.BIFLOW_INITIATOR);
        }
        if (s.echoRequestFrom != 0) {
            return new Decision(s.echoRequestFrom == 1, DirectionEvidence.ICMP_TYPE);
        }
        int rankA = PortEvidence.rank(k.aPort());
        int rankB = PortEvidence.rank(k.bPort());
        if (rankA != rankB) {
            return new Decision(rankA < rankB, DirectionEvidence.PORTS);
        }
        int fanA = fanIn.sessionsOn(k.vrf(), k.protocol(), k.a());
        int fanB = fanIn.sessionsOn(k.vrf(), k.protocol(), k.b());
        if (Math.max(fanA, fanB) >= 2 && fanA != fanB) {
            return new Decision(fanA < fanB, DirectionEvidence.FAN_IN);
        }
        if (s.startA != s.startB) {
            return new Decision(s.startA < s.startB, DirectionEvidence.FIRST_SEEN);
        }
        return new Decision(true, DirectionEvidence.NONE);
    }
}
