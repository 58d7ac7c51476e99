package dev.septum.flows.session;

import dev.septum.flows.FlowRecord;

/**
 * Decides which side of a session is the client, strongest evidence first (flow-monitoring.md §4.1):
 * TCP flags, the exporter's own initiator marking, ICMP echo type, port ranks, fan-in, first seen.
 */
final class DirectionDecider {
    record Decision(boolean clientIsA, DirectionEvidence evidence) {
        private static final Decision[] ALL = new Decision[DirectionEvidence.values().length * 2];

        static {
            for (DirectionEvidence e : DirectionEvidence.values()) {
                ALL[e.ordinal() * 2] = new Decision(false, e);
                ALL[e.ordinal() * 2 + 1] = new Decision(true, e);
            }
        }

        /**
         * One of the few possible decisions, made once: the store's snapshot decides every live session
         * each flush, and a new one each time was 100,000 objects of garbage a flush (JIT escape analysis
         * did not remove them; bench/RESULTS.md, fl7).
         */
        static Decision of(boolean clientIsA, DirectionEvidence evidence) {
            return ALL[evidence.ordinal() * 2 + (clientIsA ? 1 : 0)];
        }
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
                return Decision.of(synA, DirectionEvidence.TCP_FLAGS);
            }
            if (synA) {
                // Flags are ORed over a flow, so both sides show SYN|ACK; a side that never ACKed only
                // retransmitted its SYN, which makes it the opener.
                boolean ackA = (s.flagsA & Session.ACK) != 0;
                boolean ackB = (s.flagsB & Session.ACK) != 0;
                if (ackA != ackB) {
                    return Decision.of(!ackA, DirectionEvidence.TCP_FLAGS);
                }
                if (s.initiatorHint != 0) {
                    return Decision.of(s.initiatorHint == 1, DirectionEvidence.BIFLOW_INITIATOR);
                }
                if (s.startA != s.startB && s.startA != Long.MAX_VALUE && s.startB != Long.MAX_VALUE) {
                    return Decision.of(s.startA < s.startB, DirectionEvidence.TCP_FLAGS);
                }
            }
        }
        if (s.initiatorHint != 0) {
            return Decision.of(s.initiatorHint == 1, DirectionEvidence.BIFLOW_INITIATOR);
        }
        if (s.echoRequestFrom != 0) {
            return Decision.of(s.echoRequestFrom == 1, DirectionEvidence.ICMP_TYPE);
        }
        int rankA = PortEvidence.rank(k.aPort());
        int rankB = PortEvidence.rank(k.bPort());
        if (rankA != rankB) {
            return Decision.of(rankA < rankB, DirectionEvidence.PORTS);
        }
        int fanA = fanIn.sessionsOn(k.vrf(), k.protocol(), k.a());
        int fanB = fanIn.sessionsOn(k.vrf(), k.protocol(), k.b());
        if (Math.max(fanA, fanB) >= 2 && fanA != fanB) {
            return Decision.of(fanA < fanB, DirectionEvidence.FAN_IN);
        }
        if (s.startA != s.startB) {
            return Decision.of(s.startA < s.startB, DirectionEvidence.FIRST_SEEN);
        }
        return Decision.of(true, DirectionEvidence.NONE);
    }
}
