/*
 * nfvlab-cni: the CNI executable, a thin client of the nfvlab agent.
 *
 * The plugin's work (validation, OVS port, IPAM delegation, state file, pod annotation) runs in the agent, a
 * long-lived JVM, through its unix socket; this program only forwards the invocation and prints the answer, so a
 * call costs a process start and a round trip instead of a JVM start. It copies bytes and nothing more: it parses
 * no JSON, interprets no user string and runs no shell.
 *
 *   1. connect to $NFVLAB_CNI_SOCKET (default /var/run/nfvlab/agent/cni.sock);
 *   2. no agent there (no socket file, or nobody listening): execute the JVM plugin instead,
 *      $NFVLAB_CNI_FALLBACK (default: nfvlab-cni-jvm next to this executable; empty: none), with this process's
 *      argv, environment and untouched stdin, so the plugin also works on a node without an agent; without a
 *      fallback answer CNI error 11 (try again later);
 *   3. read stdin (at most 1 MiB: more is CNI error 6, as the plugin itself answers), send one request
 *      ("NVC1" length | count { length NAME=VALUE } length stdin) carrying CNI_COMMAND, CNI_CONTAINERID,
 *      CNI_NETNS, CNI_IFNAME, CNI_ARGS and CNI_PATH where set;
 *   4. read one reply ("NVR1" length | exit-code length stdout length stderr), write its stdout and stderr, exit
 *      with its code. An agent that goes away, answers late ($NFVLAB_CNI_TIMEOUT_MS, default 120000) or answers
 *      with a broken frame is CNI error 11: the request may or may not have run, and the runtime's retry or DEL
 *      puts that right.
 *
 * VERSION is answered here, with or without an agent (runtimes ask it before anything else, also to probe a node
 * whose agent is not up yet): {"cniVersion":V,"supportedVersions":[...]}, V the configuration's cniVersion when it
 * is one of the supported ones, else the latest. SUPPORTED_VERSIONS must list what the agent's CniRequest accepts.
 *
 * Error objects this program prints carry the request's cniVersion the same way (a runtime refuses an error of a
 * version it did not ask for). Finding it is the one look into stdin: the first "cniVersion" key's string value,
 * used only when it equals one of the supported versions, so nothing of the user's text is ever echoed.
 *
 * Integers on the wire are unsigned 32-bit big-endian. The agent's side is io.nfvlab.agent.cni.CniWire.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/var/run/nfvlab/agent/cni.sock"
#define FALLBACK_NAME "nfvlab-cni-jvm"
#define MAX_STDIN (1u << 20)
#define MAX_REPLY (4u << 20)
#define DEFAULT_TIMEOUT_MS 120000
#define REQUEST_MAGIC 0x4e564331u /* "NVC1" */
#define REPLY_MAGIC 0x4e565231u   /* "NVR1" */

/* CNI error codes, as the spec numbers them */
#define CNI_INVALID_ENVIRONMENT 4
#define CNI_IO_FAILURE 5
#define CNI_DECODE_FAILURE 6
#define CNI_TRY_AGAIN_LATER 11

static const char *const supported_versions[] = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"};
#define SUPPORTED_COUNT (sizeof supported_versions / sizeof supported_versions[0])
#define LATEST_VERSION "1.1.0"

/* the version errors and VERSION answer in: the latest until stdin names a supported one */
static const char *answer_version = LATEST_VERSION;

static const char *const forwarded[] = {
    "CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH",
};
#define FORWARDED_COUNT (sizeof forwarded / sizeof forwarded[0])

static int64_t deadline_ms;
static unsigned char stdin_buf[MAX_STDIN + 1];

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining_ms(void)
{
    int64_t left = deadline_ms - now_ms();
    return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

/* Waits until fd is ready for events or the deadline passes; 0 when ready, -1 (errno ETIMEDOUT) when late. */
static int wait_ready(int fd, short events)
{
    for (;;) {
        struct pollfd p = {.fd = fd, .events = events};
        int left = remaining_ms();
        if (left == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        int n = poll(&p, 1, left);
        if (n > 0) {
            return 0; /* readable, writable, or an error or hang-up that the next call reports */
        }
        if (n < 0 && errno != EINTR) {
            return -1;
        }
    }
}

/* Writes all of buf; -1 with errno on failure (EPIPE, ETIMEDOUT, ...). Works on blocking and non-blocking fds. */
static int write_all(int fd, const unsigned char *buf, size_t len, int is_socket)
{
    while (len > 0) {
        ssize_t n = is_socket ? send(fd, buf, len, MSG_NOSIGNAL) : write(fd, buf, len);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wait_ready(fd, POLLOUT) < 0) {
                return -1;
            }
        } else {
            if (n == 0) {
                errno = EIO;
            }
            return -1;
        }
    }
    return 0;
}

