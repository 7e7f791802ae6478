package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.api.Nfvlab;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The names under /run/netns (what {@code ip netns list} lists); {@code ip -force -batch -} of {@code netns add|del NAME}. */
final class LinuxNetnsOps implements io.nfvlab.agent.kernel.NetnsOps {
    private static final Path RUN_DIR = Path.of("/run/netns");

    /**
     * The directory itself, not {@code ip netns list}: that asks the kernel for each namespace's id, and the kernel
     * finds an id by scanning every id the root namespace holds, one per namespace with a veth peer in the root, so
     * listing N namespaces cost N² (over 5 s at 10,000 namespaces, holding the rtnl lock) instead of one readdir.
     */
    @Override
    public Set<String> list() {
        Set<String> out = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(RUN_DIR, Nfvlab.NETNS_PREFIX + "*")) {
            entries.forEach(e -> out.add(e.getFileName().toString()));
        } catch (NoSuchFileException e) {
            return out; // no namespace was ever named on this node
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + RUN_DIR + ": " + e.getMessage(), e);
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
}
