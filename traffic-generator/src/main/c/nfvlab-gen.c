/*
 * nfvlab-gen: a rate-controlled traffic generator on one DPDK virtio_user port attached to a vhost-user socket.
 *
 * It sends UDP/IPv4 frames, either paced by the TSC at a requested rate for a duration, or as one burst of N frames
 * back to back as fast as the port takes them, and counts on the same port the frames the device under test returns
 * (testpmd in macswap or io forwarding, an OVS hairpin flow, a VNF).
 *
 * Frame (bytes as handed to the port, as testpmd --txpkts counts them; no FCS on a virtual port):
 *   Ethernet dst/src/0x0800 | IPv4 (20, DF clear, TTL 64, UDP) | UDP 1024 -> 1024, checksum 0 | payload:
 *   offset 42: magic (u32, random per run: frames of an earlier run are not counted), 46: sequence (u64),
 *   54: TSC at transmit (u64), then whatever the buffer holds up to the frame size (64..9000 or IMIX: the repeating
 *   pattern 7x64, 4x570, 1x1518).
 *
 * Pacing: before each transmit the number of frames due since the start (elapsed TSC x rate) is compared with the
 * number the port accepted; up to 32 of the difference go out. A frame the port refuses keeps its sequence number and
 * is offered again, so the achieved rate tells whether the port kept up.
 *
 * Receive: a frame counts when its magic is this run's; reordered = frames whose sequence is below the highest seen
 * before them; latency = TSC at receive - TSC in the frame, into a histogram of 1 us buckets up to 100 ms and 1 ms
 * buckets up to 10 s (beyond: the last bucket); min/avg/max are exact, a percentile is its bucket's lower edge kept within [min, max]. After transmit ends, receiving goes on for the drain wait (or until every
 * frame is back); lost = sent - received, not below zero.
 *
 * Before measuring, once the link is up, it sends a probe frame (another magic) every 10 ms until one comes back or
 * the warm-up time passes: OVS and the DUT must be forwarding before the clock starts. A DUT that returns nothing is
 * measured anyway (all lost); stderr says the warm-up saw no probe.
 *
 * Options (all "--name value"; a value is one argument; unknown, repeated or malformed options: exit 2):
 *   --socket PATH            vhost-user socket, absolute, no ',' '=' or whitespace      (required, but see --port)
 *   --port vhost|null        vhost (default): virtio_user on --socket; null: DPDK's null PMD without receive (no
 *                            --socket), which takes every frame at once: the generator's own pacing, for benchmarks
 *   --vhost-role serve|connect  serve: nfvlab-gen listens (OVS dpdkvhostuserclient port; default); connect: OVS serves
 *   --rx-socket PATH         a second vhost-user socket to receive on (same rules as --socket): frames go out on
 *                            --socket and are counted on this one, so the bridge between the two is the device under
 *                            test and no forwarder needs a CPU; without it, frames are counted on --socket. Before
 *                            the warm-up one frame from --dst-mac leaves the receive port, so a learning bridge
 *                            knows where that address is and does not flood the measured frames to its other ports
 *   --rx-vhost-role serve|connect  who serves --rx-socket (default: as --vhost-role)
 *   --src-mac M --dst-mac M  aa:bb:cc:dd:ee:ff; the source must be unicast             (required)
 *   --src-ip A --dst-ip A    dotted IPv4 (default 198.18.0.1 -> 198.18.0.2, RFC 2544's benchmarking range)
 *   --frame-size N|IMIX      64..9000 or IMIX                                            (required)
 *   --rate PPS --duration-ms MS   paced mode: rate in frames/s (0 < PPS <= 1e8), duration 1 ms..1 h
 *   --burst N                burst mode: N frames (1..1e9) back to back; excludes --rate/--duration-ms
 *   --drain-ms MS            receive after transmit, 0..60000 (default 500)
 *   --warmup-ms MS           probe time before measuring, 0..60000 (default 3000; 0: none)
 *   --link-timeout-ms MS     wait for the vhost-user link, 100..120000 (default 15000)
 *   --file-prefix P          DPDK --file-prefix, [a-z0-9-]{1,32} (default nvgen-PID)
 *   --lcore N                the one CPU it polls on, 0..1023 (default 0)
 *   --mem-mb N               hugepage memory, 64..4096 (default 128)
 *   --nice N                 scheduling priority, -20..19 (default 0). OVS runs its PMD at -10: a generator at 0 on a
 *                            machine whose CPUs other work shares is preempted for milliseconds, and what then
 *                            overflows its receive ring is counted as loss of the device under test
 *   --idle poll|sleep        between frames: poll the port (default; exact latency, a whole CPU) or sleep when the
 *                            next frame is over 20 us away (leaves the CPU to a DUT sharing it; a frame that comes back
 *                            while it sleeps is timestamped on waking, so latency reads up to the gap between frames high)
 * EAL runs with --no-pci --in-memory --single-file-segments --no-telemetry: no hugepage files, no PCI probing.
 *
 * Output: exactly one JSON line on stdout, at the end:
 *   {"sent":N,"received":N,"lost":N,"reordered":N,"requestedPps":X,"achievedPps":X,"durationS":X,"frameSize":"64",
 *    "txFull":N,"foreign":N,"warmupReturned":true,"cpuShare":X,
 *    "latency":{"min":X,"avg":X,"max":X,"p50":X,"p99":X}|null}
 * (latency in microseconds; txFull: transmit calls the port did not fully accept; foreign: frames received that
 * were not this run's; cpuShare: CPU time of the generator's thread / wall time while transmitting, about 1 when it
 * polled undisturbed, lower when the machine took its CPU: what an achieved rate short of the request then means). Progress and errors go to stderr.
 * Exit codes: 0 measured (whatever the loss), 1 could not measure (EAL, port, link), 2 bad options.
 * SIGINT/SIGTERM end transmit early; the result so far is still printed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_random.h>

#define EXIT_MEASURE_FAILED 1
#define EXIT_USAGE 2

#define BURST 32
/*
 * Descriptors per ring. The receive ring is what holds the frames that arrive while the generator is off its CPU: at
 * 1.5 Mpps 1024 descriptors last 0.7 ms, and a scheduler pause of a few ms on a shared machine showed up as frames the
 * device under test dropped (its transmit to a full ring). 4096 hold 2.7 ms; frames over 2 KB (jumbo) keep 1024, so
 * that the pool fits the default --mem-mb.
 */
