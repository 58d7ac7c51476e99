package dev.septum.resolve;

import dev.septum.model.GroupSource;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks a DNS resolver for the A and AAAA records of a source's names, with their TTLs (the JDK's
 * resolver hides TTLs and cannot be pointed at one server). Plain RFC 1035 over UDP, again over
 * TCP when the answer is truncated; the answer's id and question must match what was asked.
 */
final class DnsLookup {
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final int A = 1;
    private static final int AAAA = 28;
    private static final int MAX_ANSWER = 65_535;

    private final Path resolvConf;

    DnsLookup(Path resolvConf) {
        this.resolvConf = resolvConf;
    }

    Answer lookup(GroupSource.Dns source) throws SourceFailure {
        InetSocketAddress server = server(source);
        Members members = new Members(false);
        long ttl = Long.MAX_VALUE;
        for (String name : source.names()) {
            for (int type : new int[] {A, AAAA}) {
                Records r = query(server, name, type);
                String fqdn = name.replaceAll("\\.$", "");
                // a name too long to be a category value is still a member, just without the label
                Map<String, String> categories = dev.septum.model.validate.NameRules.nameProblem(fqdn).isEmpty()
                        ? Map.of("fqdn", fqdn) : Map.of();
                for (String address : r.addresses()) {
                    members.add(address, categories, name + " " + typeName(type));
                }
                ttl = Math.min(ttl, r.ttl());
            }
        }
        Duration validFor = ttl == Long.MAX_VALUE ? source.minRefresh() : Duration.ofSeconds(ttl);
        if (validFor.compareTo(source.minRefresh()) < 0) {
            validFor = source.minRefresh();
        }
        if (validFor.compareTo(source.maxRefresh()) > 0) {
            validFor = source.maxRefresh();
        }
        return new Answer(members.list(), Optional.of(validFor));
    }

    private static String typeName(int type) {
        return type == A ? "A" : "AAAA";
    }

    private InetSocketAddress server(GroupSource.Dns source) throws SourceFailure {
        if (source.server().isPresent()) {
            String s = source.server().get();
            int colon = s.lastIndexOf(':');
            boolean bracketed = s.startsWith("[");
            boolean hasPort = bracketed ? s.contains("]:") : colon > 0 && s.indexOf(':') == colon;
            String host = hasPort ? s.substring(0, colon) : s;
            int port = hasPort ? Integer.parseInt(s.substring(colon + 1)) : 53;
            return new InetSocketAddress(literal(host.replace("[", "").replace("]", "")), port);
        }
        try {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] words = line.trim().split("\\s+");
                if (words.length >= 2 && words[0].equals("nameserver")) {
                    return new InetSocketAddress(literal(words[1].replaceAll("%.*", "")), 53);
                }
            }
        } catch (IOException e) {
            throw new SourceFailure("cannot read " + resolvConf + " for a nameserver: " + e.getMessage()
                    + "; set 'server:' on the source");
        }
        throw new SourceFailure(resolvConf + " names no nameserver; set 'server:' on the source");
    }

    /** Only literals: the loader refused names, and a literal never triggers a lookup. */
    private static InetAddress literal(String ip) throws SourceFailure {
        return dev.septum.model.load.AddressText.parse(ip).map(a -> a.toInetAddress())
                .orElseThrow(() -> new SourceFailure("nameserver '" + ip + "' is not an address"));
    }

    record Records(List<String> addresses, long ttl) {
    }

    private Records query(InetSocketAddress server, String name, int type) throws SourceFailure {
        int id = QueryIds.RANDOM.nextInt(1 << 16);
        byte[] question = question(id, name, type);
        String what = name + " " + typeName(type) + " from " + server.getAddress().getHostAddress() + ":" + server.getPort();
        byte[] answer;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.connect(server);
            socket.send(new DatagramPacket(question, question.length));
            byte[] buffer = new byte[4096];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            do {
                socket.receive(packet); // a stray datagram with another id is skipped, not taken
            } while (packet.getLength() < 2 || ((buffer[0] & 0xff) << 8 | buffer[1] & 0xff) != id);
            answer = java.util.Arrays.copyOf(buffer, packet.getLength());
            if ((answer.length > 2 && (answer[2] & 0x02) != 0)) {
                answer = overTcp(server, question(id, name, type));
            }
        } catch (SocketTimeoutException e) {
            throw new SourceFailure(what + ": no answer within " + TIMEOUT.toSeconds() + "s");
        } catch (IOException e) {
            throw new SourceFailure(what + ": " + e.getMessage());
        }
        return parse(answer, id, name, type, what);
    }

    private static byte[] overTcp(InetSocketAddress server, byte[] question) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(question.length);
            out.write(question);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readUnsignedShort();
            byte[] answer = new byte[Math.min(length, MAX_ANSWER)];
            in.readFully(answer);
            return answer;
        }
    }

    static byte[] question(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.replaceAll("\\.$", "").split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.writeBytes(new byte[] {0, (byte) (type >> 8), (byte) type, 0, 1});
        return out.toByteArray();
    }

    /** Every A or AAAA record of the answer section (a CNAME chain's end included) and the lowest TTL. */
    static Records parse(byte[] message, int id, String name, int type, String what) throws SourceFailure {
        try {
            ByteBuffer b = ByteBuffer.wrap(message);
            if (b.getShort(0) != (short) id || (message[2] & 0x80) == 0) {
                throw new SourceFailure(what + ": the answer does not belong to the question");
            }
            int rcode = message[3] & 0x0f;
            if (rcode == 3) {
                throw new SourceFailure(what + ": the name does not exist (NXDOMAIN)");
            }
            if (rcode != 0) {
                throw new SourceFailure(what + ": the resolver answered with error code " + rcode);
            }
            int questions = b.getShort(4) & 0xffff;
            int answers = b.getShort(6) & 0xffff;
            b.position(12);
            for (int q = 0; q < questions; q++) {
                skipName(b);
                b.position(b.position() + 4);
            }
            List<String> addresses = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            for (int a = 0; a < answers; a++) {
                skipName(b);
                int rtype = b.getShort() & 0xffff;
                b.getShort(); // class
                long recordTtl = b.getInt() & 0xffffffffL;
                int length = b.getShort() & 0xffff;
                byte[] data = new byte[length];
                b.get(data);
                ttl = Math.min(ttl, recordTtl);
                if (rtype == type && (length == 4 || length == 16)) {
                    addresses.add(InetAddress.getByAddress(data).getHostAddress());
                }
            }
            return new Records(addresses, ttl);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException
                 | java.net.UnknownHostException e) {
            throw new SourceFailure(what + ": the answer is malformed");
        }
    }

    private static void skipName(ByteBuffer b) {
        while (true) {
            int length = b.get() & 0xff;
            if (length == 0) {
                return;
            }
            if ((length & 0xc0) == 0xc0) {
                b.get(); // a compression pointer ends the name
                return;
            }
            b.position(b.position() + length);
        }
    }

    /**
     * Made on the first query: every command that reads a policy makes a DnsLookup, and a
     * SecureRandom loads the JDK's security providers, which cost each of them start-up time.
     */
    private static final class QueryIds {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
