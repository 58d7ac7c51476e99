package dev.septum.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The programs the lab runs, and the Debian packages that bring them. The lab looks for every one
 * before it builds anything: a probe that cannot run must never read as "dropped" (with netcat
 * missing, every probe expecting a drop used to pass).
 */
public final class LabTools {
    /** One program, where the lab looks for it, and its package. */
    public record Tool(String program, String debianPackage) {
    }

    public static final List<Tool> REQUIRED = List.of(new Tool("ip", "iproute2"), new Tool("bridge", "iproute2"),
            new Tool("nft", "nftables"), new Tool("sysctl", "procps"), new Tool("nc", "netcat-openbsd"),
            new Tool("curl", "curl"), new Tool("ping", "iputils-ping"));

    /** For {@code lab --help}; {@code LabToolsTest} keeps it equal to {@link #REQUIRED}. */
    public static final String SUMMARY = "ip and bridge (iproute2), nft (nftables), sysctl (procps), nc (netcat-openbsd), "
            + "curl (curl), ping (iputils-ping)";

    private static final List<String> PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private LabTools() {
    }

    /** @throws LabException naming every missing program and the packages to install */
    static void requireAll() {
        requireAll(PATH);
    }

    static void requireAll(List<String> directories) {
        List<Tool> missing = REQUIRED.stream()
                .filter(t -> directories.stream().noneMatch(d -> Files.isExecutable(Path.of(d, t.program())))).toList();
        if (!missing.isEmpty()) {
            throw new LabException("missing " + String.join(", ", missing.stream().map(Tool::program).toList())
                    + ", so no probe can be trusted; nothing was built. Fix: apt-get install "
                    + String.join(" ", missing.stream().map(Tool::debianPackage).distinct().toList()));
        }
    }
}