#define RING_SIZE 4096
#define RING_SIZE_JUMBO 1024
#define FINE_BUCKETS 100000   /* 1 us each: up to 100 ms */
#define COARSE_BUCKETS 9900   /* then 1 ms each: up to 10 s */
#define HIST_BUCKETS (FINE_BUCKETS + COARSE_BUCKETS)
#define OFF_MAGIC 42
#define OFF_SEQ 46
#define OFF_TSC 54
#define PAYLOAD_END 62
#define MIN_FRAME 64
#define MAX_FRAME 9000
#define IMIX_LEN 12

static const uint16_t IMIX[IMIX_LEN] = {64, 64, 64, 64, 64, 64, 64, 570, 570, 570, 570, 1518};

struct options {
    const char *socket;
    bool serve;
    const char *rx_socket; /* NULL: receive on socket */
    bool rx_serve;
    uint8_t src_mac[6], dst_mac[6];
    uint32_t src_ip, dst_ip; /* network order */
    unsigned frame_size;     /* 0: IMIX */
    double rate;
    uint64_t duration_ms;
    uint64_t burst;
    uint64_t drain_ms, warmup_ms, link_timeout_ms;
    char file_prefix[33];
    unsigned lcore, mem_mb;
    int nice;
    bool has_rate, has_duration;
    bool sleep_when_idle;
    bool null_port;
};

struct stats {
    uint64_t sent, received, reordered, tx_full, foreign;
    uint64_t max_seq;
    bool any;
    uint64_t lat_min, lat_max; /* TSC cycles */
    double lat_sum;            /* TSC cycles */
    uint64_t hist[HIST_BUCKETS];
};

static volatile sig_atomic_t stop_requested;
static char runtime_dir[PATH_MAX];
static uint32_t run_magic, probe_magic;
static uint64_t tsc_hz;

/* --in-memory keeps hugepages off the file system, but EAL still makes an (empty) runtime directory for the prefix */
static void remove_runtime_dir(void) {
    if (runtime_dir[0] != '\0') {
        rmdir(runtime_dir);
    }
}

static void on_signal(int sig) {
    (void) sig;
    stop_requested = 1;
}

static void usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("nfvlab-gen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n", stderr);
    va_end(ap);
    exit(EXIT_USAGE);
}

static void fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("nfvlab-gen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n", stderr);
    va_end(ap);
    exit(EXIT_MEASURE_FAILED);
}

/* Decimal digits only (no sign, no spaces, no hex), within [min, max]. */
static uint64_t parse_uint(const char *name, const char *v, uint64_t min, uint64_t max) {
    if (*v == '\0' || strlen(v) > 19) {
        usage_error("--%s: \"%s\" is not a whole number from %" PRIu64 " to %" PRIu64, name, v, min, max);
    }
    uint64_t n = 0;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9') {
            usage_error("--%s: \"%s\" is not a whole number from %" PRIu64 " to %" PRIu64, name, v, min, max);
        }
        n = n * 10 + (uint64_t) (*p - '0');
    }
    if (n < min || n > max) {
        usage_error("--%s: %" PRIu64 " is outside %" PRIu64 " to %" PRIu64, name, n, min, max);
    }
    return n;
}

/* An optional '-' then decimal digits, within -20..19. */
static int parse_nice(const char *v) {
    const char *digits = v[0] == '-' ? v + 1 : v;
    size_t n = strlen(digits);
    if (n == 0 || n > 2 || strspn(digits, "0123456789") != n) {
        usage_error("--nice: \"%s\" is not a whole number from -20 to 19", v);
    }
    int x = atoi(digits) * (v[0] == '-' ? -1 : 1);
    if (x < -20 || x > 19) {
        usage_error("--nice: %d is outside -20 to 19", x);
    }
    return x;
}

