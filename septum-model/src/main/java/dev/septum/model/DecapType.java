package dev.septum.model;

/** Which headers of VXLAN traffic a rule inspects (MSS "Decap Type"). */
public enum DecapType {
    /** Inner headers after the VXLAN header is removed; the default. */
    ALLOW_ALL("allow-all"),
    /** Only traffic that was VXLAN-decapsulated. */
    VXLAN_DECAP_ONLY("vxlan-decap-only"),
    /** Outer headers only, without decapsulating. */
    NO_VXLAN_DECAP("no-vxlan-decap");

    private final String keyword;

    DecapType(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
