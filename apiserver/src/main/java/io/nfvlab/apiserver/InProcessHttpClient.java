package io.nfvlab.apiserver;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.StandardHttpClient;
import io.fabric8.kubernetes.client.http.StandardHttpClientBuilder;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.http.StandardWebSocketBuilder;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.http.WebSocketResponse;
import io.fabric8.kubernetes.client.http.WebSocketUpgradeResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * fabric8's HTTP client on the {@link InProcessTransport}. Each request is answered on the calling thread; fabric8's
 * interceptors (the bearer token among them), retries and body handling are its own, as on any other transport.
 */
final class InProcessHttpClient extends StandardHttpClient<InProcessHttpClient, InProcessHttpClient.Factory, InProcessHttpClient.Builder> {
    private final InProcessTransport transport;

    private InProcessHttpClient(Builder builder, AtomicBoolean closed, InProcessTransport transport) {
        super(builder, closed);
        this.transport = transport;
    }

    @Override
    public CompletableFuture<HttpResponse<AsyncBody>> consumeBytesDirect(StandardHttpRequest request,
            AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        try {
            MockResponse answer = transport.exchange(recorded(request));
            Buffer body = answer.getBody();
            return CompletableFuture.completedFuture(new InProcessResponse(answer.code(), answer.getHeaders().toMultimap(),
                    body == null ? null : body.getBytes(), request, consumer));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<WebSocketResponse> buildWebSocketDirect(StandardWebSocketBuilder builder, WebSocket.Listener listener) {
        StandardHttpRequest request = builder.asHttpRequest();
        try {
            InProcessTransport.WatchOpening opening = transport.openWatch(recorded(request), listener);
            MockResponse answer = opening.answer();
            if (opening.socket() == null) {
                WebSocketUpgradeResponse refused = new WebSocketUpgradeResponse(request, answer.code(), answer.getHeaders().toMultimap());
                return CompletableFuture.completedFuture(new WebSocketResponse(refused,
                        new IOException("the API server answered " + answer.code() + " instead of opening a watch")));
            }
            return CompletableFuture.completedFuture(new WebSocketResponse(new WebSocketUpgradeResponse(request), opening.socket().client()));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@code request} as the server's HTTP listener would record it: method, path with query, headers, body. */
    private static RecordedRequest recorded(StandardHttpRequest request) throws IOException {
        URI uri = request.uri();
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        Headers.Builder headers = Headers.builder();
        request.headers().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        byte[] body = bodyOf(request);
        if (request.getContentType() != null && request.header("Content-Type") == null) {
            headers.add("Content-Type", request.getContentType());
        }
        return new RecordedRequest("HTTP/1.1", HttpMethod.valueOf(request.method().toUpperCase(Locale.ROOT)), path,
                headers.build(), new Buffer(body));
    }

    private static byte[] bodyOf(StandardHttpRequest request) throws IOException {
        StandardHttpRequest.BodyContent content = request.body();
        if (content instanceof StandardHttpRequest.StringBodyContent s) {
            return s.getContent().getBytes(StandardCharsets.UTF_8);
        }
        if (content instanceof StandardHttpRequest.ByteArrayBodyContent b) {
            return b.getContent();
        }
        if (content instanceof StandardHttpRequest.InputStreamBodyContent in) {
            try (InputStream stream = in.getContent()) {
                return stream.readAllBytes();
            }
        }
        return null;
    }

    @Override
    protected void doClose() {
        // nothing is held open per client: its watches end when fabric8 closes them, or with the server
    }

    /** fabric8's factory of in-process clients (it asks the factory for a builder; the builder makes the clients). */
    static final class Factory implements io.fabric8.kubernetes.client.http.HttpClient.Factory {
        private final InProcessTransport transport;

        Factory(InProcessTransport transport) {
            this.transport = transport;
        }

        @Override
        public Builder newBuilder() {
            return new Builder(this);
        }
    }

    static final class Builder extends StandardHttpClientBuilder<InProcessHttpClient, Factory, Builder> {
        Builder(Factory factory) {
            super(factory);
        }

        @Override
        public InProcessHttpClient build() {
            // clients derived from one (other timeouts, other interceptors) share its closed flag, as fabric8's do
            AtomicBoolean closed = client == null ? new AtomicBoolean() : client.getClosed();
            return new InProcessHttpClient(this, closed, clientFactory.transport);
        }

        @Override
        protected Builder newInstance(Factory factory) {
            return new Builder(factory);
        }

        /**
         * No TLS between a client and a server in one JVM: the context fabric8 asks for would never be used, and making
         * one is the JVM's first use of its security providers (≈8 ms of the main thread before `nfvlab run` starts).
         */
        @Override
        public Builder sslContext(KeyManager[] keyManagers, TrustManager[] trustManagers) {
            return this;
        }
    }
}