static double parse_rate(const char *v) {
    for (const char *p = v; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' || *p == '+')) {
            usage_error("--rate: \"%s\" is not a rate in frames/s", v);
        }
    }
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (*v == '\0' || *end != '\0' || errno != 0 || !isfinite(d) || !(d > 0) || d > 1e8) {
        usage_error("--rate: \"%s\" is not a rate in frames/s above 0 and at most 1e8", v);
    }
    return d;
}

static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void parse_mac(const char *name, const char *v, uint8_t out[6]) {
    if (strlen(v) != 17) {
        usage_error("--%s: \"%s\" is not a MAC address (six hex pairs joined by ':')", name, v);
    }
    for (int i = 0; i < 6; i++) {
        int hi = hex(v[i * 3]), lo = hex(v[i * 3 + 1]);
        if (hi < 0 || lo < 0 || (i < 5 && v[i * 3 + 2] != ':')) {
            usage_error("--%s: \"%s\" is not a MAC address (six hex pairs joined by ':')", name, v);
        }
        out[i] = (uint8_t) (hi * 16 + lo);
    }
}

static uint32_t parse_ip(const char *name, const char *v) {
    struct in_addr a;
    if (inet_pton(AF_INET, v, &a) != 1) {
        usage_error("--%s: \"%s\" is not a dotted IPv4 address", name, v);
    }
    return a.s_addr;
}

static void parse_socket(const char *v) {
    if (v[0] != '/' || strlen(v) > 107 || strpbrk(v, ",= \t\r\n") != NULL) {
        usage_error("--socket: \"%s\" must be an absolute path of at most 107 characters without ',', '=' or whitespace", v);
    }
}

static void parse_prefix(const char *v, char out[33]) {
    size_t n = strlen(v);
    if (n == 0 || n > 32 || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-") != n) {
        usage_error("--file-prefix: \"%s\" is not 1 to 32 of a-z, 0-9 and '-'", v);
    }
    memcpy(out, v, n + 1);
}

static void parse_options(int argc, char **argv, struct options *o) {
    static const char *const names[] = {"socket", "vhost-role", "src-mac", "dst-mac", "src-ip", "dst-ip", "frame-size",
                                        "rate", "duration-ms", "burst", "drain-ms", "warmup-ms", "link-timeout-ms",
                                        "file-prefix", "lcore", "mem-mb", "idle", "port", "rx-socket",
                                        "rx-vhost-role", "nice"};
    enum { N_NAMES = sizeof names / sizeof names[0] };
    bool seen[N_NAMES] = {false};
    memset(o, 0, sizeof *o);
    o->serve = true;
    o->src_ip = htonl(0xC6120001); /* 198.18.0.1 */
    o->dst_ip = htonl(0xC6120002); /* 198.18.0.2 */
    o->drain_ms = 500;
    o->warmup_ms = 3000;
    o->link_timeout_ms = 15000;
    o->mem_mb = 128;
    snprintf(o->file_prefix, sizeof o->file_prefix, "nvgen-%ld", (long) getpid());

    for (int i = 1; i < argc; i += 2) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0) {
            usage_error("unexpected argument \"%s\" (options are --name value)", arg);
        }
        int k = -1;
        for (int j = 0; j < N_NAMES; j++) {
            if (strcmp(arg + 2, names[j]) == 0) {
                k = j;
            }
        }
        if (k < 0) {
            usage_error("unknown option \"%s\"", arg);
        }
        if (seen[k]) {
            usage_error("%s given twice", arg);
        }
        seen[k] = true;
        if (i + 1 >= argc) {
            usage_error("%s needs a value", arg);
        }
        const char *v = argv[i + 1];
        switch (k) {
        case 0: parse_socket(v); o->socket = v; break;
        case 1:
            if (strcmp(v, "serve") == 0) o->serve = true;
            else if (strcmp(v, "connect") == 0) o->serve = false;
            else usage_error("--vhost-role: \"%s\" is neither serve nor connect", v);
            break;
        case 2: parse_mac("src-mac", v, o->src_mac); break;
        case 3: parse_mac("dst-mac", v, o->dst_mac); break;
        case 4: o->src_ip = parse_ip("src-ip", v); break;
        case 5: o->dst_ip = parse_ip("dst-ip", v); break;
        case 6:
            if (strcasecmp(v, "imix") == 0) o->frame_size = 0;
            else o->frame_size = (unsigned) parse_uint("frame-size", v, MIN_FRAME, MAX_FRAME);
            break;
        case 7: o->rate = parse_rate(v); o->has_rate = true; break;
        case 8: o->duration_ms = parse_uint("duration-ms", v, 1, 3600000); o->has_duration = true; break;
        case 9: o->burst = parse_uint("burst", v, 1, 1000000000); break;
        case 10: o->drain_ms = parse_uint("drain-ms", v, 0, 60000); break;
        case 11: o->warmup_ms = parse_uint("warmup-ms", v, 0, 60000); break;
        case 12: o->link_timeout_ms = parse_uint("link-timeout-ms", v, 100, 120000); break;
        case 13: parse_prefix(v, o->file_prefix); break;
        case 14: o->lcore = (unsigned) parse_uint("lcore", v, 0, 1023); break;
        case 15: o->mem_mb = (unsigned) parse_uint("mem-mb", v, 64, 4096); break;
        case 16:
            if (strcmp(v, "poll") == 0) o->sleep_when_idle = false;
            else if (strcmp(v, "sleep") == 0) o->sleep_when_idle = true;
            else usage_error("--idle: \"%s\" is neither poll nor sleep", v);
            break;
        case 17:
            if (strcmp(v, "vhost") == 0) o->null_port = false;
            else if (strcmp(v, "null") == 0) o->null_port = true;
            else usage_error("--port: \"%s\" is neither vhost nor null", v);
            break;
        case 18: parse_socket(v); o->rx_socket = v; break;
        case 19:
            if (strcmp(v, "serve") == 0) o->rx_serve = true;
            else if (strcmp(v, "connect") == 0) o->rx_serve = false;
            else usage_error("--rx-vhost-role: \"%s\" is neither serve nor connect", v);
            break;
        case 20: o->nice = parse_nice(v); break;
        default: break;
        }
    }
    if (!seen[19]) o->rx_serve = o->serve;
    if (seen[19] && o->rx_socket == NULL) usage_error("--rx-vhost-role needs --rx-socket");
    if (o->rx_socket != NULL && o->socket != NULL && strcmp(o->rx_socket, o->socket) == 0) {
        usage_error("--rx-socket must differ from --socket");
    }
    if (o->null_port) {
        if (o->socket != NULL || seen[1] || o->rx_socket != NULL) {
            usage_error("--port null takes no --socket, --rx-socket nor --vhost-role");
        }
        o->warmup_ms = 0; /* nothing comes back */
    } else if (o->socket == NULL) {
        usage_error("--socket is required");
    }
    if (!seen[2] || !seen[3]) usage_error("--src-mac and --dst-mac are required");
    if (o->src_mac[0] & 1) usage_error("--src-mac: a multicast address cannot be a source");
    if (!seen[6]) usage_error("--frame-size is required");
    if (o->burst > 0) {
        if (o->has_rate || o->has_duration) usage_error("--burst excludes --rate and --duration-ms");
    } else if (!o->has_rate || !o->has_duration) {
        usage_error("give --rate and --duration-ms (paced) or --burst (back to back)");
    }
}

