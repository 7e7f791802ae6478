package io.nfvlab.apiserver;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries the requests of clients in this JVM to the in-process API server by a method call instead of over loopback
 * TCP: the same requests, headers and JSON bodies reach the same dispatcher (token, size limits, schema and CEL), only
 * the sockets, HTTP framing and thread hand-overs are gone. Those were a quarter of `nfvlab run`'s CPU and a hop
 * through two selector threads on every request and watch event (bench/startup/README.md).
 * <p>
 * Like a server that goes down, {@link #stop()} refuses new requests and cuts open watches; {@link #start()} serves
 * again.
 */
final class InProcessTransport {
    private final Dispatcher dispatcher;
    private volatile boolean serving = true;
    private final Set<InProcessWebSocket> open = ConcurrentHashMap.newKeySet();

    InProcessTransport(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** fabric8's factory of clients on this transport. */
    HttpClient.Factory clientFactory() {
        return new InProcessHttpClient.Factory(this);
    }

    /** The server's answer to {@code request}, as its HTTP listener would give it. */
    MockResponse exchange(RecordedRequest request) throws ConnectException {
        if (!serving) {
            throw new ConnectException("the in-process API server is stopped");
        }
        return dispatcher.dispatch(request);
    }

    void opened(InProcessWebSocket socket) {
        open.add(socket);
        // a stop that ran between the request and this registration must still cut it
        if (!serving) {
            socket.abort("the in-process API server is stopped");
        }
    }

    void closed(InProcessWebSocket socket) {
        open.remove(socket);
    }

    void stop() {
        serving = false;
        open.forEach(s -> s.abort("the in-process API server stopped"));
    }

    void start() {
        serving = true;
    }

    /** Watches open now, for tests. */
    int openWebSockets() {
        return open.size();
    }
}
