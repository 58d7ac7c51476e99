"""Replays a pcap's Ethernet frames as a switch's monitor session mirrors them: each frame inside GRE
(key 0, protocol 0x6558) on a raw IPv4 socket to MONITOR_ADDR (the kernel adds the outer IPv4 header).
Python's own socket module, not Septum's code. Paced: a pause of 1 ms after every 50 frames.

usage: replay_gre.py PCAP MONITOR_ADDR   (root); prints the number of frames sent
"""
import socket
import struct
import sys
import time

pcap, monitor = sys.argv[1], sys.argv[2]
with open(pcap, "rb") as f:
    data = f.read()
magic = struct.unpack("<I", data[:4])[0]
endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
at, sent = 24, 0
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
gre = struct.pack("!BBHI", 0x20, 0, 0x6558, 0)
while at + 16 <= len(data):
    captured = struct.unpack(endian + "I", data[at + 8:at + 12])[0]
    frame = data[at + 16:at + 16 + captured]
    at += 16 + captured
    s.sendto(gre + frame, (monitor, 0))
    sent += 1
    if sent % 50 == 0:
        time.sleep(0.001)
print(sent)