struct generator {
    const struct options *o;
    uint16_t port;    /* transmits (and receives without --rx-socket) */
    uint16_t rx_port; /* receives */
    struct rte_mempool *pool;
    uint8_t headers[3][PAYLOAD_END]; /* a template per size: fixed, or the three IMIX sizes */
    uint16_t sizes[3];
    struct stats *st;
};

static void build_template(struct generator *g, int idx, uint16_t size) {
    uint8_t *h = g->headers[idx];
    g->sizes[idx] = size;
    memset(h, 0, PAYLOAD_END);
    memcpy(h, g->o->dst_mac, 6);
    memcpy(h + 6, g->o->src_mac, 6);
    h[12] = 0x08;
    h[13] = 0x00;
    struct rte_ipv4_hdr ip;
    memset(&ip, 0, sizeof ip);
    ip.version_ihl = 0x45;
    ip.total_length = htons((uint16_t) (size - 14));
    ip.time_to_live = 64;
    ip.next_proto_id = 17;
    ip.src_addr = g->o->src_ip;
    ip.dst_addr = g->o->dst_ip;
    ip.hdr_checksum = rte_ipv4_cksum(&ip);
    memcpy(h + 14, &ip, sizeof ip);
    uint16_t port = htons(1024), udp_len = htons((uint16_t) (size - 34));
    memcpy(h + 34, &port, 2);
    memcpy(h + 36, &port, 2);
    memcpy(h + 38, &udp_len, 2);
}

static int template_of(const struct generator *g, uint64_t seq) {
    if (g->o->frame_size != 0) {
        return 0;
    }
    uint16_t s = IMIX[seq % IMIX_LEN];
    return s == 64 ? 0 : s == 570 ? 1 : 2;
}

/* Fills n mbufs with frames seq.. seq+n-1; returns how many were allocated. */
static unsigned build(struct generator *g, struct rte_mbuf **m, unsigned n, uint64_t seq, uint32_t magic) {
    if (rte_pktmbuf_alloc_bulk(g->pool, m, n) != 0) {
        return 0;
    }
    uint64_t now = rte_rdtsc();
    for (unsigned i = 0; i < n; i++) {
        int t = template_of(g, seq + i);
        uint8_t *d = rte_pktmbuf_mtod(m[i], uint8_t *);
        uint64_t s = seq + i;
        memcpy(d, g->headers[t], OFF_MAGIC);
        memcpy(d + OFF_MAGIC, &magic, 4);
        memcpy(d + OFF_SEQ, &s, 8);
        memcpy(d + OFF_TSC, &now, 8);
        m[i]->data_len = g->sizes[t];
        m[i]->pkt_len = g->sizes[t];
    }
    return n;
}

