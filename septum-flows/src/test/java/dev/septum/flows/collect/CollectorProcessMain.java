package dev.septum.flows.collect;

import dev.septum.flows.decode.MessageDecoder;
import dev.septum.flows.session.SessionTimeouts;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.LiveSessions;
import dev.septum.flows.store.StoreWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A collector in its own process for {@link CollectorCrashTest}: receives on loopback, flushes the
 * store every 100 ms, prints {@code PORT n}, then {@code FLUSHED} once a flush that began after
 * the expected number of records arrived has committed, and runs until it is killed.
 * Arguments: the data directory and the number of records to wait for.
 */
public final class CollectorProcessMain {
    private CollectorProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        FlowStore store = new FlowStore(Path.of(args[0]));
        store.initialise();
        long expected = Long.parseLong(args[1]);
        FlowCollector<?>[] ref = new FlowCollector<?>[1];
        StoreWriter writer = new StoreWriter(store, (changedOnly, cut) -> ref[0] == null ? LiveSessions.NONE.read(changedOnly, cut)
                : ref[0].storeSnapshot(changedOnly, cut), 100, 0, 100_000);
        SessionTimeouts slow = new SessionTimeouts(600_000, 600_000, 3_600_000, 600_000);
        FlowCollector<MessageDecoder> collector = FlowCollector.start(new FlowCollector.Config(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                1 << 22, slow, 100_000, MessageDecoder.Limits.DEFAULT, FlowCollector.Config.MAX_DATAGRAM, DatagramSource.Kind.AUTO), writer);
        ref[0] = collector;
        System.out.println("PORT " + collector.localAddress().getPort());
        System.out.flush();
        while (collector.decoder().counters().dataRecords() < expected) {
            Thread.sleep(20);
        }
        long after = writer.flushes() + 2; // the next flush may have begun before the last record; the one after did not
        while (writer.flushes() < after) {
            Thread.sleep(20);
        }
        System.out.println("FLUSHED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
