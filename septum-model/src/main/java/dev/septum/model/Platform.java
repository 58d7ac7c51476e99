package dev.septum.model;

/** How a device is configured: Arista EOS traffic-policies, or a Linux nftables ruleset. */
public enum Platform {
    EOS("eos"), NFTABLES("nftables");

    private final String keyword;

    Platform(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