/* Polls the port once; returns how many probe frames came back. */
static unsigned receive(struct generator *g) {
    struct rte_mbuf *m[BURST];
    uint16_t n = rte_eth_rx_burst(g->rx_port, 0, m, BURST);
    if (n == 0) {
        return 0;
    }
    uint64_t now = rte_rdtsc();
    unsigned probes = 0;
    struct stats *st = g->st;
    for (uint16_t i = 0; i < n; i++) {
        const uint8_t *d = rte_pktmbuf_mtod(m[i], const uint8_t *);
        uint32_t magic = 0;
        if (m[i]->data_len >= PAYLOAD_END && d[12] == 0x08 && d[13] == 0x00) {
            memcpy(&magic, d + OFF_MAGIC, 4);
        }
        if (magic == run_magic) {
            uint64_t seq, tsc;
            memcpy(&seq, d + OFF_SEQ, 8);
            memcpy(&tsc, d + OFF_TSC, 8);
            uint64_t lat = now > tsc ? now - tsc : 0;
            st->received++;
            if (st->any && seq < st->max_seq) {
                st->reordered++;
            } else {
                st->max_seq = seq;
            }
            if (!st->any || lat < st->lat_min) st->lat_min = lat;
            if (!st->any || lat > st->lat_max) st->lat_max = lat;
            st->any = true;
            st->lat_sum += (double) lat;
            uint64_t us = lat * 1000000 / tsc_hz;
            uint64_t b = us < FINE_BUCKETS ? us : FINE_BUCKETS + (us - FINE_BUCKETS) / 1000;
            st->hist[b < HIST_BUCKETS ? b : HIST_BUCKETS - 1]++;
        } else if (magic == probe_magic) {
            probes++;
        } else {
            st->foreign++;
        }
    }
    rte_pktmbuf_free_bulk(m, n);
    return probes;
}

/* Offers frames seq.. to the port; returns how many it accepted (the rest are freed and offered again later). */
static unsigned transmit(struct generator *g, unsigned n, uint64_t seq, uint32_t magic) {
    struct rte_mbuf *m[BURST];
    unsigned built = build(g, m, n, seq, magic);
    if (built == 0) {
        return 0;
    }
    uint16_t sent = rte_eth_tx_burst(g->port, 0, m, (uint16_t) built);
    if (sent < built) {
        rte_pktmbuf_free_bulk(m + sent, built - sent);
        if (magic == run_magic) g->st->tx_full++;
    }
    return sent;
}

/* In --idle sleep, a pause between polls of the warm-up and the drain, where no timing is measured to the microsecond. */
static void nap(const struct generator *g) {
    if (g->o->sleep_when_idle) {
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 50000};
        nanosleep(&ts, NULL);
    }
}

/*
 * With --rx-socket, one frame out of the receive port from --dst-mac (to --src-mac): a learning bridge then forwards
 * the measured frames to that port alone instead of flooding them to every port it has.
 */
static void announce_receiver(struct generator *g) {
    struct rte_mbuf *m;
    if (g->rx_port == g->port || rte_pktmbuf_alloc_bulk(g->pool, &m, 1) != 0) {
        return;
    }
    uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
    memcpy(d, g->headers[0], PAYLOAD_END);
    memcpy(d, g->o->src_mac, 6);
    memcpy(d + 6, g->o->dst_mac, 6);
    memset(d + PAYLOAD_END, 0, MIN_FRAME - PAYLOAD_END);
    m->data_len = m->pkt_len = MIN_FRAME;
    if (rte_eth_tx_burst(g->rx_port, 0, &m, 1) == 0) {
        rte_pktmbuf_free(m);
    }
}

static bool warm_up(struct generator *g) {
    announce_receiver(g);
    uint64_t end = rte_rdtsc() + g->o->warmup_ms * tsc_hz / 1000, next = 0;
    uint64_t probe_seq = 0;
    while (!stop_requested && rte_rdtsc() < end) {
        if (rte_rdtsc() >= next) {
            probe_seq += transmit(g, 1, probe_seq, probe_magic);
            next = rte_rdtsc() + tsc_hz / 100;
        }
        if (receive(g) > 0) {
            /* what else is still on its way back belongs to the warm-up */
            uint64_t quiet = rte_rdtsc() + tsc_hz / 20;
            while (rte_rdtsc() < quiet) {
                receive(g);
                nap(g);
            }
            g->st->foreign = 0;
            return true;
        }
        nap(g);
    }
    return false;
}

