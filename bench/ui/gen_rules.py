#!/usr/bin/env python3
"""The seed lab's policies.yaml with N more rules before its own (default 10,000): each HTTP to the web servers, forward
and drop by turns (most are shadowed: the list pages, the verifier is not what is measured). Writes to stdout."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
seed = open(sys.argv[2]).read()
marker = "    rules:\n"
head, tail = seed.split(marker, 1)
rules = []
for i in range(n):
    # flow style: 10,000 rules stay under the server's 1 MiB a file
    rules.append(f"      - {{name: b{i}, destinations: [web01_web02], services: [HTTP], action: {'forward' if i % 2 else 'drop'}}}\n")
sys.stdout.write(head + marker + "".join(rules) + tail)
