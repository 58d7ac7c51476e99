package dev.septum.verify.analysis;

import com.github.javabdd.BDD;
import dev.septum.compile.plan.Semantics;
import dev.septum.model.IcmpTypes;
import dev.septum.model.Protocol;
import dev.septum.verify.Flow;
import dev.septum.verify.HeaderSpace;
import java.util.List;
import java.util.Optional;

/**
 * The packet headers an observed session may have had, in one direction: one packet when the
 * session fixes every field a rule can match, else (an ICMP session keeps no type or code, a
 * folded client port no number) the set of every packet it could be.
 */
final class SessionPackets {
    private SessionPackets() {
    }

    /** Which packets of a session: the client's, or on a stateless device also the server's replies. */
    enum Direction {
        REQUEST("client to server"), REPLY("server to client");

        private final String keyword;

        Direction(String keyword) {
            this.keyword = keyword;
        }

        String keyword() {
            return keyword;
        }

        /** A stateful device decides the client's packets; replies pass by connection tracking. */
        static List<Direction> decidedOn(Semantics semantics) {
            return semantics == Semantics.STATELESS ? List.of(values()) : List.of(REQUEST);
        }
    }

    /** The one packet header of that direction when the session fixes every field a rule may match. */
    static Optional<Flow> concrete(ObservedSession s, Direction d) {
        Protocol p = new Protocol(s.protocol());
        if (IcmpTypes.hasTypes(p) || p.hasPorts() && s.clientPort() == 0) {
            return Optional.empty();
        }
        int clientPort = p.hasPorts() ? s.clientPort() : 0;
        int serverPort = p.hasPorts() ? s.serverPort() : 0;
        return Optional.of(d == Direction.REQUEST ? new Flow(s.client(), s.server(), s.protocol(), clientPort, serverPort, 0, 0)
                : new Flow(s.server(), s.client(), s.protocol(), serverPort, clientPort, 0, 0));
    }

    /** Every packet header of that direction the session may have sent; the caller frees it. */
    static BDD packets(HeaderSpace space, ObservedSession s, Direction d) {
        boolean request = d == Direction.REQUEST;
        BDD packets = space.sourcePrefix(request ? s.client() : s.server())
                .andWith(space.destinationPrefix(request ? s.server() : s.client()))
                .andWith(space.protocol(s.protocol()));
        if (new Protocol(s.protocol()).hasPorts()) {
            BDD server = request ? space.destinationPorts(s.serverPort(), s.serverPort()) : space.sourcePorts(s.serverPort(), s.serverPort());
            packets.andWith(server);
            if (s.clientPort() != 0) {
                packets.andWith(request ? space.sourcePorts(s.clientPort(), s.clientPort()) : space.destinationPorts(s.clientPort(), s.clientPort()));
            }
        }
        return packets;
    }

    /** Whether some packet the session may have sent in that direction lies in the set. */
    static boolean touches(HeaderSpace space, BDD set, ObservedSession s, Direction d) {
        Optional<Flow> concrete = concrete(s, d);
        if (concrete.isPresent()) {
            return space.contains(set, concrete.get());
        }
        BDD packets = packets(space, s, d);
        BDD both = packets.and(set);
        boolean touches = !both.isZero();
        both.free();
        packets.free();
        return touches;
    }
}