static void progress(const struct generator *g, uint64_t start, uint64_t *next) {
    uint64_t now = rte_rdtsc();
    if (now >= *next) {
        fprintf(stderr, "nfvlab-gen: %.1f s: sent %" PRIu64 ", received %" PRIu64 "\n",
                (double) (now - start) / (double) tsc_hz, g->st->sent, g->st->received);
        *next = now + tsc_hz;
    }
}

/* Receives, then sleeps until shortly before the next frame is due when that is over 20 us away. */
static void idle_until(struct generator *g, uint64_t next_due, uint64_t end) {
    receive(g);
    uint64_t now = rte_rdtsc(), wake = next_due < end ? next_due : end;
    uint64_t min_gap = tsc_hz / 50000; /* 20 us */
    if (wake > now + min_gap) {
        uint64_t ns = (wake - now - min_gap / 2) * 1000000000ull / tsc_hz;
        struct timespec ts = {.tv_sec = (time_t) (ns / 1000000000ull), .tv_nsec = (long) (ns % 1000000000ull)};
        nanosleep(&ts, NULL);
    }
}

/* Returns the transmit time in TSC cycles. */
static uint64_t run_paced(struct generator *g) {
    struct stats *st = g->st;
    uint64_t start = rte_rdtsc(), end = start + g->o->duration_ms * tsc_hz / 1000, next_progress = start + tsc_hz;
    double per_cycle = g->o->rate / (double) tsc_hz;
    uint64_t now;
    while (!stop_requested && (now = rte_rdtsc()) < end) {
        uint64_t due = (uint64_t) ((double) (now - start) * per_cycle);
        if (due > st->sent) {
            uint64_t want = due - st->sent;
            st->sent += transmit(g, want < BURST ? (unsigned) want : BURST, st->sent, run_magic);
        } else if (g->o->sleep_when_idle) {
            idle_until(g, start + (uint64_t) ((double) (st->sent + 1) / per_cycle), end);
        }
        receive(g);
        progress(g, start, &next_progress);
    }
    return rte_rdtsc() - start;
}

static uint64_t run_burst(struct generator *g) {
    struct stats *st = g->st;
    uint64_t start = rte_rdtsc(), last_progress = start, next_progress = start + tsc_hz;
    while (!stop_requested && st->sent < g->o->burst) {
        uint64_t left = g->o->burst - st->sent;
        unsigned sent = transmit(g, left < BURST ? (unsigned) left : BURST, st->sent, run_magic);
        st->sent += sent;
        uint64_t now = rte_rdtsc();
        if (sent > 0) {
            last_progress = now;
        } else if (now - last_progress > tsc_hz) {
            fprintf(stderr, "nfvlab-gen: the port took no frame for 1 s; the burst ends at %" PRIu64 " frames\n", st->sent);
            break;
        }
        receive(g);
        progress(g, start, &next_progress);
    }
    return rte_rdtsc() - start;
}

static void drain(struct generator *g) {
    uint64_t end = rte_rdtsc() + g->o->drain_ms * tsc_hz / 1000;
    while (rte_rdtsc() < end && g->st->received < g->st->sent) {
        receive(g);
        nap(g);
    }
}

static double us(double cycles) {
    return cycles * 1e6 / (double) tsc_hz;
}

/*
 * The bucket's lower edge, but never below the exact minimum nor above the exact maximum: frames faster than 1 us
 * (two pollers with a CPU each) all fall in bucket 0, whose edge would read 0 below a minimum of, say, 0.4 us.
 */
static double percentile(const struct stats *st, double q) {
    uint64_t rank = (uint64_t) ceil(q * (double) st->received);
    uint64_t seen = 0;
    double lo = us((double) st->lat_min), hi = us((double) st->lat_max);
    for (uint64_t b = 0; b < HIST_BUCKETS; b++) {
        seen += st->hist[b];
        if (seen >= rank && seen > 0) {
            if (b == HIST_BUCKETS - 1) return hi;
            double edge = b < FINE_BUCKETS ? (double) b : (double) (FINE_BUCKETS + (b - FINE_BUCKETS) * 1000);
            return edge < lo ? lo : edge > hi ? hi : edge;
        }
    }
    return hi;
}

static double thread_cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void print_result(const struct generator *g, uint64_t tx_cycles, bool warm, double cpu_seconds) {
    const struct stats *st = g->st;
    const struct options *o = g->o;
    double seconds = (double) tx_cycles / (double) tsc_hz;
    char size[12];
    if (o->frame_size == 0) snprintf(size, sizeof size, "IMIX");
    else snprintf(size, sizeof size, "%u", o->frame_size);
    printf("{\"sent\":%" PRIu64 ",\"received\":%" PRIu64 ",\"lost\":%" PRIu64 ",\"reordered\":%" PRIu64
           ",\"requestedPps\":%.3f,\"achievedPps\":%.3f,\"durationS\":%.6f,\"frameSize\":\"%s\",\"txFull\":%" PRIu64
           ",\"foreign\":%" PRIu64 ",\"warmupReturned\":%s,\"cpuShare\":%.3f,\"latency\":",
           st->sent, st->received, st->sent > st->received ? st->sent - st->received : 0, st->reordered,
           o->burst > 0 ? 0.0 : o->rate, seconds > 0 ? (double) st->sent / seconds : 0.0, seconds, size,
           st->tx_full, st->foreign, warm ? "true" : "false", seconds > 0 ? cpu_seconds / seconds : 0.0);
    if (st->received == 0) {
        printf("null}\n");
    } else {
        printf("{\"min\":%.3f,\"avg\":%.3f,\"max\":%.3f,\"p50\":%.3f,\"p99\":%.3f}}\n", us((double) st->lat_min),
               us(st->lat_sum / (double) st->received), us((double) st->lat_max), percentile(st, 0.50),
               percentile(st, 0.99));
    }
    fflush(stdout);
}

