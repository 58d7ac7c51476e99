#!/usr/bin/python3
"""The mirror benchmark's traffic, written twice from one packet list: inner.pcap (the frames as a
switch port sees them, for softflowd) and gre.pcap (each frame as a monitor session mirrors it:
outer Ethernet + IPv4 to the monitor node + GRE with key 0, protocol 0x6558 + the frame).

usage: mkpcaps.py SESSIONS DIR   (8 packets per TCP session: handshake, data both ways, FIN both ways)
"""
import struct
import sys

sessions, out = int(sys.argv[1]), sys.argv[2]
MONITOR_MAC = bytes.fromhex("0200000000b2")   # run.sh gives the monitor's veth this address
SENDER_MAC = bytes.fromhex("0200000000a1")
SENDER, MONITOR = bytes([10, 77, 0, 1]), bytes([10, 77, 0, 2])


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0, 64, proto, 0, src, dst)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def frame(src, dst, sp, dp, flags, payload):
    tcp = struct.pack("!HHIIBBHHH", sp, dp, 1, 0, 5 << 4, flags, 8192, 0, 0) + payload
    return bytes.fromhex("020000000002020000000001") + b"\x08\x00" + ipv4(src, dst, 6, tcp)


def mirrored(f):
    gre = struct.pack("!BBHI", 0x20, 0, 0x6558, 0) + f
    return MONITOR_MAC + SENDER_MAC + b"\x08\x00" + ipv4(SENDER, MONITOR, 47, gre)


header = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
inner, gre = open(out + "/inner.pcap", "wb"), open(out + "/gre.pcap", "wb")
inner.write(header)
gre.write(header)
t = 0
for i in range(sessions):
    c = struct.pack("!I", 0x0A000000 | (i & 0xFFFFFF))
    s = struct.pack("!I", 0x0AC80001 + i % 50)
    sp, dp = 1024 + i % 60000, (443, 80, 22, 3306)[i % 4]
    for p in [(c, s, sp, dp, 0x02, b""), (s, c, dp, sp, 0x12, b""), (c, s, sp, dp, 0x10, b""),
              (c, s, sp, dp, 0x18, b"x" * 100), (s, c, dp, sp, 0x18, b"y" * 1000), (c, s, sp, dp, 0x11, b""),
              (s, c, dp, sp, 0x11, b""), (c, s, sp, dp, 0x10, b"")]:
        f = frame(*p)
        m = mirrored(f)
        t += 10
        stamp = struct.pack("<II", 1700000000 + t // 1000000, t % 1000000)
        inner.write(stamp + struct.pack("<II", len(f), len(f)) + f)
        gre.write(stamp + struct.pack("<II", len(m), len(m)) + m)
inner.close()
gre.close()
