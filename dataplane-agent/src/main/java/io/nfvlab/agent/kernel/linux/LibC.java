package io.nfvlab.agent.kernel.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The libc calls the Linux dataplane makes directly (sockets, namespaces, ioctls). */
interface LibC extends Library {
    LibC INSTANCE = load();

    /**
     * glibc by its soname: JNA's "c" first tries libc.so, which on a machine with libc6-dev is a linker script that
     * cannot be loaded, and then runs `ldconfig -p` to find the real library — a process at every start.
     */
    private static LibC load() {
        try {
            return Native.load("libc.so.6", LibC.class);
        } catch (UnsatisfiedLinkError notGlibc) {
            return Native.load("c", LibC.class);
        }
    }

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] addr, int len) throws LastErrorException;

    int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    long recv(int fd, byte[] buf, long len, int flags);

    long recv(int fd, Pointer buf, long len, int flags);

    long send(int fd, byte[] buf, long len, int flags);

    int close(int fd);

    int if_nametoindex(String name);

    int open(String path, int flags) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int gettid();

    int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    int sched_setscheduler(int pid, int policy, int[] param);

    String strerror(int errno);
}
