package io.nfvlab.cli.run;

import io.nfvlab.apiserver.EmbeddedApiServer;

import java.util.concurrent.CompletableFuture;

/**
 * The in-process API server made, and its CRDs installed, on a thread of its own from the moment {@code nfvlab run}
 * begins: meanwhile the main thread reads the files, checks the host and announces the network, which leaves a core
 * half idle. Nothing of it is visible outside the JVM (no port, no file), so a run that stops at a bad file loses
 * nothing but the work; {@link #close} then stops the server. A control plane takes the server over with
 * {@link #handOver} and closes it itself.
 */
final class ApiServerStart implements AutoCloseable {
    private final CompletableFuture<EmbeddedApiServer> server = new CompletableFuture<>();
    private final CompletableFuture<Void> crds = new CompletableFuture<>();
    private volatile boolean handedOver;

    private ApiServerStart() {
    }

    static ApiServerStart begin() {
        ApiServerStart start = new ApiServerStart();
        Thread t = new Thread(start::run, "nfvlab-api-server-start");
        t.setDaemon(true);
        t.start();
        return start;
    }

    private void run() {
        EmbeddedApiServer made;
        try {
            made = EmbeddedApiServer.inProcess();
        } catch (RuntimeException | Error e) {
            server.completeExceptionally(e);
            crds.completeExceptionally(e);
            return;
        }
        server.complete(made);
        try {
            made.installCrds();
            crds.complete(null);
        } catch (RuntimeException | Error e) {
            crds.completeExceptionally(e);
        }
    }

    /** The server, once made; from now on the caller closes it. */
    EmbeddedApiServer handOver() {
        EmbeddedApiServer made = EmbeddedControlPlane.join(server);
        handedOver = true;
        return made;
    }

    /** Returns once the CRDs are installed; throws what their install threw. */
    void awaitCrds() {
        EmbeddedControlPlane.join(crds);
    }

    /**
     * Stops a server nobody took over (the run ended before its control plane started), once its CRDs' install is
     * over: at once when it is, else on the thread that installs them. The caller does not wait for it.
     */
    @Override
    public void close() {
        if (handedOver) {
            return;
        }
        // the server is made (or failed) before its CRDs' install ends
        crds.whenComplete((installed, failed) -> {
            if (!server.isCompletedExceptionally()) {
                server.join().close();
            }
        });
    }
}
