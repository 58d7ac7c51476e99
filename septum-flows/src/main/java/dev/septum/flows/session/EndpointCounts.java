package dev.septum.flows.session;

/**
 * Live sessions per endpoint (VRF, protocol, address, port): the session table's fan-in evidence.
 * Open addressing over one {@code long[]}, four longs a slot (address high, address low, the rest
 * packed, the count; a count of 0 is an empty slot), so a lookup reads one or two cache lines where a
 * {@code HashMap} read the bucket, the node, the key and the count, each a likely miss. Every new and
 * every ended session changes two counts: with a map that was a fifth of the mirror intake's CPU
 * (bench/RESULTS.md, issue 13). Deletion shifts later entries back (no tombstones).
 */
final class EndpointCounts {
    private static final int STRIDE = 4;
    private long[] slots;
    private int mask;
    private int size;

    EndpointCounts(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slots = new long[capacity * STRIDE];
        mask = capacity - 1;
    }

    /** Sessions counted on the endpoint, 0 when none. */
    int get(int vrf, int protocol, long hi, long lo, boolean v6, int port) {
        long rest = rest(vrf, protocol, v6, port);
        for (int i = home(hi, lo, rest); ; i = (i + 1) & mask) {
            int at = i * STRIDE;
            if (slots[at + 3] == 0) {
                return 0;
            }
            if (slots[at] == hi && slots[at + 1] == lo && slots[at + 2] == rest) {
                return (int) slots[at + 3];
            }
        }
    }

    /** Adds {@code delta} to the endpoint's count; a count that falls to 0 or below is removed. */
    void add(int vrf, int protocol, long hi, long lo, boolean v6, int port, int delta) {
        long rest = rest(vrf, protocol, v6, port);
        int i = home(hi, lo, rest);
        for (; slots[i * STRIDE + 3] != 0; i = (i + 1) & mask) {
            int at = i * STRIDE;
            if (slots[at] == hi && slots[at + 1] == lo && slots[at + 2] == rest) {
                slots[at + 3] += delta;
                if (slots[at + 3] <= 0) {
                    remove(i);
                }
                return;
            }
        }
        if (delta <= 0) {
            return;
        }
        if ((size + 1) * 2 > mask + 1) {
            grow();
            i = free(home(hi, lo, rest));
        }
        put(i, hi, lo, rest, delta);
        size++;
    }

    int size() {
        return size;
    }

    private static long rest(int vrf, int protocol, boolean v6, int port) {
        return (long) vrf << 32 | (long) (protocol & 0xFF) << 17 | (v6 ? 1L << 16 : 0) | (port & 0xFFFF);
    }

    private int home(long hi, long lo, long rest) {
        long h = (hi * 0x9E3779B97F4A7C15L + lo) * 0x9E3779B97F4A7C15L + rest;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private int free(int i) {
        while (slots[i * STRIDE + 3] != 0) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void put(int i, long hi, long lo, long rest, long count) {
        int at = i * STRIDE;
        slots[at] = hi;
        slots[at + 1] = lo;
        slots[at + 2] = rest;
        slots[at + 3] = count;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        mask = slots.length / STRIDE - 1;
        for (int at = 0; at < old.length; at += STRIDE) {
            if (old[at + 3] != 0) {
                put(free(home(old[at], old[at + 1], old[at + 2])), old[at], old[at + 1], old[at + 2], old[at + 3]);
            }
        }
    }

    /** Backward-shift deletion: each following entry whose home is at or before the gap moves into it. */
    private void remove(int i) {
        int gap = i;
        for (int j = (gap + 1) & mask; slots[j * STRIDE + 3] != 0; j = (j + 1) & mask) {
            int at = j * STRIDE;
            int home = home(slots[at], slots[at + 1], slots[at + 2]);
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                System.arraycopy(slots, at, slots, gap * STRIDE, STRIDE);
                gap = j;
            }
        }
        java.util.Arrays.fill(slots, gap * STRIDE, gap * STRIDE + STRIDE, 0L);
        size--;
    }
}
