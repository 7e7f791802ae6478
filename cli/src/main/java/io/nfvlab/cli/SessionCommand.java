package io.nfvlab.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A Mininet-style command: it runs against a session, which the prompt hands in ({@link #useSession}) or which the
 * command opens from its cluster options when run as {@code nfvlab <command>}.
 */
public abstract class SessionCommand implements Callable<Integer> {
    @Mixin
    protected ClusterOptions cluster;

    @Spec
    protected CommandSpec spec;

    private Session given;

    public void useSession(Session session) {
        this.given = session;
    }

    @Override
    public Integer call() throws Exception {
        if (given != null) {
            // at the prompt, --topology and --namespace still choose what the command addresses
            Session session = given;
            if (cluster.topology != null || cluster.namespace != null) {
                session = given.toBuilder()
                        .topologyName(cluster.topology != null ? cluster.topology : given.getTopologyName())
                        .namespace(cluster.namespace != null ? cluster.namespace : given.getNamespace())
                        .ownsClient(false)
                        .build();
            }
            return run(session);
        }
        try (Session session = cluster.open(spec.commandLine().getOut(), spec.commandLine().getErr())) {
            return run(session);
        }
    }

    protected abstract int run(Session session) throws Exception;
}
