package dev.septum.flows;

/**
 * The values of one flow record as primitives. {@link FlowRecord} implements it, and so does the
 * decoder's scratch record: at millions of records a second the session table reads the fields in
 * place instead of the decoder allocating a record and two addresses for each (about 160 bytes).
 * An instance passed to {@link FlowSink#accept(FlowFields)} is valid only during that call.
 */
public interface FlowFields {
    long srcHi();
    long srcLo();
    long dstHi();
    long dstLo();
    boolean v6();
    int vrf();
    int srcPort();
    int dstPort();
    int protocol();
    int tcpFlags();
    long octets();
    long packets();
    int reverseTcpFlags();
    long reverseOctets();
    long reversePackets();
    boolean biflow();
    long startMillis();
    long endMillis();
    int endReason();
    int biflowDirection();

    /** An immutable copy, for sinks that keep records. */
    FlowRecord toRecord();
}
