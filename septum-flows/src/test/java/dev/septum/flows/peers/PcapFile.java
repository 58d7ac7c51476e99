package dev.septum.flows.peers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes UDP payloads into a pcap (LINKTYPE_RAW: IPv4 header, UDP header, payload) so tshark can
 * dissect our exporter's datagrams without capturing on an interface (no privileges, no races).
 */
final class PcapFile {
    private PcapFile() {
    }

    static void write(Path file, List<byte[]> payloads, int dstPort) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer gh = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            gh.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
            out.write(gh.array());
            int ts = 1_700_000_000;
            for (byte[] p : payloads) {
                int len = 20 + 8 + p.length;
                ByteBuffer pkt = ByteBuffer.allocate(len);
                pkt.put((byte) 0x45).put((byte) 0).putShort((short) len).putShort((short) 0).putShort((short) 0)
                        .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0x7f000001).putInt(0x7f000001);
                pkt.putShort(0, (short) 0x4500);
                pkt.putShort(10, ipChecksum(pkt.array()));
                pkt.position(20);
                pkt.putShort((short) 50000).putShort((short) dstPort).putShort((short) (8 + p.length)).putShort((short) 0);
                pkt.put(p);
                ByteBuffer rh = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                rh.putInt(ts++).putInt(0).putInt(len).putInt(len);
                out.write(rh.array());
                out.write(pkt.array());
            }
        }
    }

    private static short ipChecksum(byte[] b) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
