package io.nfvlab.agent.kernel.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A NETLINK_ROUTE socket bound to one network namespace: the socket is opened with the calling thread inside the
 * namespace and keeps acting there after the thread has left, so a pooled thread configures a host without a
 * process and without staying in it. Requests are sent in one go and their acknowledgements read afterwards, so
 * a host's whole configuration costs a few system calls instead of an {@code ip} process.
 */
final class Rtnetlink implements AutoCloseable {
    static final short RTM_NEWLINK = 16;
    static final short RTM_DELLINK = 17;
    static final short RTM_GETLINK = 18;
    static final short RTM_NEWADDR = 20;
    static final short RTM_DELADDR = 21;
    static final short RTM_GETADDR = 22;
    static final short RTM_NEWROUTE = 24;
    static final short RTM_GETROUTE = 26;
    static final short RTM_NEWNEIGH = 28;
    static final short RTM_GETNEIGH = 30;
    static final short RTM_GETQDISC = 38;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW_CLOEXEC = 3 | 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVTIMEO = 20;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;
    private static final short NLMSG_ERROR = 2;
    private static final short NLMSG_DONE = 3;
    private static final int NLM_F_ACK_TLVS = 0x200;
    private static final int NLMSGERR_ATTR_MSG = 1;
    private static final int HEADER = 16;
    /** Requests in flight before their acknowledgements are read: far below what the receive buffer holds. */
    private static final int WINDOW = 256;

    private final int fd;
    private final String where;
    private static final int RECEIVE_BUFFER = 256 * 1024;
    /**
     * Where each thread receives: native memory the kernel writes into, and the Java copy of what it wrote. A byte[]
     * passed to recv through JNA is copied whole into native memory and back on every call — 512 KiB of copying
     * (and a fresh 256 KiB allocation per socket) for each acknowledgement of a few dozen bytes; a build of linear,100
     * reads about 1,500 of them. Per thread, not per socket: a socket is used by the thread that opened it, one
     * call at a time, and 10,000 namespaces read must not allocate 10,000 buffers.
     */
    private static final ThreadLocal<ReceiveBuffer> RECEIVE = ThreadLocal.withInitial(ReceiveBuffer::new);

    private static final class ReceiveBuffer {
        final Memory in = new Memory(RECEIVE_BUFFER);
        final byte[] copy = new byte[RECEIVE_BUFFER];
    }
    private int seq;

    private Rtnetlink(int fd, String where) {
        this.fd = fd;
        this.where = where;
    }

