package dev.septum.flows.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.septum.flows.FlowRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutation of real datagrams (softflowd IPFIX and v9, ipfixgen.py with IPv6) plus
 * handcrafted ones. The decoder must not throw, must not need its exception backstop, must finish
 * quickly, and must keep every cache within its caps. Override the seed with -Dseptum.fuzz.seed=N and
 * the count with -Dseptum.fuzz.iterations=N; a failure message names the seed.
 */
class DecoderFuzzTest {
    static final String[] CORPUS = {"softflowd-v10-000.bin", "softflowd-v10-001.bin", "softflowd-v9-000.bin",
        "softflowd-v9-001.bin", "softflowd-v9-002.bin", "ipfixgen-000.bin", "ipfixgen-001.bin",
        "ipfixgen-002.bin", "ipfixgen-003.bin"};

    static List<byte[]> corpus() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String name : CORPUS) {
            try (InputStream in = DecoderFuzzTest.class.getResourceAsStream("/corpus/" + name)) {
                out.add(in.readAllBytes());
            }
        }
        out.add(Wire.ipfix(0, 1, IpfixDecoderTest.biflowTemplate(256), IpfixDecoderTest.optionsTemplate(300),
                Wire.set(256, IpfixDecoderTest.biflowRecord(1, 1, 1, 1, 1, 1))));
        out.add(Wire.v9(1, 2, 3, 4, 2, NetflowV9DecoderTest.template(), Wire.set(260, NetflowV9DecoderTest.record())));
        return out;
    }

    @Test
    void mutatedRealPacketsNeverCrashHangOrGrowStateBeyondItsCaps() throws IOException {
        long seed = Long.getLong("septum.fuzz.seed", 20261125L);
        int iterations = Integer.getInteger("septum.fuzz.iterations", 200_000);
        List<byte[]> corpus = corpus();
        MessageDecoder.Limits limits = new MessageDecoder.Limits(60_000, 64, 20_000, 256, 256 * 1024, 5_000);
        MessageDecoder decoder = new MessageDecoder(limits);
        long[] decoded = {0};
        String context = "seed " + seed + " (rerun with -Dseptum.fuzz.seed=" + seed + ")";

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random rnd = new Random(seed);
            for (int i = 0; i < iterations; i++) {
                byte[] msg = mutate(corpus.get(rnd.nextInt(corpus.size())), corpus, rnd);
                // A handful of exporters, so template state builds up and mutated templates meet real data.
                InetSocketAddress exporter = new InetSocketAddress("127.0.0.1", 40000 + rnd.nextInt(4));
                long now = 1_700_000_000_000L + i * 10L;
                decoder.decode(ByteBuffer.wrap(msg), exporter, now, (FlowRecord r) -> decoded[0]++);
                if ((i & 1023) == 0) {
                    decoder.expire(now);
                }
            }
        }, context);

        assertThat(decoder.backstopHits()).as(context).isZero();
        assertThat(decoder.templates().domainCount()).as(context).isLessThanOrEqualTo(64);
        assertThat(decoder.templates().totalFields()).as(context).isLessThanOrEqualTo(20_000);
        assertThat(decoder.heldSets()).as(context).isLessThanOrEqualTo(256);
        assertThat(decoder.heldBytes()).as(context).isLessThanOrEqualTo(256 * 1024);
        assertThat(decoded[0]).as("mutants still decode some records: the fuzzer reaches the data path").isPositive();
        assertThat(decoder.counters().malformed()).as("and the malformed paths").isPositive();
    }

    @Test
    void randomBytesAreRejectedWithoutException() {
        MessageDecoder decoder = new MessageDecoder();
        Random rnd = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[rnd.nextInt(200)];
            rnd.nextBytes(b);
            if (b.length >= 2 && rnd.nextBoolean()) {
                b[0] = 0;
                b[1] = (byte) (rnd.nextBoolean() ? 10 : 9);
            }
            decoder.decode(ByteBuffer.wrap(b), new InetSocketAddress("127.0.0.1", 1), i, r -> { });
        }
        assertThat(decoder.backstopHits()).isZero();
        assertThat(decoder.counters().messages()).isEqualTo(50_000);
    }

    static byte[] mutate(byte[] original, List<byte[]> corpus, Random rnd) {
        byte[] b = original.clone();
        int ops = 1 + rnd.nextInt(4);
        for (int k = 0; k < ops && b.length > 0; k++) {
            int pos = rnd.nextInt(b.length);
            switch (rnd.nextInt(8)) {
                case 0 -> b[pos] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[pos] = (byte) rnd.nextInt(256);
                case 2 -> b[pos] = (byte) (rnd.nextBoolean() ? 0 : 0xFF);
                case 3 -> b = java.util.Arrays.copyOf(b, pos); // truncate
                case 4 -> { // overwrite a 16-bit field with an interesting value (lengths, ids, counts)
                    int[] interesting = {0, 1, 2, 3, 4, 255, 256, 0x7FFF, 0x8000, 0xFFFF, b.length, b.length + 4};
                    int v = interesting[rnd.nextInt(interesting.length)];
                    if (pos + 1 < b.length) {
                        b[pos] = (byte) (v >>> 8);
                        b[pos + 1] = (byte) v;
                    }
                }
                case 5 -> { // splice the tail of another datagram
                    byte[] other = corpus.get(rnd.nextInt(corpus.size()));
                    int from = rnd.nextInt(other.length);
                    byte[] c = java.util.Arrays.copyOf(b, pos + other.length - from);
                    System.arraycopy(other, from, c, pos, other.length - from);
                    b = c;
                }
                case 6 -> { // duplicate a chunk (repeats sets and template records)
                    int len = Math.min(b.length - pos, 1 + rnd.nextInt(64));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, pos + len);
                    System.arraycopy(b, pos, c, pos + len, b.length - pos);
                    b = c;
                }
                default -> { // new observation domain / source id: exercises the domain cap
                    if (b.length >= 16) {
                        int at = (b.length >= 20 && b[1] == 9) ? 16 : 12;
                        b[at + 3] = (byte) rnd.nextInt(256);
                        b[at + 2] = (byte) rnd.nextInt(256);
                    }
                }
            }
        }
        if (b.length > 4 && rnd.nextInt(4) == 0 && b[1] == 10) {
            // keep the IPFIX length consistent half the time so mutations reach the sets
            b[2] = (byte) (b.length >>> 8);
            b[3] = (byte) b.length;
        }
        return b;
    }
}
