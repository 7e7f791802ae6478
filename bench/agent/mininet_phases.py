#!/usr/bin/python3
"""Mininet building and stopping one topology, each phase timed: what `mn --topo TOPO --switch SW --controller none
--test none` does, with the build (Mininet(...) + net.start()) and the stop (net.stop()) reported apart so that they
can be set next to the agent's build and teardown. Never calls Mininet's cleanup (`mn -c`): net.stop() removes only
what this network created.
Usage: mininet_phases.py linear,100|tree,depth=D,fanout=F lxbr|ovs-user
Prints one line: `mininet build=<s> stop=<s>`."""
import sys
import time
from functools import partial

from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.node import OVSSwitch
from mininet.nodelib import LinuxBridge
from mininet.topo import LinearTopo
from mininet.topolib import TreeTopo


def topology(spec):
    kind, _, rest = spec.partition(',')
    args = dict(kv.split('=') for kv in rest.split(',') if '=' in kv)
    if kind == 'linear':
        return LinearTopo(k=int(rest))
    if kind == 'tree':
        return TreeTopo(depth=int(args['depth']), fanout=int(args['fanout']))
    raise SystemExit('unknown topology ' + spec)


setLogLevel('error')
switch = LinuxBridge if sys.argv[2] == 'lxbr' else partial(OVSSwitch, datapath='user')
start = time.time()
net = Mininet(topo=topology(sys.argv[1]), switch=switch, controller=None)
net.start()
built = time.time()
net.stop()
stopped = time.time()
print('mininet build=%.3f stop=%.3f' % (built - start, stopped - built))