/* Reads up to len bytes, stopping early only at end of input; returns the count or -1 with errno. */
static ssize_t read_upto(int fd, unsigned char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n > 0) {
            got += (size_t)n;
        } else if (n == 0) {
            break;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (wait_ready(fd, POLLIN) < 0) {
                return -1;
            }
        } else {
            return -1;
        }
    }
    return (ssize_t)got;
}

/* A CNI error object on stdout; msg is this program's own text (a constant or strerror), escaped anyway. */
static int cni_error(int code, const char *msg)
{
    char out[1024];
    int n = snprintf(out, sizeof out, "{\"cniVersion\":\"%s\",\"code\":%d,\"msg\":\"", answer_version, code);
    for (const unsigned char *p = (const unsigned char *)msg; *p != '\0' && n < (int)sizeof out - 16; p++) {
        if (*p == '"' || *p == '\\') {
            out[n++] = '\\';
            out[n++] = (char)*p;
        } else if (*p < 0x20 || *p >= 0x7f) {
            n += snprintf(out + n, sizeof out - (size_t)n, "\\u%04x", *p);
        } else {
            out[n++] = (char)*p;
        }
    }
    n += snprintf(out + n, sizeof out - (size_t)n, "\"}\n");
    write_all(STDOUT_FILENO, (const unsigned char *)out, (size_t)n, 0);
    return 1;
}

/*
 * Sets answer_version from the configuration: the string after the first "cniVersion" key, if it is exactly one of
 * the supported versions (a pointer to our own constant, never to the input). Not a JSON parser: a configuration
 * that hides its version from this scan only gets errors in the latest version.
 */
static void find_version(const unsigned char *buf, size_t len)
{
    static const char key[] = "\"cniVersion\"";
    size_t key_len = sizeof key - 1;
    for (size_t i = 0; i + key_len <= len; i++) {
        if (memcmp(buf + i, key, key_len) != 0) {
            continue;
        }
        size_t j = i + key_len;
        while (j < len && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\n' || buf[j] == '\r')) {
            j++;
        }
        if (j >= len || buf[j] != ':') {
            continue; /* a value that happens to be "cniVersion": keep looking */
        }
        j++;
        while (j < len && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\n' || buf[j] == '\r')) {
            j++;
        }
        if (j >= len || buf[j] != '"') {
            return;
        }
        j++;
        for (size_t v = 0; v < SUPPORTED_COUNT; v++) {
            size_t n = strlen(supported_versions[v]);
            if (j + n < len && memcmp(buf + j, supported_versions[v], n) == 0 && buf[j + n] == '"') {
                answer_version = supported_versions[v];
            }
        }
        return;
    }
}

/* Reads stdin whole into stdin_buf; its length, or -1 after printing the error. */
static ssize_t read_stdin(void)
{
    ssize_t len = read_upto(STDIN_FILENO, stdin_buf, sizeof stdin_buf);
    if (len < 0) {
        if (errno != EBADF) {
            cni_error(CNI_IO_FAILURE, "cannot read stdin");
            return -1;
        }
        return 0; /* no stdin at all: as empty (VERSION needs none) */
    }
    find_version(stdin_buf, (size_t)len < MAX_STDIN ? (size_t)len : MAX_STDIN);
    if ((size_t)len > MAX_STDIN) {
        cni_error(CNI_DECODE_FAILURE, "network configuration is larger than 1 MiB");
        return -1;
    }
    return len;
}

/* CNI VERSION, answered without the agent. */
static int answer_version_command(void)
{
    if (read_stdin() < 0) {
        return 1;
    }
    char out[256];
    int n = snprintf(out, sizeof out, "{\"cniVersion\":\"%s\",\"supportedVersions\":[", answer_version);
    for (size_t v = 0; v < SUPPORTED_COUNT; v++) {
        n += snprintf(out + n, sizeof out - (size_t)n, "%s\"%s\"", v == 0 ? "" : ",", supported_versions[v]);
    }
    n += snprintf(out + n, sizeof out - (size_t)n, "]}\n");
    return write_all(STDOUT_FILENO, (const unsigned char *)out, (size_t)n, 0) < 0 ? 1 : 0;
}

