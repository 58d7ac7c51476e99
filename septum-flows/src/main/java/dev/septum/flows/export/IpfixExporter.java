package dev.septum.flows.export;

import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.SessionListener;
import dev.septum.flows.session.SessionRow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exports session rows as RFC 5103 biflow IPFIX records, as the ZTX exports its session table to
 * CloudVision: source = client, destination = server, reverse counters under PEN 29305, and
 * biflowDirection 1 (initiator) when the direction was decided from evidence, 0 (arbitrary) otherwise.
 * Templates go out in the first message and then every {@link #TEMPLATE_EVERY} messages or minute;
 * the sequence number counts data records sent before the message (RFC 7011 §3.1).
 */
public final class IpfixExporter implements SessionListener, AutoCloseable {
    static final int V4_TEMPLATE = 256;
    static final int V6_TEMPLATE = 257;
    static final int TEMPLATE_EVERY = 20;
    static final long TEMPLATE_INTERVAL_MS = 60_000;
    /** Fits an Ethernet MTU with IPv4/IPv6 and UDP headers. */
    static final int MAX_MESSAGE = 1400;
    private static final long REVERSE_PEN = 29305;

    /** IE id, length, enterprise (0 = IANA). The address pair is added per family. */
    private static final int[][] COMMON = {
        {7, 2, 0}, {11, 2, 0}, {4, 1, 0}, {6, 2, 0}, {6, 2, 1}, {1, 8, 0}, {2, 8, 0}, {1, 8, 1}, {2, 8, 1},
        {152, 8, 0}, {153, 8, 0}, {136, 1, 0}, {234, 4, 0}, {239, 1, 0}};

    private final DatagramChannel channel;
    private final long domainId;
    private final ByteBuffer msg = ByteBuffer.allocate(MAX_MESSAGE);
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final Thread timer;
    private long sequence;
    private int currentSetId = -1;
    private int currentSetStart = -1;
    private int recordsInMessage;
    private long messagesSinceTemplate = Long.MAX_VALUE;
    private long templateSentAt;
    private long messageStartedAt;
    private volatile boolean running = true;

    private IpfixExporter(DatagramChannel channel, long domainId) {
        this.channel = channel;
        this.domainId = domainId;
        this.timer = Thread.ofPlatform().name("septum-ipfix-export").daemon(true).start(() -> {
            while (running) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                flushIfOlderThan(1000);
            }
        });
    }

    public static IpfixExporter open(InetSocketAddress collector, long observationDomainId) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.connect(collector);
        return new IpfixExporter(ch, observationDomainId);
    }

    @Override
    public synchronized void exported(SessionRow row) {
        boolean v6 = row.clientAddr().v6();
        int setId = v6 ? V6_TEMPLATE : V4_TEMPLATE;
        int size = recordSize(v6);
        if (msg.position() == 0) {
            begin();
        }
        int needed = size + (currentSetId == setId ? 0 : 4);
        if (msg.position() + needed > MAX_MESSAGE) {
            send();
            begin();
        }
        if (currentSetId != setId) {
            closeSet();
            currentSetId = setId;
            currentSetStart = msg.position();
            msg.putShort((short) setId).putShort((short) 0);
        }
        writeRecord(row, v6);
        recordsInMessage++;
    }

    private static int recordSize(boolean v6) {
        int n = v6 ? 32 : 8;
        for (int[] f : COMMON) {
            n += f[1];
        }
        return n;
    }

    private void begin() {
        msg.clear();
        msg.position(16);
        messageStartedAt = System.currentTimeMillis();
        currentSetId = -1;
        recordsInMessage = 0;
        if (messagesSinceTemplate >= TEMPLATE_EVERY || messageStartedAt - templateSentAt >= TEMPLATE_INTERVAL_MS) {
            writeTemplates();
            messagesSinceTemplate = 0;
            templateSentAt = messageStartedAt;
        }
    }

    private void writeTemplates() {
        int start = msg.position();
        msg.putShort((short) 2).putShort((short) 0);
        for (boolean v6 : new boolean[] {false, true}) {
            msg.putShort((short) (v6 ? V6_TEMPLATE : V4_TEMPLATE)).putShort((short) (COMMON.length + 2));
            msg.putShort((short) (v6 ? 27 : 8)).putShort((short) (v6 ? 16 : 4));
            msg.putShort((short) (v6 ? 28 : 12)).putShort((short) (v6 ? 16 : 4));
            for (int[] f : COMMON) {
                if (f[2] == 1) {
                    msg.putShort((short) (0x8000 | f[0])).putShort((short) f[1]).putInt((int) REVERSE_PEN);
                } else {
                    msg.putShort((short) f[0]).putShort((short) f[1]);
                }
            }
        }
        msg.putShort(start + 2, (short) (msg.position() - start));
    }

    private void writeRecord(SessionRow r, boolean v6) {
        if (v6) {
            msg.put(r.clientAddr().bytes()).put(r.serverAddr().bytes());
        } else {
            msg.putInt((int) r.clientAddr().lo()).putInt((int) r.serverAddr().lo());
        }
        msg.putShort((short) r.client().port()).putShort((short) r.server().port()).put((byte) r.protocol());
        msg.putShort((short) r.clientTcpFlags()).putShort((short) r.serverTcpFlags());
        msg.putLong(r.clientOctets()).putLong(r.clientPackets()).putLong(r.serverOctets()).putLong(r.serverPackets());
        msg.putLong(r.firstMillis()).putLong(r.lastMillis());
        msg.put((byte) r.reason().ipfixCode()).putInt(r.vrf());
        msg.put((byte) (r.evidence() == DirectionEvidence.NONE ? 0 : 1));
    }

    private void closeSet() {
        if (currentSetId >= 0) {
            msg.putShort(currentSetStart + 2, (short) (msg.position() - currentSetStart));
        }
    }

    private void send() {
        closeSet();
        int length = msg.position();
        msg.putShort(0, (short) 10).putShort(2, (short) length)
                .putInt(4, (int) (System.currentTimeMillis() / 1000)).putInt(8, (int) sequence).putInt(12, (int) domainId);
        msg.flip();
        try {
            channel.write(msg);
            messages.incrementAndGet();
        } catch (IOException e) {
            sendErrors.incrementAndGet(); // the peer may be down (ICMP unreachable); UDP export is best effort
        }
        sequence = (sequence + recordsInMessage) & 0xFFFF_FFFFL;
        records.addAndGet(recordsInMessage);
        messagesSinceTemplate++;
        msg.clear();
        currentSetId = -1;
        recordsInMessage = 0;
    }

    private synchronized void flushIfOlderThan(long ms) {
        if (msg.position() > 0 && recordsInMessage > 0 && System.currentTimeMillis() - messageStartedAt >= ms) {
            send();
        }
    }

    /** Sends whatever is buffered now. */
    public synchronized void flush() {
        if (msg.position() > 0 && recordsInMessage > 0) {
            send();
        }
    }

    public long recordsSent() {
        return records.get();
    }

    public long messagesSent() {
        return messages.get();
    }

    public long sendErrors() {
        return sendErrors.get();
    }

    @Override
    public void close() throws IOException {
        running = false;
        timer.interrupt();
        flush();
        channel.close();
    }
}
