package io.nfvlab.agent.kernel;

import java.util.List;
import java.util.Set;

/** Network namespaces. Linux: {@code ip netns list}, and one {@code ip -batch} of {@code netns add|del} lines. */
public interface NetnsOps {
    /** Names of the namespaces starting with {@code nfv-}. */
    Set<String> list();

    /** Creates (NetnsAdd) or deletes (NetnsDel) namespaces; deleting one that is gone is not a failure. */
    BatchResult apply(List<Action> actions);
}
