package dev.septum.flows.collect;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * The portable path: a blocking {@link DatagramChannel}, one datagram (and one syscall) per batch.
 * The buffer is one byte longer than the limit, so a datagram that fills it was longer than the limit
 * and is reported as truncated (the channel silently drops the tail).
 */
final class ChannelSource implements DatagramSource {
    private final DatagramChannel channel;
    private final ByteBuffer buf;
    private final int maxDatagramBytes;
    private final int port;
    private final String why;
    private InetSocketAddress sender;

    private ChannelSource(DatagramChannel channel, int maxDatagramBytes, String why) throws IOException {
        this.channel = channel;
        this.buf = ByteBuffer.allocateDirect(maxDatagramBytes + 1);
        this.maxDatagramBytes = maxDatagramBytes;
        this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        this.why = why;
    }

    static ChannelSource open(InetSocketAddress listen, int receiveBufferBytes, int maxDatagramBytes, String why)
            throws IOException {
        DatagramChannel channel = DatagramChannel.open(listen.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            channel.bind(listen);
            return new ChannelSource(channel, maxDatagramBytes, why);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public int receive() throws IOException {
        buf.clear();
        try {
            sender = (InetSocketAddress) channel.receive(buf);
        } catch (ClosedChannelException e) { // AsynchronousCloseException included
            return -1; // stopReceiving(): the normal way out of a blocking receive
        }
        buf.flip();
        return 1;
    }

    @Override
    public ByteBuffer datagram(int i) {
        return buf;
    }

    @Override
    public InetSocketAddress sender(int i) {
        return sender;
    }

    @Override
    public boolean truncated(int i) {
        return buf.limit() > maxDatagramBytes;
    }

    @Override
    public int localPort() {
        return port;
    }

    @Override
    public long kernelDrops() {
        return KernelDrops.forLocalPort(port);
    }

    @Override
    public int receiveBufferBytes() {
        try {
            return channel.getOption(StandardSocketOptions.SO_RCVBUF);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String description() {
        return why.isEmpty() ? "DatagramChannel" : "DatagramChannel (" + why + ")";
    }

    @Override
    public void stopReceiving() {
        try {
            channel.close(); // wakes the blocked receive with AsynchronousCloseException
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    @Override
    public void close() {
        stopReceiving();
    }
}