    /** Opens a socket in {@code netns} (null: the agent's own namespace). */
    static Rtnetlink open(String netns) throws IOException {
        LibC c = LibC.INSTANCE;
        String where = netns == null ? "the node's namespace" : "namespace " + netns;
        try (ThreadNetns in = ThreadNetns.enter(netns)) {
            int fd = c.socket(AF_NETLINK, SOCK_RAW_CLOEXEC, NETLINK_ROUTE);
            try {
                option(fd, SOL_SOCKET, SO_RCVBUF, 1 << 20);
                option(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
                option(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
                Memory timeout = new Memory(16);
                timeout.setLong(0, 30);
                timeout.setLong(8, 0);
                c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16);
                return new Rtnetlink(fd, where);
            } catch (LastErrorException e) {
                c.close(fd);
                throw e;
            }
        } catch (LastErrorException e) {
            throw new IOException("cannot open a netlink socket in " + where + ": " + strerror(e.getErrorCode()), e);
        }
    }

    private static void option(int fd, int level, int name, int value) {
        Memory m = new Memory(4);
        m.setInt(0, value);
        LibC.INSTANCE.setsockopt(fd, level, name, m, 4);
    }

    static String strerror(int errno) {
        try {
            return LibC.INSTANCE.strerror(errno);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return "errno " + errno;
        }
    }

    /** One request: a message type, flags and a body built with {@link Message}. */
    record Request(short type, int flags, Message body) {
    }

    /**
     * Sends the requests with acknowledgements asked for and returns, per request, null when it succeeded or the
     * kernel's reason (with its extended message where it gives one).
     */
    List<String> execute(List<Request> requests) throws IOException {
        List<String> out = new ArrayList<>(requests.size());
        for (int from = 0; from < requests.size(); from += WINDOW) {
            List<Request> window = requests.subList(from, Math.min(requests.size(), from + WINDOW));
            int first = seq + 1;
            ByteBuffer all = order(ByteBuffer.allocate(window.stream().mapToInt(r -> HEADER + r.body().length() + 4).sum()));
            for (Request r : window) {
                seq++;
                byte[] body = r.body().bytes();
                all.putInt(HEADER + body.length).putShort(r.type()).putShort((short) (r.flags() | NLM_F_REQUEST | NLM_F_ACK))
                        .putInt(seq).putInt(0).put(body);
                while (all.position() % 4 != 0) {
                    all.put((byte) 0);
                }
            }
            send(all);
            String[] answers = new String[window.size()];
            int pending = window.size();
            while (pending > 0) {
                ByteBuffer in = receive();
                for (Header h = next(in); h != null; h = next(in)) {
                    int i = h.seq() - first;
                    if (h.type() == NLMSG_ERROR && i >= 0 && i < answers.length) {
                        int error = -in.getInt();
                        answers[i] = error == 0 ? null : reason(error, in, h.end(), h.flags());
                        pending--;
                    }
                    in.position(align(h.end(), in.limit()));
                }
            }
            for (String a : answers) {
                out.add(a);
            }
        }
        return out;
    }

    /** A dump request; every answer message's payload (after its header) is handed to {@code each}. */
    void dump(short type, Message body, Consumer<ByteBuffer> each) throws IOException {
        seq++;
        byte[] b = body.bytes();
        ByteBuffer req = order(ByteBuffer.allocate(HEADER + b.length));
        req.putInt(HEADER + b.length).putShort(type).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(seq).putInt(0).put(b);
        send(req);
        while (true) {
            ByteBuffer in = receive();
            for (Header h = next(in); h != null; h = next(in)) {
                if (h.seq() == seq) {
                    if (h.type() == NLMSG_DONE) {
                        return;
                    }
                    if (h.type() == NLMSG_ERROR) {
                        int error = -in.getInt();
                        throw new IOException("netlink dump in " + where + ": " + reason(error, in, h.end(), h.flags()));
                    }
                    each.accept(order(ByteBuffer.wrap(in.array(), h.start() + HEADER, h.end() - h.start() - HEADER).slice()));
                }
                in.position(align(h.end(), in.limit()));
            }
        }
    }

    /** One answer's header; {@code end} is where its payload ends. */
    private record Header(int start, int end, short type, int flags, int seq) {
    }

    /** Reads the next header of {@code in}, leaving the position at its payload; null when none is left. */
    private Header next(ByteBuffer in) throws IOException {
        if (in.remaining() < HEADER) {
            return null;
        }
        int start = in.position();
        int len = in.getInt();
        short type = in.getShort();
        int flags = in.getShort() & 0xffff;
        int seq = in.getInt();
        in.getInt();
        if (len < HEADER || start + len > in.limit()) {
            throw new IOException("netlink: malformed answer in " + where);
        }
        return new Header(start, start + len, type, flags, seq);
    }

    private void send(ByteBuffer data) throws IOException {
        byte[] bytes = data.array();
        long n = LibC.INSTANCE.send(fd, bytes, data.position(), 0);
        if (n != data.position()) {
            throw new IOException("netlink send in " + where + " failed: " + (n < 0 ? strerror(com.sun.jna.Native.getLastError()) : "short write"));
        }
    }

    private ByteBuffer receive() throws IOException {
        ReceiveBuffer buf = RECEIVE.get();
        long n = LibC.INSTANCE.recv(fd, buf.in, RECEIVE_BUFFER, 0);
        if (n < 0) {
            throw new IOException("netlink receive in " + where + " failed: " + strerror(com.sun.jna.Native.getLastError()));
        }
        buf.in.read(0, buf.copy, 0, (int) n);
        return order(ByteBuffer.wrap(buf.copy, 0, (int) n));
    }

    /** The error's text, with the extended-ack message the kernel attached (NLM_F_ACK_TLVS) when there is one. */
    private static String reason(int errno, ByteBuffer in, int end, int flags) {
        String text = strerror(errno);
        if ((flags & NLM_F_ACK_TLVS) != 0) {
            // with NETLINK_CAP_ACK only the request's header is echoed back; the attributes follow it
            int p = in.position() + HEADER;
            while (p + 4 <= end) {
                int alen = in.getShort(p) & 0xffff;
                int atype = in.getShort(p + 2) & 0x3fff;
                if (alen < 4 || p + alen > end) {
                    break;
                }
                if (atype == NLMSGERR_ATTR_MSG) {
                    String msg = new String(in.array(), in.arrayOffset() + p + 4, alen - 4, StandardCharsets.UTF_8).replace("\0", "");
                    if (!msg.isBlank()) {
                        text = text + " (" + msg.strip() + ")";
                    }
                }
                p += (alen + 3) & ~3;
            }
        }
        return text;
    }

    private static int align(int p, int limit) {
        return Math.min(limit, (p + 3) & ~3);
    }

    static ByteBuffer order(ByteBuffer b) {
        return b.order(ByteOrder.nativeOrder());
    }

    @Override
    public void close() {
        LibC.INSTANCE.close(fd);
    }

    /** A message body: a fixed header followed by attributes (nested ones through {@link #nest}). */
    static final class Message {
        private ByteBuffer b = order(ByteBuffer.allocate(128));

        Message u8(int v) {
            room(1);
            b.put((byte) v);
            return this;
        }

        Message u16(int v) {
            room(2);
            b.putShort((short) v);
            return this;
        }

        Message u32(int v) {
            room(4);
            b.putInt(v);
            return this;
        }

        Message attr(int type, byte[] value) {
            room(4 + value.length + 3);
            b.putShort((short) (4 + value.length)).putShort((short) type).put(value);
            pad();
            return this;
        }

        Message attrU32(int type, int value) {
            return attr(type, order(ByteBuffer.allocate(4)).putInt(value).array());
        }

        /** A NUL-terminated string attribute. */
        Message attrString(int type, String value) {
            byte[] s = value.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[s.length + 1];
            System.arraycopy(s, 0, z, 0, s.length);
            return attr(type, z);
        }

        private void pad() {
            while (b.position() % 4 != 0) {
                b.put((byte) 0);
            }
        }

        private void room(int n) {
            if (b.remaining() < n) {
                ByteBuffer bigger = order(ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n)));
                b.flip();
                bigger.put(b);
                b = bigger;
            }
        }

        int length() {
            return b.position();
        }

        byte[] bytes() {
            byte[] out = new byte[b.position()];
            System.arraycopy(b.array(), 0, out, 0, out.length);
            return out;
        }
    }

    /** Walks the attributes of {@code payload} from {@code offset}: type → value (a slice in native order). */
    static void attributes(ByteBuffer payload, int offset, java.util.function.BiConsumer<Integer, ByteBuffer> each) {
        int p = offset;
        int end = payload.limit();
        while (p + 4 <= end) {
            int len = payload.getShort(p) & 0xffff;
            int type = payload.getShort(p + 2) & 0x3fff;
            if (len < 4 || p + len > end) {
                return;
            }
            each.accept(type, order(payload.duplicate().position(p + 4).limit(p + len).slice()));
            p += (len + 3) & ~3;
        }
    }

    static String string(ByteBuffer v) {
        byte[] bytes = new byte[v.remaining()];
        v.duplicate().get(bytes);
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
