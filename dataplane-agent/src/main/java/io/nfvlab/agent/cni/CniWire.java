package io.nfvlab.agent.cni;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The framing between the {@code nfvlab-cni} executable (cni-plugin/src/main/c/nfvlab-cni.c) and the agent: one
 * request and one reply per connection, each a 4-byte magic, a body length and the body; every integer an unsigned
 * 32-bit big-endian number, every string its length and its bytes (no terminators, nothing parsed but lengths).
 * <pre>
 * request  "NVC1" len | count { len "NAME=VALUE" } len stdin
 * reply    "NVR1" len | exitCode len stdout len stderr
 * </pre>
 * The executable forwards only the CNI_* variables below; the agent keeps only those too.
 */
public final class CniWire {
    public static final int REQUEST_MAGIC = 0x4e564331; // "NVC1"
    public static final int REPLY_MAGIC = 0x4e565231;   // "NVR1"
    public static final int HEADER_BYTES = 8;
    /** The most stdin the executable forwards (a larger network configuration is refused there, CNI code 6). */
    public static final int MAX_STDIN = 1 << 20;
    /** Linux caps one environment string at 128 KiB (MAX_ARG_STRLEN). */
    public static final int MAX_ENV_ENTRY = 128 * 1024;
    public static final List<String> ENVIRONMENT = List.of("CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME",
            "CNI_ARGS", "CNI_PATH");
    public static final int MAX_REQUEST_BODY = 4 + ENVIRONMENT.size() * (4 + MAX_ENV_ENTRY) + 4 + MAX_STDIN;

    /** A request body that does not follow the format; the message says what is wrong. */
    public static final class MalformedFrame extends Exception {
        MalformedFrame(String message) {
            super(message);
        }
    }

    public record Request(Map<String, String> env, byte[] stdin) {
    }

    public record Reply(int exitCode, byte[] stdout, byte[] stderr) {
    }

    private CniWire() {
    }

    public static byte[] request(Map<String, String> env, byte[] stdin) {
        List<byte[]> entries = env.entrySet().stream()
                .map(e -> (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8)).toList();
        int body = 4 + entries.stream().mapToInt(e -> 4 + e.length).sum() + 4 + stdin.length;
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + body).putInt(REQUEST_MAGIC).putInt(body).putInt(entries.size());
        entries.forEach(e -> b.putInt(e.length).put(e));
        return b.putInt(stdin.length).put(stdin).array();
    }

    /** The body of a request whose header said {@code body.remaining()} bytes; unknown variables are dropped. */
    public static Request parseRequest(ByteBuffer body) throws MalformedFrame {
        int count = uint(body, "variable count");
        if (count > 64) {
            throw new MalformedFrame(count + " environment variables (at most 64)");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String entry = new String(bytes(body, MAX_ENV_ENTRY, "environment variable"), StandardCharsets.UTF_8);
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new MalformedFrame("environment entry " + i + " is not NAME=VALUE");
            }
            String name = entry.substring(0, eq);
            if (ENVIRONMENT.contains(name) && env.put(name, entry.substring(eq + 1)) != null) {
                throw new MalformedFrame(name + " given twice");
            }
        }
        byte[] stdin = bytes(body, MAX_STDIN, "stdin");
        if (body.hasRemaining()) {
            throw new MalformedFrame(body.remaining() + " bytes after the request");
        }
        return new Request(env, stdin);
    }

    public static byte[] reply(int exitCode, byte[] stdout, byte[] stderr) {
        int body = 4 + 4 + stdout.length + 4 + stderr.length;
        return ByteBuffer.allocate(HEADER_BYTES + body).putInt(REPLY_MAGIC).putInt(body).putInt(exitCode)
                .putInt(stdout.length).put(stdout).putInt(stderr.length).put(stderr).array();
    }

    /** A whole reply, header included (what a client reads). */
    public static Reply parseReply(ByteBuffer frame) throws MalformedFrame {
        if (frame.remaining() < HEADER_BYTES || frame.getInt() != REPLY_MAGIC) {
            throw new MalformedFrame("not a reply");
        }
        if (uint(frame, "length") != frame.remaining()) {
            throw new MalformedFrame("reply length does not match");
        }
        int exit = uint(frame, "exit code");
        byte[] out = bytes(frame, Integer.MAX_VALUE, "stdout");
        byte[] err = bytes(frame, Integer.MAX_VALUE, "stderr");
        return new Reply(exit, out, err);
    }

    private static int uint(ByteBuffer b, String what) throws MalformedFrame {
        if (b.remaining() < 4) {
            throw new MalformedFrame("frame ends inside the " + what);
        }
        int v = b.getInt();
        if (v < 0) {
            throw new MalformedFrame(what + " over 2 GiB");
        }
        return v;
    }

    private static byte[] bytes(ByteBuffer b, int max, String what) throws MalformedFrame {
        int n = uint(b, what + " length");
        if (n > max) {
            throw new MalformedFrame(what + " of " + n + " bytes (at most " + max + ")");
        }
        if (n > b.remaining()) {
            throw new MalformedFrame("frame ends inside the " + what);
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }
}
