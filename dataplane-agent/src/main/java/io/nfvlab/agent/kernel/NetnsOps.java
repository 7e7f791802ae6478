package io.nfvlab.agent.kernel;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Network namespaces. Linux: {@code ip netns list}, and one {@code ip -batch} of {@code netns add|del} lines. */
public interface NetnsOps {
    /** Names of the namespaces starting with {@code nfv-}. */
    Set<String> list();

    /** Creates (NetnsAdd) or deletes (NetnsDel) namespaces; deleting one that is gone is not a failure. */
    BatchResult apply(List<Action> actions);

    /**
     * An identity of each named namespace that outlives its name (Linux: the inode of its nsfs file), taken before
     * {@link #apply} deletes them so that {@link #holders} can still find them. Names not present are left out.
     */
    default Map<String, Long> identities(Set<String> names) {
        return Map.of();
    }

    /**
     * What in user space still holds any of these namespaces (threads, processes, sockets, descriptors), one line
     * each; empty when nothing does, and the kernel destroys a deleted namespace once nothing does.
     */
    default List<String> holders(Map<String, Long> identities) {
        return List.of();
    }
}
