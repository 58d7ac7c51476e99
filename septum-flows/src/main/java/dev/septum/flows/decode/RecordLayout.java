package dev.septum.flows.decode;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A template compiled for decoding: one slot code per field, saying which {@link RecordBuilder} value
 * it fills. Values are read by their length on the wire, not by registry type, because exporters use
 * reduced-size encoding (RFC 7011 §6.2): softflowd sends tcpControlBits in 1 byte and counters in 4.
 */
final class RecordLayout {
    // Slot codes. Those below FIRST_RAW hold one unsigned value read by its wire length
    // (RecordBuilder.store); the raw ones need the bytes themselves (RecordBuilder.readRaw).
    static final int SKIP = 0;
    static final int SRC4 = 1;
    static final int DST4 = 2;
    static final int SRC_PORT = 3;
    static final int DST_PORT = 4;
    static final int PROTO = 5;
    static final int TCP_FLAGS = 6;
    static final int OCTETS = 7;
    static final int PACKETS = 8;
    static final int REV_OCTETS = 9;
    static final int REV_PACKETS = 10;
    static final int REV_TCP_FLAGS = 11;
    static final int START_S = 12;
    static final int END_S = 13;
    static final int START_MS = 14;
    static final int END_MS = 15;
    static final int START_UPTIME = 16;
    static final int END_UPTIME = 17;
    static final int END_REASON = 18;
    static final int VRF = 19;
    static final int BIFLOW_DIRECTION = 20;
    static final int ICMP_TYPE_CODE = 21;
    static final int SYSTEM_INIT_MS = 22;
    static final int FIRST_RAW = 23;
    static final int SRC6 = 23;
    static final int DST6 = 24;
    static final int START_NTP = 25;
    static final int END_NTP = 26;
    /** Slot codes in use after compile: RecordBuilder keeps one presence bit each in a long. */
    static final int SLOT_COUNT = 27;
    // Compile-time only: totals become OCTETS/PACKETS or SKIP.
    static final int OCTETS_TOTAL = 27;
    static final int PACKETS_TOTAL = 28;

    final Template template;
    final int[] slots;
    final int[] lengths;
    /** Bytes the smallest record takes: fixed fields plus one length byte per variable field. */
    final int minLength;
    final boolean biflow;
    /** The value slots every record of this layout fills (see {@link RecordBuilder#reset}). */
    final long fills;
    /**
     * Templates without variable-length fields (all the common ones) are read at fixed offsets: one
     * bounds check per record, and only the fields that fill a slot are visited.
     */
    private final boolean fixed;
    /** Per field that fills a slot: offset in the record << 32 | slot code << 16 | length, one load each. */
    private final long[] reads;

    private RecordLayout(Template template, int[] slots, int[] lengths, int minLength, boolean biflow) {
        this.template = template;
        this.slots = slots;
        this.lengths = lengths;
        this.minLength = minLength;
        this.biflow = biflow;
        this.fixed = template.fields().stream().noneMatch(FieldSpec::variable);
        int read = 0;
        long filled = 0;
        for (int slot : slots) {
            read += slot == SKIP ? 0 : 1;
            filled |= slot == SKIP ? 0 : 1L << slot;
        }
        this.fills = filled & RecordBuilder.VALUE_SLOTS;
        reads = new long[read];
        int offset = 0;
        for (int i = 0, r = 0; i < slots.length; i++) {
            if (slots[i] != SKIP) {
                // a fixed field's length is below 0xFFFF (the variable marker) and the offset below 2^16
                reads[r++] = (long) offset << 32 | (long) slots[i] << 16 | lengths[i] & 0xFFFF;
            }
            offset += lengths[i];
        }
    }

