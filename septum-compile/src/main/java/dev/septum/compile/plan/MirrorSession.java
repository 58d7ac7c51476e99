package dev.septum.compile.plan;

import inet.ipaddr.IPAddress;

/**
 * A switch's GRE mirror session towards a monitor node, named {@code <monitor>-ALL} as MSS names it.
 *
 * @param rateLimitKbps the monitor object's rate limit, converted from Mbps
 */
public record MirrorSession(String name, IPAddress source, IPAddress destination, boolean truncate,
                            long rateLimitKbps) {
}
