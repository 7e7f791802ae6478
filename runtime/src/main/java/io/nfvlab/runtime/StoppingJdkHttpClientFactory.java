package io.nfvlab.runtime;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * fabric8's factory for clients on the JDK's HTTP client, whose clients, when closed, also stop the JDK client's
 * selector thread and wait (briefly) for it to end. fabric8 only drops its reference, leaving that thread blocked in
 * {@code epoll_wait} until a garbage collection finds the client unreachable. A JVM that exits while any thread is
 * blocked in native code waits 300 ms for it first (HotSpot's {@code VM_Exit}), so one forgotten selector added
 * 0.3 s to every {@code nfvlab run} (bench/startup/README.md). {@code HttpClient.shutdownNow()} and
 * {@code awaitTermination} exist from Java 21 on; nfvlab is built for 17, so they are looked up at run time, and on
 * a JDK 17 a close does what fabric8's does. Clients fabric8 derives from one (other timeouts) share its JDK client and
 * its closed flag, so this runs once per JDK client, when fabric8 already shuts that client's executor down.
 */
final class StoppingJdkHttpClientFactory extends JdkHttpClientFactory {
    private static final Logger LOG = LoggerFactory.getLogger(StoppingJdkHttpClientFactory.class);
    /** Long enough for a selector thread to notice; a close never hangs on one that does not. */
    static final Duration STOP_WAIT = Duration.ofSeconds(1);

    private static final Method GET_HTTP_CLIENT = method(JdkHttpClientImpl.class, "getHttpClient");
    private static final Method SHUTDOWN_NOW = method(HttpClient.class, "shutdownNow");
    private static final Method AWAIT_TERMINATION = method(HttpClient.class, "awaitTermination", Duration.class);

    @Override
    protected void closeHttpClient(JdkHttpClientImpl client) {
        super.closeHttpClient(client);
        if (GET_HTTP_CLIENT == null || SHUTDOWN_NOW == null || AWAIT_TERMINATION == null) {
            return;
        }
        try {
            HttpClient http = (HttpClient) GET_HTTP_CLIENT.invoke(client);
            if (http != null) {
                SHUTDOWN_NOW.invoke(http);
                AWAIT_TERMINATION.invoke(http, STOP_WAIT);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("stopping the JDK HTTP client: {}", e.toString());
        }
    }

    /** Whether closing a client stops its selector thread on this JVM (Java 21 or later). */
    static boolean stopsSelectorThreads() {
        return GET_HTTP_CLIENT != null && SHUTDOWN_NOW != null && AWAIT_TERMINATION != null;
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            Method m = type.getDeclaredMethod(name, parameters);
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