    static RecordLayout compile(Template template, boolean netflowV9) {
        List<FieldSpec> fields = template.fields();
        int[] slots = new int[fields.size()];
        int[] lengths = new int[fields.size()];
        int min = 0;
        boolean biflow = false;
        boolean hasDeltaOctets = false;
        boolean hasDeltaPackets = false;
        for (FieldSpec f : fields) {
            hasDeltaOctets |= f.enterprise() == 0 && f.elementId() == 1;
            hasDeltaPackets |= f.enterprise() == 0 && f.elementId() == 2;
        }
        for (int i = 0; i < slots.length; i++) {
            FieldSpec f = fields.get(i);
            lengths[i] = f.length();
            min += f.variable() ? 1 : f.length();
            int slot = f.enterprise() == 0 ? ianaSlot(f, netflowV9)
                    : f.enterprise() == FieldSpec.REVERSE_PEN ? reverseSlot(f) : SKIP;
            // Totals (85/86) stand in for deltas only when the template has no delta counter.
            if (slot == OCTETS_TOTAL) {
                slot = hasDeltaOctets ? SKIP : OCTETS;
            } else if (slot == PACKETS_TOTAL) {
                slot = hasDeltaPackets ? SKIP : PACKETS;
            }
            biflow |= slot == REV_OCTETS || slot == REV_PACKETS;
            slots[i] = slot;
        }
        return new RecordLayout(template, slots, lengths, min, biflow);
    }

    private static int ianaSlot(FieldSpec f, boolean v9) {
        boolean addr4 = f.length() >= 1 && f.length() <= 4;
        return switch (f.elementId()) {
            case 8 -> addr4 ? SRC4 : SKIP;
            case 12 -> addr4 ? DST4 : SKIP;
            case 27 -> f.length() == 16 ? SRC6 : SKIP;
            case 28 -> f.length() == 16 ? DST6 : SKIP;
            case 7 -> SRC_PORT;
            case 11 -> DST_PORT;
            case 4 -> PROTO;
            case 6 -> TCP_FLAGS;
            case 1 -> OCTETS;
            case 2 -> PACKETS;
            case 85 -> OCTETS_TOTAL;
            case 86 -> PACKETS_TOTAL;
            case 150 -> START_S;
            case 151 -> END_S;
            case 152 -> START_MS;
            case 153 -> END_MS;
            case 154, 156 -> START_NTP;
            case 155, 157 -> END_NTP;
            case 22 -> START_UPTIME;
            case 21 -> END_UPTIME;
            case 136 -> END_REASON;
            case 234 -> VRF;
            case 239 -> BIFLOW_DIRECTION;
            case 32, 139 -> ICMP_TYPE_CODE;
            case 160 -> SYSTEM_INIT_MS;
            // 23/24 are postOctet/postPacketDeltaCount in IPFIX and OUT_BYTES/OUT_PKTS in v9; neither is
            // a reverse counter by definition, so they are not read as one (flow-monitoring.md §1.2).
            default -> SKIP;
        };
    }

    private static int reverseSlot(FieldSpec f) {
        return switch (f.elementId()) {
            case 1, 85 -> REV_OCTETS;
            case 2, 86 -> REV_PACKETS;
            case 6 -> REV_TCP_FLAGS;
            default -> SKIP;
        };
    }

    /**
     * Decodes one record starting at {@code pos} into {@code b}.
     *
     * @return the position after the record, or -1 when the record would run past {@code end}
     */
    int decode(ByteBuffer buf, int pos, int end, RecordBuilder b) {
        return fixed ? decodeFixed(buf, pos, end, b) : decodeVariable(buf, pos, end, b);
    }

    private int decodeFixed(ByteBuffer buf, int pos, int end, RecordBuilder b) {
        if (end - pos < minLength) {
            return -1;
        }
        for (long r : reads) {
            read((int) (r >>> 16) & 0xFFFF, buf, pos + (int) (r >>> 32), (int) r & 0xFFFF, b);
        }
        return pos + minLength;
    }

    private int decodeVariable(ByteBuffer buf, int pos, int end, RecordBuilder b) {
        int p = pos;
        for (int i = 0; i < slots.length; i++) {
            int len = lengths[i];
            if (len == FieldSpec.VARIABLE) {
                if (p >= end) {
                    return -1;
                }
                len = buf.get(p++) & 0xFF;
                if (len == 255) {
                    if (p + 2 > end) {
                        return -1;
                    }
                    len = buf.getShort(p) & 0xFFFF;
                    p += 2;
                }
            }
            if (len > end - p) {
                return -1;
            }
            if (slots[i] != SKIP) {
                read(slots[i], buf, p, len, b);
            }
            p += len;
        }
        return p;
    }

    private static void read(int slot, ByteBuffer buf, int p, int len, RecordBuilder b) {
        if (slot < FIRST_RAW) {
            b.store(slot, RecordBuilder.unsigned(buf, p, len));
        } else {
            b.readRaw(slot, buf, p, len);
        }
    }
}
