// Single-file probe (not part of the build): java -cp septum-flows/target/classes:septum-model/target/classes bench/flows/SnapshotStall.java
import dev.septum.flows.FlowRecord;
import dev.septum.flows.IpAddr;
import dev.septum.flows.session.*;
import java.net.InetSocketAddress;

/** How long a reader holds the table (= the receive loop's stall): whole snapshot vs one step of 1,024. */
public class SnapshotStall {
    public static void main(String[] a) {
        SessionTable t = new SessionTable(SessionTimeouts.EOS_DEFAULTS, 1_000_000, r -> { });
        InetSocketAddress exp = new InetSocketAddress("127.0.0.1", 1);
        t.setNow(0);
        for (int i = 0; i < 100_000; i++) {
            long c = 0x0A000000L | ((i * 2654435761L) & 0xFFFFFF);
            t.accept(new FlowRecord(exp, 1, 1 + i % 4, IpAddr.v4(c), IpAddr.v4(0x0AC80000L | (1 + i % 50)), 32768 + i % 20000, 443,
                    6, 0x1B, 600, 5, 0x1B, 3600, 4, true, 1000, 2000, 1, -1));
        }
        for (int round = 0; round < 8; round++) {
            long t0 = System.nanoTime();
            int n = t.snapshot(true).size();
            long whole = System.nanoTime() - t0;
            long maxStep = 0, refs;
            t0 = System.nanoTime();
            SessionTable.Snapshot s = t.snapshotInSteps(true);
            refs = System.nanoTime() - t0;
            boolean more = true;
            while (more) {
                long s0 = System.nanoTime();
                more = s.next(1024);
                maxStep = Math.max(maxStep, System.nanoTime() - s0);
            }
            System.out.printf("sessions=%d whole_snapshot_ms=%.1f copy_refs_ms=%.2f max_step_ms=%.2f rows=%d%n",
                    n, whole / 1e6, refs / 1e6, maxStep / 1e6, s.rows().size());
        }
    }
}
