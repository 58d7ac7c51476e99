import dev.septum.flows.FlowRecord;
import dev.septum.flows.IpAddr;
import dev.septum.flows.session.*;
import java.lang.management.*;
import java.net.InetSocketAddress;

/**
 * The pause of the first young collection after a 100,000-session table was built and read by SNAPSHOTS
 * store snapshots (the collector's first flushes): that collection copies the whole table out of the
 * young generation, a pause the receive loop waits through. Compare builds, or 0 against 2 snapshots,
 * in the same minutes: the figures move with the machine's load.
 * usage: java -Xlog:gc -cp JAR bench/flows/FirstYoungPause.java SNAPSHOTS
 */
public class FirstYoungPause {
    static Object sink;
    public static void main(String[] a) {
        int snapshots = a.length > 0 ? Integer.parseInt(a[0]) : 2;
        SessionTable t = new SessionTable(SessionTimeouts.EOS_DEFAULTS, 1_000_000, r -> { });
        InetSocketAddress exp = new InetSocketAddress("127.0.0.1", 1);
        System.gc(); // start with nothing young but what follows
        for (int i = 0; i < 100_000; i++) {
            long c = 0x0A000000L | ((i * 2654435761L) & 0xFFFFFF);
            t.accept(new FlowRecord(exp, 1, 1 + i % 4, IpAddr.v4(c), IpAddr.v4(0x0AC80000L | (1 + i % 50)), 32768 + i % 20000, 443,
                    6, 0x1B, 600, 5, 0x1B, 3600, 4, true, 1000, 2000, 1, -1));
        }
        for (int k = 0; k < snapshots; k++) {
            SessionTable.Snapshot s = t.snapshotInSteps(true, SessionTable.SnapshotScope.STORE_WHOLE);
            while (s.next(1024)) {
                // steps as the collector takes them
            }
        }
        GarbageCollectorMXBean young = ManagementFactory.getGarbageCollectorMXBeans().get(0);
        long n0 = young.getCollectionCount(), t0 = young.getCollectionTime();
        while (young.getCollectionCount() == n0) {
            sink = new byte[1024];
        }
        System.out.printf("%s: first young pause after a table of %d sessions and %d snapshots: %d ms%n", young.getName(), t.size(),
                snapshots, young.getCollectionTime() - t0);
    }
}
