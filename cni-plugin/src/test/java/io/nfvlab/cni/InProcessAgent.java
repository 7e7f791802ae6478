package io.nfvlab.cni;

import io.nfvlab.agent.cni.CniSocketServer;
import io.nfvlab.agent.cni.AttachmentPublisher;
import io.nfvlab.agent.cni.CniPlugin;
import io.nfvlab.agent.cni.CniRoots;
import io.nfvlab.agent.cni.ContainerLocks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The agent's side of the executable as AgentMain wires it (CniSocketServer → CniPlugin with per-container locks),
 * in the test's JVM, on a socket of its own.
 */
final class InProcessAgent implements AutoCloseable {
    private final Path dir;
    private final CniSocketServer server;

    /** {@code roots}: as the agent's --cni-shared-root, --cni-state-root and --cni-ipam-root. */
    InProcessAgent(AttachmentPublisher publisher, CniRoots roots) {
        try {
            // a short path of its own: unix socket paths are limited to 107 bytes
            dir = Files.createTempDirectory("nvcni-agent");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = CniSocketServer.start(dir.resolve("cni.sock"), new CniPlugin(publisher, ContainerLocks.striped(64), roots)::execute);
    }

    /** Roots below {@code dir}, where {@link CniFixtures#config} puts sharedDir, stateDir and ipam.dataDir. */
    InProcessAgent(Path dir) {
        this(AttachmentPublisher.NONE, CniRoots.under(dir));
    }

    Path socket() {
        return server.path();
    }

    /** The executable run against this agent. */
    CniExecutable.Run run(Map<String, String> cniEnv, String stdin) throws Exception {
        return CniExecutable.run(CniExecutable.toAgent(cniEnv, socket()), stdin);
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(dir);
    }
}