/* Diagnostics for people on stderr: may carry paths from the environment, copied as bytes. */
static void note(const char *a, const char *b, const char *c)
{
    write_all(STDERR_FILENO, (const unsigned char *)"nfvlab-cni: ", 12, 0);
    write_all(STDERR_FILENO, (const unsigned char *)a, strlen(a), 0);
    write_all(STDERR_FILENO, (const unsigned char *)b, strlen(b), 0);
    write_all(STDERR_FILENO, (const unsigned char *)c, strlen(c), 0);
    write_all(STDERR_FILENO, (const unsigned char *)"\n", 1, 0);
}

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int64_t timeout_ms(void)
{
    const char *s = getenv("NFVLAB_CNI_TIMEOUT_MS");
    if (s == NULL || *s == '\0') {
        return DEFAULT_TIMEOUT_MS;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return errno != 0 || *end != '\0' || v <= 0 || v > 86400000LL ? DEFAULT_TIMEOUT_MS : v;
}

/* Connects without blocking on a full backlog; 0, or -1 with errno from connect (ENOENT, ECONNREFUSED, ...). */
static int connect_agent(int fd, const struct sockaddr_un *addr)
{
    for (;;) {
        if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) == 0 || errno == EISCONN) {
            return 0;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EAGAIN) {
            return -1;
        }
        /* the agent's backlog is full: it accepts in a moment */
        if (remaining_ms() == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        poll(NULL, 0, 5);
    }
}

/* Executes the JVM plugin in place of this process; returns only when there is none to execute. */
static void exec_fallback(char **argv)
{
    const char *configured = getenv("NFVLAB_CNI_FALLBACK");
    char path[PATH_MAX];
    if (configured != NULL) {
        if (*configured == '\0' || strlen(configured) >= sizeof path) {
            return;
        }
        strcpy(path, configured);
    } else {
        ssize_t n = readlink("/proc/self/exe", path, sizeof path - sizeof FALLBACK_NAME - 1);
        if (n <= 0 || (size_t)n >= sizeof path - sizeof FALLBACK_NAME - 1) {
            return;
        }
        path[n] = '\0';
        char *slash = strrchr(path, '/');
        if (slash == NULL) {
            return;
        }
        strcpy(slash + 1, FALLBACK_NAME);
    }
    argv[0] = path;
    execv(path, argv);
    note("no JVM fallback at ", path, "");
}

