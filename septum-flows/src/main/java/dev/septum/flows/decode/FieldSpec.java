package dev.septum.flows.decode;

/**
 * One Field Specifier of a template (RFC 7011 §3.2): information element id, length in the data
 * record (65535 = variable length, §7), enterprise number (0 for IANA elements).
 */
public record FieldSpec(int elementId, int length, long enterprise) {
    public static final int VARIABLE = 0xFFFF;
    /** RFC 5103: reverse information elements are the forward id under this private enterprise number. */
    public static final long REVERSE_PEN = 29305;

    public boolean variable() {
        return length == VARIABLE;
    }
}
