// Single-file probe (not part of the build), run from the repo root:
//   java -cp septum-flows/target/classes:septum-model/target/classes bench/flows/DecodeCpu.java [PASSES]
// CPU per record of decode + session table (mode A without the socket), from this thread's CPU time, so a
// shared box's other load disturbs it far less than a whole-process, rate-driven bench. It captures one
// pass of ipfixgen.py (5,000 messages x 20 records = 100,000 records over 100,000 flow keys) from loopback,
// then decodes it PASSES times into one table at 1 s of collector clock per pass (expire() runs each pass).
import dev.septum.flows.decode.MessageDecoder;
import dev.septum.flows.session.SessionTable;
import dev.septum.flows.session.SessionTimeouts;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;

public class DecodeCpu {
    public static void main(String[] a) throws Exception {
        int passes = a.length > 0 ? Integer.parseInt(a[0]) : 60;
        int msgs = 5000;
        List<ByteBuffer> captured = new ArrayList<>();
        InetSocketAddress from;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 16 << 20);
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            Process gen = new ProcessBuilder("python3", "bench/flows/ipfixgen.py", "--port", "" + port, "--msgs", "" + msgs,
                    "--rate", "20000", "--recs", "20").inheritIO().start();
            ByteBuffer b = ByteBuffer.allocate(65536);
            from = null;
            while (captured.size() < msgs) {
                b.clear();
                from = (InetSocketAddress) ch.receive(b);
                b.flip();
                ByteBuffer copy = ByteBuffer.allocateDirect(b.remaining()).put(b).flip(); // direct, as the receive paths hand over
                captured.add(copy);
            }
            gen.waitFor();
        }
        MessageDecoder decoder = new MessageDecoder();
        SessionTable table = new SessionTable(SessionTimeouts.EOS_DEFAULTS, 1_000_000, r -> { });
        var bean = ManagementFactory.getThreadMXBean();
        long now = 1_700_000_000_000L;
        for (int round = 0; round < 3; round++) {
            long c0 = bean.getCurrentThreadCpuTime();
            long recs0 = table.counters().recordsApplied();
            for (int p = 0; p < passes; p++) {
                now += 1000;
                table.setNow(now);
                for (ByteBuffer m : captured) {
                    decoder.decode(m.duplicate(), from, now, table);
                }
                table.expire(now);
            }
            long cpu = bean.getCurrentThreadCpuTime() - c0;
            long recs = table.counters().recordsApplied() - recs0;
            System.out.printf("round=%d records=%d sessions=%d cpu_ns_per_rec=%.1f%n", round, recs, table.size(), (double) cpu / recs);
        }
    }
}