static unsigned ring_size(const struct options *o) {
    return o->frame_size > 2048 ? RING_SIZE_JUMBO : RING_SIZE;
}

/*
 * A separate receive port (--rx-socket) gets twice the transmit port's ring. While the generator is off its CPU the
 * device under test still forwards what the transmit ring holds, up to a whole ring, into the receive ring; with rings
 * of equal size that overflowed by a burst now and then (32 frames the DUT counted as transmit failures) on a quiet
 * machine, however short the pause. With twice the room no pause of the generator can cost a frame.
 */
static unsigned rx_ring_size(const struct options *o) {
    return o->rx_socket == NULL ? ring_size(o) : 2 * ring_size(o);
}

/* Configures and starts one port with one queue each way; the pool holds the mbufs of both ports' receive rings. */
static void start_port(struct generator *g, uint16_t port, const char *what) {
    unsigned max = g->o->frame_size == 0 ? 1518 : g->o->frame_size;
    struct rte_eth_conf conf;
    memset(&conf, 0, sizeof conf);
    if (max > 1518) {
        conf.rxmode.mtu = (uint32_t) (max - 18);
    }
    int rc = rte_eth_dev_configure(port, 1, 1, &conf);
    if (rc < 0) fail("configuring the port on %s: %s", what, rte_strerror(-rc));
    unsigned ring = port == g->rx_port && g->rx_port != g->port ? rx_ring_size(g->o) : ring_size(g->o);
    uint16_t rxd = (uint16_t) ring, txd = (uint16_t) ring;
    rte_eth_dev_adjust_nb_rx_tx_desc(port, &rxd, &txd);
    int socket = rte_eth_dev_socket_id(port);
    if ((rc = rte_eth_rx_queue_setup(port, 0, rxd, (unsigned) socket, NULL, g->pool)) < 0
        || (rc = rte_eth_tx_queue_setup(port, 0, txd, (unsigned) socket, NULL)) < 0) {
        fail("setting up the queues on %s: %s", what, rte_strerror(-rc));
    }
    if ((rc = rte_eth_dev_start(port)) < 0) fail("starting the port on %s: %s", what, rte_strerror(-rc));
}

static void wait_for_link(const struct generator *g, uint16_t port, const char *what) {
    uint64_t end = rte_rdtsc() + g->o->link_timeout_ms * tsc_hz / 1000;
    struct rte_eth_link link;
    do {
        memset(&link, 0, sizeof link);
        rte_eth_link_get_nowait(port, &link);
        if (link.link_status == RTE_ETH_LINK_UP) {
            return;
        }
        rte_delay_ms(10);
    } while (!stop_requested && rte_rdtsc() < end);
    fail("the link on %s did not come up within %" PRIu64 " ms (is the OVS port there?)", what, g->o->link_timeout_ms);
}

static uint16_t port_named(const char *name, const char *socket, bool serve) {
    uint16_t p;
    if (rte_eth_dev_get_port_by_name(name, &p) != 0) {
        fail("no virtio_user port on %s: %s", socket, serve
             ? "it could not serve the socket (DPDK's lines above say why)"
             : "nothing accepted the connection (is the socket served?)");
    }
    return p;
}

static void setup_port(struct generator *g) {
    const struct options *o = g->o;
    unsigned ports = o->rx_socket == NULL ? 1 : 2;
    if (o->null_port) {
        if (rte_eth_dev_count_avail() != 1) fail("DPDK made %u ports instead of one null port", rte_eth_dev_count_avail());
        g->port = port_named("net_null0", "the null port", true);
    } else {
        g->port = port_named("net_virtio_user0", o->socket, o->serve);
    }
    g->rx_port = o->rx_socket == NULL ? g->port : port_named("net_virtio_user1", o->rx_socket, o->rx_serve);
    unsigned max = o->frame_size == 0 ? 1518 : o->frame_size;
    uint16_t room = (uint16_t) ((max < 2048 ? 2048 : max) + RTE_PKTMBUF_HEADROOM);
    unsigned ring = ring_size(o), rx_ring = ports == 2 ? rx_ring_size(o) : 0;
    /* each port's receive ring full and its transmit ring in flight, a ring's worth being built, and slack */
    g->pool = rte_pktmbuf_pool_create("nvgen", 2 * ring + 2 * rx_ring + 2 * ring + 2 * BURST + 512 - 1, 256, 0, room,
                                      (int) rte_socket_id());
    if (g->pool == NULL) {
        fail("no mbuf pool (%s): give it more --mem-mb", rte_strerror(rte_errno));
    }
    const char *tx_name = o->null_port ? "the null port" : o->socket;
    start_port(g, g->port, tx_name);
    if (ports == 2) start_port(g, g->rx_port, o->rx_socket);
    wait_for_link(g, g->port, tx_name);
    if (ports == 2) wait_for_link(g, g->rx_port, o->rx_socket);
}

