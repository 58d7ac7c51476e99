package dev.septum.compile.plan;

import inet.ipaddr.IPAddress;

/** One GRE tunnel on a monitor node, terminating the mirror session of one switch. */
public record MonitorTunnel(int index, String peer, IPAddress source, IPAddress destination) {
}
