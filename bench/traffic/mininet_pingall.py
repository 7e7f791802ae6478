#!/usr/bin/python3
"""Mininet's pingall on tree,depth=2,fanout=8 with Linux bridges and no controller, timed around net.pingAll() only
(the same span the nfvlab side times). Same as `mn --topo tree,depth=2,fanout=8 --switch lxbr --controller none
--test pingall`, minus setup and teardown. Never calls Mininet's cleanup (`mn -c`): net.stop() removes only what
this network created. Prints one line: `mininet pingall seconds=<s> dropped=<percent>`."""
import sys
import time

from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.nodelib import LinuxBridge
from mininet.topolib import TreeTopo

setLogLevel('output')
net = Mininet(topo=TreeTopo(depth=2, fanout=8), switch=LinuxBridge, controller=None)
try:
    net.start()
    start = time.time()
    dropped = net.pingAll()
    seconds = time.time() - start
    print('mininet pingall seconds=%.3f dropped=%s' % (seconds, dropped))
finally:
    net.stop()
sys.exit(0)
