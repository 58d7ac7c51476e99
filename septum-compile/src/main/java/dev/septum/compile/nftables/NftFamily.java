package dev.septum.compile.nftables;

import dev.septum.model.Device;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a Linux device enforces: {@code inet} for a router or host (forward and input hooks) and
 * {@code bridge} for a hypervisor's Linux bridge, where same-host same-VLAN frames never reach a
 * router. A device picks the bridge table with the tag {@code bridge}, both with {@code bridge} and
 * {@code inet}; untagged devices get the inet table.
 */
public enum NftFamily {
    INET("inet"), BRIDGE("bridge");

    /** Device tags that choose the tables. */
    public static final String TAG_INET = "inet";
    public static final String TAG_BRIDGE = "bridge";
    /**
     * Bridge-family conntrack needs the kernel's nf_conntrack_bridge (Linux 5.3+, often not built,
     * e.g. in CI kernels), so bridge tables are stateless like EOS unless the device says so.
     */
    public static final String TAG_BRIDGE_CONNTRACK = "bridge-conntrack";

    private final String keyword;

    NftFamily(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static List<NftFamily> of(Device device) {
        List<NftFamily> families = new ArrayList<>();
        boolean bridge = device.tags().contains(TAG_BRIDGE);
        if (!bridge || device.tags().contains(TAG_INET)) {
            families.add(INET);
        }
        if (bridge) {
            families.add(BRIDGE);
        }
        return families;
    }

    /** Whether replies pass by conntrack state (stateful) or by the rule's -reverse matches (stateless). */
    public boolean stateful(Device device) {
        return this == INET || device.tags().contains(TAG_BRIDGE_CONNTRACK);
    }
}
