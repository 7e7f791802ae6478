package io.nfvlab.cni;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Asks the node's agent (over its unix socket) to publish or withdraw the pod's userspace/configuration-data
 * annotation. Best effort: the attachment works without it (the same data is in the shared directory), so a missing
 * or failing agent is reported on stderr and never fails ADD or DEL.
 */
final class AgentClient {
    private static final long TIMEOUT_MS = 3000;

    private AgentClient() {
    }

    static boolean publish(String socket, String namespace, String pod, String network, String ifname, Map<String, Object> data) {
        Map<String, Object> req = request("publish", namespace, pod, network, ifname);
        req.put("data", data);
        return send(socket, req);
    }

    static boolean withdraw(String socket, String namespace, String pod, String network, String ifname) {
        return send(socket, request("withdraw", namespace, pod, network, ifname));
    }

    private static Map<String, Object> request(String op, String namespace, String pod, String network, String ifname) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("op", op);
        req.put("podNamespace", namespace);
        req.put("podName", pod);
        req.put("network", network);
        req.put("ifName", ifname);
        return req;
    }

    private static boolean send(String socket, Map<String, Object> request) {
        Path path = Path.of(socket);
        if (!Files.exists(path)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // a hung agent must not hang the runtime: close the channel when the time is up
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(TIMEOUT_MS);
                    ch.close();
                } catch (InterruptedException | IOException e) {
                    // done in time
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            ch.connect(UnixDomainSocketAddress.of(path));
            ch.write(ByteBuffer.wrap((Json.write(request) + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer reply = ByteBuffer.allocate(4096);
            while (reply.hasRemaining() && ch.read(reply) > 0) {
                if (reply.get(reply.position() - 1) == '\n') {
                    break;
                }
            }
            watchdog.interrupt();
            String text = new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8).strip();
            if (Json.parse(text) instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("ok"))) {
                return true;
            }
            System.err.println("nfvlab-cni: agent did not publish the pod configuration: " + text);
        } catch (IOException | Json.ParseException e) {
            System.err.println("nfvlab-cni: agent socket " + socket + ": " + e.getMessage());
        }
        return false;
    }
}
