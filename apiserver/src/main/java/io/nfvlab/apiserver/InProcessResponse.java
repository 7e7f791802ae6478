package io.nfvlab.apiserver;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.StandardHttpHeaders;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A whole answer of the in-process server, handed to fabric8's body consumer in one piece when it asks. */
final class InProcessResponse extends StandardHttpHeaders implements HttpResponse<AsyncBody> {
    private final int code;
    private final HttpRequest request;
    private final Body body;

    InProcessResponse(int code, Map<String, List<String>> headers, byte[] bytes, HttpRequest request,
            AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        super(headers);
        this.code = code;
        this.request = request;
        this.body = new Body(bytes, consumer);
    }

    @Override
    public int code() {
        return code;
    }

    @Override
    public AsyncBody body() {
        return body;
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public Optional<HttpResponse<?>> previousResponse() {
        return Optional.empty();
    }

    private static final class Body implements AsyncBody {
        private final AsyncBody.Consumer<List<ByteBuffer>> consumer;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private byte[] remaining;

        Body(byte[] bytes, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
            this.remaining = bytes == null || bytes.length == 0 ? null : bytes;
            this.consumer = consumer;
        }

        @Override
        public void consume() {
            byte[] next;
            synchronized (this) {
                next = remaining;
                remaining = null;
            }
            if (next == null || done.isDone()) {
                done.complete(null);
                return;
            }
            try {
                // consumers ask for the next piece from inside consume(): that call finds none and completes the body
                consumer.consume(List.of(ByteBuffer.wrap(next)), this);
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }

        @Override
        public CompletableFuture<Void> done() {
            return done;
        }

        @Override
        public void cancel() {
            synchronized (this) {
                remaining = null;
            }
            done.cancel(false);
        }
    }
}