int main(int argc, char **argv)
{
    (void)argc;
    deadline_ms = now_ms() + timeout_ms();
    const char *command = getenv("CNI_COMMAND");
    if (command != NULL && strcmp(command, "VERSION") == 0) {
        return answer_version_command();
    }

    const char *socket_path = getenv("NFVLAB_CNI_SOCKET");
    if (socket_path == NULL || *socket_path == '\0') {
        socket_path = DEFAULT_SOCKET;
    }
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof addr.sun_path) {
        return cni_error(CNI_INVALID_ENVIRONMENT, "NFVLAB_CNI_SOCKET is longer than a unix socket path can be");
    }
    strcpy(addr.sun_path, socket_path);

    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return cni_error(CNI_IO_FAILURE, strerror(errno));
    }
    if (connect_agent(fd, &addr) < 0) {
        int err = errno;
        close(fd);
        if (err == ENOENT || err == ECONNREFUSED) {
            /* no agent: before anything reads stdin, so the fallback gets it whole */
            exec_fallback(argv);
            note("agent socket ", socket_path, ": not reachable and no JVM fallback");
            ssize_t len = read_upto(STDIN_FILENO, stdin_buf, sizeof stdin_buf); /* for the version to answer in */
            if (len > 0) {
                find_version(stdin_buf, (size_t)len < MAX_STDIN ? (size_t)len : MAX_STDIN);
            }
            return cni_error(CNI_TRY_AGAIN_LATER, "the nfvlab agent is not running on this node: try again later");
        }
        note("agent socket ", socket_path, "");
        return cni_error(err == ETIMEDOUT ? CNI_TRY_AGAIN_LATER : CNI_IO_FAILURE, strerror(err));
    }
    /* from here on a runtime that closes its end early gets EPIPE on our writes, not a silent death */
    signal(SIGPIPE, SIG_IGN);

    ssize_t stdin_len = read_stdin();
    if (stdin_len < 0) {
        return 1;
    }

    size_t total = 8 + 4 + 4 + (size_t)stdin_len;
    const char *values[FORWARDED_COUNT];
    for (size_t i = 0; i < FORWARDED_COUNT; i++) {
        values[i] = getenv(forwarded[i]);
        if (values[i] != NULL) {
            total += 4 + strlen(forwarded[i]) + 1 + strlen(values[i]);
        }
    }
    unsigned char *request = malloc(total);
    if (request == NULL) {
        return cni_error(CNI_IO_FAILURE, "out of memory");
    }
    unsigned char *p = request;
    put_u32(p, REQUEST_MAGIC);
    put_u32(p + 4, (uint32_t)(total - 8));
    p += 12;
    uint32_t count = 0;
    for (size_t i = 0; i < FORWARDED_COUNT; i++) {
        if (values[i] == NULL) {
            continue;
        }
        size_t name_len = strlen(forwarded[i]), value_len = strlen(values[i]);
        put_u32(p, (uint32_t)(name_len + 1 + value_len));
        memcpy(p + 4, forwarded[i], name_len);
        p[4 + name_len] = '=';
        memcpy(p + 4 + name_len + 1, values[i], value_len);
        p += 4 + name_len + 1 + value_len;
        count++;
    }
    put_u32(request + 8, count);
    put_u32(p, (uint32_t)stdin_len);
    memcpy(p + 4, stdin_buf, (size_t)stdin_len);

    if (write_all(fd, request, total, 1) < 0) {
        int err = errno;
        note("agent socket ", socket_path, err == ETIMEDOUT ? ": timed out sending the request" : ": closed while sending the request");
        return cni_error(CNI_TRY_AGAIN_LATER, "the nfvlab agent went away during the request: try again later");
    }
    free(request);
    shutdown(fd, SHUT_WR);

    unsigned char header[8];
    ssize_t got = read_upto(fd, header, sizeof header);
    if (got < 0 && errno == ETIMEDOUT) {
        note("agent socket ", socket_path, ": no reply in time (NFVLAB_CNI_TIMEOUT_MS)");
        return cni_error(CNI_TRY_AGAIN_LATER, "the nfvlab agent did not answer in time: try again later");
    }
    if (got != (ssize_t)sizeof header) {
        note("agent socket ", socket_path, ": closed without a reply");
        return cni_error(CNI_TRY_AGAIN_LATER, "the nfvlab agent went away during the request: try again later");
    }
    uint32_t body_len = get_u32(header + 4);
    if (get_u32(header) != REPLY_MAGIC || body_len < 12 || body_len > MAX_REPLY) {
        note("agent socket ", socket_path, ": reply in an unknown format (agent and executable of different versions?)");
        return cni_error(CNI_TRY_AGAIN_LATER, "the nfvlab agent's reply is not understood: try again later");
    }
    unsigned char *body = malloc(body_len);
    if (body == NULL) {
        return cni_error(CNI_IO_FAILURE, "out of memory");
    }
    got = read_upto(fd, body, body_len);
    if (got != (ssize_t)body_len) {
        int late = got < 0 && errno == ETIMEDOUT;
        note("agent socket ", socket_path, late ? ": reply not complete in time" : ": reply cut short");
        return cni_error(CNI_TRY_AGAIN_LATER, "the nfvlab agent's reply is incomplete: try again later");
    }
    close(fd);

    uint32_t exit_code = get_u32(body);
    uint32_t out_len = get_u32(body + 4);
    uint32_t err_len = out_len <= body_len - 12 ? get_u32(body + 8 + out_len) : 0;
    if (exit_code > 255 || out_len > body_len - 12 || err_len != body_len - 12 - out_len) {
        note("agent socket ", socket_path, ": malformed reply");
        return cni_error(CNI_TRY_AGAIN_LATER, "the nfvlab agent's reply is not understood: try again later");
    }
    if (write_all(STDOUT_FILENO, body + 8, out_len, 0) < 0) {
        return 1; /* nobody reads the result: the invocation cannot have succeeded for the runtime */
    }
    write_all(STDERR_FILENO, body + 12 + out_len, err_len, 0);
    return (int)exit_code;
}
