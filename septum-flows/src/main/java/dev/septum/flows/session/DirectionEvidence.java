package dev.septum.flows.session;

/** How a session's client (initiator) was decided, strongest first. Shown so a reader can judge it. */
public enum DirectionEvidence {
    /** One side sent SYN and the other did not, or sent SYN without ever ACKing. */
    TCP_FLAGS,
    /** The exporter said so: biflowDirection (IE 239) initiator or reverseInitiator. */
    BIFLOW_INITIATOR,
    /** ICMP echo request sender. */
    ICMP_TYPE,
    /** Well-known or service port on one side, ephemeral on the other. */
    PORTS,
    /** One endpoint talks to more peers on that port: it is the server. */
    FAN_IN,
    /** The side whose first packet came earlier. */
    FIRST_SEEN,
    /** No evidence: the lower endpoint is shown as client. */
    NONE
}
