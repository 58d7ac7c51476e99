// Single-file probe (not part of the build): java -cp JAR bench/flows/SnapshotCpu.java [ROUNDS]
// JAR is one build's septum.jar (or septum-flows/target/classes:septum-model/target/classes), so two
// builds compare in the same minutes.
import dev.septum.flows.FlowRecord;
import dev.septum.flows.IpAddr;
import dev.septum.flows.session.*;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;

/**
 * The thread CPU of the snapshot a store flush takes (changed sessions only, since the last export)
 * when every one of 100,000 live sessions changed since the previous flush, as under the ladder's load.
 * The table is updated between snapshots (not timed), so each round reads 100,000 changed rows.
 */
public class SnapshotCpu {
    public static void main(String[] a) {
        int rounds = a.length > 0 ? Integer.parseInt(a[0]) : 30;
        SessionTable t = new SessionTable(SessionTimeouts.EOS_DEFAULTS, 1_000_000, r -> { });
        InetSocketAddress exp = new InetSocketAddress("127.0.0.1", 1);
        FlowRecord[] records = new FlowRecord[100_000];
        for (int i = 0; i < records.length; i++) {
            long c = 0x0A000000L | ((i * 2654435761L) & 0xFFFFFF);
            records[i] = new FlowRecord(exp, 1, 1 + i % 4, IpAddr.v4(c), IpAddr.v4(0x0AC80000L | (1 + i % 50)), 32768 + i % 20000, 443,
                    6, 0x1B, 600, 5, 0x1B, 3600, 4, true, 1000, 2000, 1, -1);
        }
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long cpu = 0;
        long allocated = 0;
        long rows = 0;
        int warm = 10;
        for (int round = 0; round < warm + rounds; round++) {
            t.setNow(round);
            for (FlowRecord r : records) {
                t.accept(r);
            }
            long c0 = bean.getCurrentThreadCpuTime();
            long a0 = bean.getCurrentThreadAllocatedBytes();
            SessionTable.Snapshot s = t.snapshotInSteps(true, SessionTable.SnapshotScope.STORE_CHANGED);
            while (s.next(1024)) {
            }
            long c1 = bean.getCurrentThreadCpuTime();
            long a1 = bean.getCurrentThreadAllocatedBytes();
            if (round >= warm) {
                allocated += a1 - a0;
                cpu += c1 - c0;
                rows += s.rows().size();
            }
        }
        System.out.printf("snapshot of %d changed rows: %.1f ms thread CPU, %.1f MB heap allocated each (mean of %d)%n", rows / rounds,
                cpu / 1e6 / rounds, allocated / 1e6 / rounds, rounds);
    }
}
