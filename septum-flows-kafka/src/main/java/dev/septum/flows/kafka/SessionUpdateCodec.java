package dev.septum.flows.kafka;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.tag.SessionTags;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Session updates as Avro single-object encoding (two marker bytes, the writer schema's 8-byte
 * fingerprint, the binary record): about 80 bytes an IPv4 update. The schemas are the
 * {@code session-update-vN.avsc} files beside this class; every version stays readable, so a new
 * reader decodes what an older collector still publishes (docs/scale-out.md: the versioning rule).
 */
public final class SessionUpdateCodec {
    /** Every released version, oldest first; the last is what this build writes. */
    static final List<String> VERSIONS = List.of("session-update-v1.avsc");
    /** A message larger than this is refused before decoding: an update is well under 1 KiB with tags. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private final Schema current;
    private final BinaryMessageEncoder<GenericRecord> encoder;
    private final BinaryMessageDecoder<GenericRecord> decoder;

    public SessionUpdateCodec() {
        List<Schema> schemas = VERSIONS.stream().map(SessionUpdateCodec::load).toList();
        current = schemas.getLast();
        encoder = new BinaryMessageEncoder<>(GenericData.get(), current);
        decoder = new BinaryMessageDecoder<>(GenericData.get(), current);
        schemas.forEach(decoder::addSchema);
    }

    private static Schema load(String file) {
        try (InputStream in = SessionUpdateCodec.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("schema " + file + " is missing from the jar");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema this build writes. */
    public Schema schema() {
        return current;
    }

    public byte[] encode(SessionUpdate u) {
        SessionRow r = u.row();
        SessionTags t = u.tags();
        GenericRecord g = new GenericData.Record(current);
        g.put("node", u.node());
        g.put("vrf", Integer.toUnsignedLong(r.vrf()));
        g.put("protocol", r.protocol());
        g.put("client_addr", ByteBuffer.wrap(r.clientAddr().bytes()));
        g.put("client_port", r.client().port());
        g.put("server_addr", ByteBuffer.wrap(r.serverAddr().bytes()));
        g.put("server_port", r.server().port());
        g.put("client_packets", r.clientPackets());
        g.put("client_octets", r.clientOctets());
        g.put("client_tcp_flags", r.clientTcpFlags());
        g.put("server_packets", r.serverPackets());
        g.put("server_octets", r.serverOctets());
        g.put("server_tcp_flags", r.serverTcpFlags());
        g.put("first_ms", r.firstMillis());
        g.put("last_ms", r.lastMillis());
        g.put("evidence", r.evidence().name().toLowerCase(Locale.ROOT));
        g.put("records", r.records());
        g.put("end_reason", r.reason().name().toLowerCase(Locale.ROOT));
        g.put("exported_ms", u.exportedMs());
        g.put("client_groups", t.clientGroups());
        g.put("server_groups", t.serverGroups());
        g.put("services", t.services());
        g.put("policy", t.policy());
        g.put("rule", t.rule());
        g.put("match_name", t.match());
        g.put("verdict", t.verdict());
        g.put("policy_version", t.policyVersion());
        try {
            return encoder.encode(g).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writes to memory only
        }
    }

    /** A message that is not a session update of a known version: the reason, for the ingest's counters and log. */
    public static final class BadUpdate extends Exception {
        BadUpdate(String message) {
            super(message, null, false, false);
        }
    }

    public SessionUpdate decode(byte[] message) throws BadUpdate {
        if (message == null || message.length > MAX_MESSAGE_BYTES) {
            throw new BadUpdate(message == null ? "empty message" : "message of " + message.length + " bytes, over "
                    + MAX_MESSAGE_BYTES);
        }
        GenericRecord g;
        try {
            g = decoder.decode(message);
        } catch (IOException | AvroRuntimeException e) {
            throw new BadUpdate("not a session update of a known schema version (" + e.getMessage() + ")");
        }
        try {
            int protocol = (Integer) g.get("protocol");
            long cp = (Long) g.get("client_packets");
            int cf = (Integer) g.get("client_tcp_flags");
            long sp = (Long) g.get("server_packets");
            int sf = (Integer) g.get("server_tcp_flags");
            SessionRow row = new SessionRow((int) (long) (Long) g.get("vrf"), protocol,
                    new Endpoint(address(g, "client_addr"), port(g, "client_port")),
                    new Endpoint(address(g, "server_addr"), port(g, "server_port")),
                    cp, (Long) g.get("client_octets"), cf, sp, (Long) g.get("server_octets"), sf,
                    SessionState.of(protocol, cp, cf, sp, sf), (Long) g.get("first_ms"), (Long) g.get("last_ms"),
                    DirectionEvidence.valueOf(text(g, "evidence").toUpperCase(Locale.ROOT)), (Long) g.get("records"),
                    EndReason.valueOf(text(g, "end_reason").toUpperCase(Locale.ROOT)));
            SessionTags tags = new SessionTags(names(g, "client_groups"), names(g, "server_groups"), names(g, "services"),
                    text(g, "policy"), text(g, "rule"), text(g, "match_name"), text(g, "verdict"), text(g, "policy_version"));
            return new SessionUpdate(text(g, "node"), row, tags, (Long) g.get("exported_ms"));
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new BadUpdate("session update with a bad field: " + e.getMessage());
        }
    }

    private static IpAddr address(GenericRecord g, String field) {
        ByteBuffer b = (ByteBuffer) g.get(field);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        if (bytes.length != 4 && bytes.length != 16) {
            throw new IllegalArgumentException(field + " has " + bytes.length + " bytes, not 4 or 16");
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < bytes.length; i++) {
            // an IPv6 address stays IPv6 even when it maps an IPv4 one (InetAddress would make it IPv4)
            if (bytes.length == 16 && i < 8) {
                hi = (hi << 8) | (bytes[i] & 0xFF);
            } else {
                lo = (lo << 8) | (bytes[i] & 0xFF);
            }
        }
        return bytes.length == 4 ? IpAddr.v4(lo) : IpAddr.v6(hi, lo);
    }

    private static int port(GenericRecord g, String field) {
        int p = (Integer) g.get(field);
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(field + " " + p + " is not a port");
        }
        return p;
    }

    private static String text(GenericRecord g, String field) {
        return g.get(field).toString();
    }

    private static List<String> names(GenericRecord g, String field) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) g.get(field)) {
            out.add(o.toString());
        }
        return out;
    }
}