static void close_port(struct generator *g) {
    rte_eth_dev_stop(g->port);
    rte_eth_dev_close(g->port);
    if (g->rx_port != g->port) {
        rte_eth_dev_stop(g->rx_port);
        rte_eth_dev_close(g->rx_port);
    }
    rte_eal_cleanup();
    /* a served socket is ours: remove it, and nothing else */
    struct stat s;
    if (!g->o->null_port && g->o->serve && lstat(g->o->socket, &s) == 0 && S_ISSOCK(s.st_mode)) {
        unlink(g->o->socket);
    }
    if (g->o->rx_socket != NULL && g->o->rx_serve && lstat(g->o->rx_socket, &s) == 0 && S_ISSOCK(s.st_mode)) {
        unlink(g->o->rx_socket);
    }
}

int main(int argc, char **argv) {
    static struct stats st;
    struct options o;
    parse_options(argc, argv, &o);
    /* the kernel's default 50 us timer slack would add that much to every sleep of --idle sleep */
    prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
    /* before EAL starts its threads, which inherit it */
    if (o.nice != 0 && setpriority(PRIO_PROCESS, 0, o.nice) != 0) {
        fail("--nice %d: %s (a priority above 0 needs root or CAP_SYS_NICE)", o.nice, strerror(errno));
    }
    signal(SIGPIPE, SIG_IGN); /* virtio_user writes to the socket without MSG_NOSIGNAL; a dropped peer must not kill us */

    char lcore[8], mem[8], vdev[160], rx_vdev[160];
    snprintf(lcore, sizeof lcore, "%u", o.lcore);
    snprintf(mem, sizeof mem, "%u", o.mem_mb);
    if (o.null_port) {
        snprintf(vdev, sizeof vdev, "net_null0,no-rx=1");
    } else {
        snprintf(vdev, sizeof vdev, "net_virtio_user0,path=%s,queues=1,queue_size=%u%s", o.socket, ring_size(&o),
                 o.serve ? ",server=1" : "");
    }
    char *eal[] = {argv[0], "-l", lcore, "--no-pci", "--in-memory", "--single-file-segments", "--no-telemetry",
                   "--file-prefix", o.file_prefix, "-m", mem, "--log-level", "lib.eal:error", "--vdev", vdev,
                   NULL, NULL, NULL};
    int eal_argc = (int) (sizeof eal / sizeof eal[0]) - 3;
    if (o.rx_socket != NULL) {
        snprintf(rx_vdev, sizeof rx_vdev, "net_virtio_user1,path=%s,queues=1,queue_size=%u%s", o.rx_socket, rx_ring_size(&o),
                 o.rx_serve ? ",server=1" : "");
        eal[eal_argc++] = "--vdev";
        eal[eal_argc++] = rx_vdev;
    }
    int eal_rc = rte_eal_init(eal_argc, eal);
    snprintf(runtime_dir, sizeof runtime_dir, "%s", rte_eal_get_runtime_dir());
    atexit(remove_runtime_dir);
    if (eal_rc < 0) {
        fail("DPDK EAL did not start: %s", rte_strerror(rte_errno));
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    tsc_hz = rte_get_tsc_hz();
    run_magic = (uint32_t) rte_rand() | 1u;
    probe_magic = run_magic ^ 0x80000000u;

    struct generator g = {.o = &o, .st = &st};
    if (o.frame_size == 0) {
        build_template(&g, 0, 64);
        build_template(&g, 1, 570);
        build_template(&g, 2, 1518);
    } else {
        build_template(&g, 0, (uint16_t) o.frame_size);
    }
    setup_port(&g);
    fprintf(stderr, "nfvlab-gen: link up on %s%s%s\n", o.null_port ? "the null port" : o.socket,
            o.rx_socket == NULL ? "" : " and ", o.rx_socket == NULL ? "" : o.rx_socket);
    bool warm = o.warmup_ms == 0 || warm_up(&g);
    if (!warm) {
        fprintf(stderr, "nfvlab-gen: no probe came back within %" PRIu64 " ms; measuring anyway\n", o.warmup_ms);
    }
    double cpu_before = thread_cpu_seconds();
    uint64_t cycles = o.burst > 0 ? run_burst(&g) : run_paced(&g);
    double cpu = thread_cpu_seconds() - cpu_before;
    drain(&g);
    print_result(&g, cycles, warm, cpu);
    close_port(&g);
    return 0;
}
