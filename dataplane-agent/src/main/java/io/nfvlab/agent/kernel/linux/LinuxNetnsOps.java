package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.Nfvlab;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code ip netns list}; {@code ip -force -batch -} of {@code netns add|del NAME}. */
final class LinuxNetnsOps implements io.nfvlab.agent.kernel.NetnsOps {
    @Override
    public Set<String> list() {
        CommandRunner.Result r = CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(30)).orThrow();
        Set<String> out = new TreeSet<>();
        for (String line : r.stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(Nfvlab.NETNS_PREFIX)) {
                out.add(name);
            }
        }
        return out;
    }

    @Override
    public BatchResult apply(List<Action> actions) {
        IpBatch batch = new IpBatch();
        for (Action a : actions) {
            if (a instanceof Action.NetnsAdd x) {
                batch.add(a, "netns", "add", x.netns());
            } else if (a instanceof Action.NetnsDel x) {
                batch.add(a, true, "netns", "del", x.netns());
            }
        }
        return batch.run(List.of("ip", "-force", "-batch", "-"), Duration.ofSeconds(120));
    }

    @Override
    public Map<String, Long> identities(Set<String> names) {
        return NamespaceHolders.identities(names);
    }

    @Override
    public List<String> holders(Map<String, Long> identities) {
        return NamespaceHolders.of(identities);
    }
}
