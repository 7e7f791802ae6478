package io.nfvlab.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The probe and metrics endpoints under clients that misbehave: slowloris, slow scrapes, floods. */
class MetricsServerTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final CountDownLatch releaseScrape = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        releaseScrape.countDown();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void probesAreAnsweredPromptlyWhileSlowClientsHoldHalfSentRequests() throws Exception {
        // the constructor the operator and agent used before the server was bounded: this test ran against it too
        MetricsServer server = track(MetricsServer.start(0, () -> "nfvlab_up 1\n", () -> true));
        for (int i = 0; i < 20; i++) {
            Socket slow = track(new Socket(InetAddress.getLoopbackAddress(), server.port()));
            slow.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
        }
        long t0 = System.nanoTime();
        assertThat(get(server, "/healthz", Duration.ofSeconds(2)).statusCode()).isEqualTo(200);
        assertThat(get(server, "/readyz", Duration.ofSeconds(2)).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = get(server, "/metrics", Duration.ofSeconds(2));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).isEqualTo("nfvlab_up 1\n");
        System.out.printf("three answers beside 20 half-sent requests in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void aClientThatNeverFinishesItsRequestIsDroppedAtTheReadDeadline() throws Exception {
        MetricsServer server = track(MetricsServer.start(MetricsServer.Settings.onPort(0).withReadDeadline(Duration.ofMillis(300)),
                () -> "", () -> true));
        Socket slow = track(new Socket(InetAddress.getLoopbackAddress(), server.port()));
        slow.setSoTimeout(10_000);
        OutputStream out = slow.getOutputStream();
        out.write("GET /healthz HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long t0 = System.nanoTime();
        // the server closes the connection without an answer: end of stream, well before the 10 s socket timeout
        assertThat(slow.getInputStream().read()).isEqualTo(-1);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("half-sent request dropped after %d ms (deadline 300 ms)%n", ms);
        assertThat(ms).isLessThan(5_000);
    }

    @Test
    void aScrapeThatHangsDelaysNoProbe() throws Exception {
        CountDownLatch scraping = new CountDownLatch(1);
        MetricsServer server = track(MetricsServer.start(0, () -> {
            scraping.countDown();
            await(releaseScrape);
            return "late 1\n";
        }, () -> false));
        HttpClient client = HttpClient.newHttpClient();
        var pending = client.sendAsync(request(server, "/metrics", Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString());
        assertThat(scraping.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(get(server, "/healthz", Duration.ofSeconds(2)).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get(server, "/readyz", Duration.ofSeconds(2));
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("not ready\n");

        releaseScrape.countDown();
        assertThat(pending.get(10, TimeUnit.SECONDS).body()).isEqualTo("late 1\n");
    }

    @Test
    void scrapesQueueingBehindAHungOneAreRefusedNotPiledUp() throws Exception {
        CountDownLatch scraping = new CountDownLatch(1);
        MetricsServer server = track(MetricsServer.start(0, () -> {
            scraping.countDown();
            await(releaseScrape);
            return "";
        }, () -> true));
        HttpClient client = HttpClient.newHttpClient();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        waiting.add(client.sendAsync(request(server, "/metrics", Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString()));
        assertThat(scraping.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 4; i++) {
            waiting.add(client.sendAsync(request(server, "/metrics", Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString()));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.scrapesWaiting() < 4 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(server.scrapesWaiting()).isEqualTo(4);
        HttpResponse<String> refused = get(server, "/metrics", Duration.ofSeconds(2));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("busy");
        releaseScrape.countDown();
        for (var w : waiting) {
            assertThat(w.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aFloodOfIdleConnectionsBeyondTheCapCannotLockOutAProbe() throws Exception {
        MetricsServer server = track(MetricsServer.start(MetricsServer.Settings.onPort(0).withMaxConnections(8)
                .withReadDeadline(Duration.ofSeconds(30)), () -> "", () -> true));
        for (int i = 0; i < 40; i++) {
            track(new Socket(InetAddress.getLoopbackAddress(), server.port()));
        }
        assertThat(get(server, "/healthz", Duration.ofSeconds(2)).statusCode()).isEqualTo(200);
    }

    @Test
    void bindsTheAddressItIsGivenAndRefusesANameInsteadOfAnAddress() throws Exception {
        MetricsServer server = track(MetricsServer.start(MetricsServer.Settings.onPort(0).withAddress("127.0.0.1"), () -> "", () -> true));
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(get(server, "/healthz", Duration.ofSeconds(2)).statusCode()).isEqualTo(200);
        assertThat(MetricsServer.start(MetricsServer.Settings.onPort(0), () -> "", () -> true))
                .satisfies(s -> {
                    track(s);
                    assertThat(s.address().getAddress().isAnyLocalAddress()).isTrue();
                });
        assertThatThrownBy(() -> MetricsServer.start(MetricsServer.Settings.onPort(0).withAddress("metrics.example.com"), () -> "", () -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metrics address \"metrics.example.com\" is not an IP address");
    }

    @Test
    void unknownPathsAndOtherMethodsGetTheirStatusCodes() throws Exception {
        MetricsServer server = track(MetricsServer.start(0, () -> "", () -> true));
        HttpResponse<String> missing = get(server, "/nope", Duration.ofSeconds(2));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("/healthz, /metrics, /readyz");
        HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                .timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(get(server, "/healthz?verbose", Duration.ofSeconds(2)).statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestHeadLargerThanTheCapIsRefused() throws Exception {
        MetricsServer server = track(MetricsServer.start(0, () -> "", () -> true));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(("GET /healthz HTTP/1.1\r\nX-Padding: " + "a".repeat(10_000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 431 ");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer to an oversized request head", e);
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private static HttpRequest request(MetricsServer server, String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(timeout).build();
    }

    private static HttpResponse<String> get(MetricsServer server, String path, Duration timeout) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request(server, path, timeout), HttpResponse.BodyHandlers.ofString());
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
