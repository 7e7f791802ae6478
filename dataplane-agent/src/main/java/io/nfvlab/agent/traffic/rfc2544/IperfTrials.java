package io.nfvlab.agent.traffic.rfc2544;

import io.nfvlab.agent.traffic.IperfRunner;
import io.nfvlab.agent.traffic.TrafficJobException;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.traffic.Rfc2544Frames;

/**
 * Trials of the kernel path: iperf3 UDP from the source host's namespace at the frame rate asked, each datagram sized
 * so that its Ethernet frame is the frame size ({@code -l} = frame − 46: Ethernet header 14, FCS 4, IPv4 20, UDP 8).
 * Counts are iperf3's datagrams: sent by the client, lost as the server counted them by sequence number (so frames
 * still queued behind a shaper when the trial ends count as lost, as in RFC 2544). No latency: iperf3 does not time
 * frames.
 */
public final class IperfTrials implements TrialRunner {
    /** Ethernet header + FCS + IPv4 + UDP. */
    public static final int HEADERS = 46;

    private final IperfRunner iperf;
    private final JobPair pair;
    private final int port;

    public IperfTrials(IperfRunner iperf, JobPair pair, int port) {
        this.iperf = iperf;
        this.pair = pair;
        this.port = port;
    }

    /** The UDP payload that makes a frame of {@code frameSize} bytes. */
    public static int payload(String frameSize) {
        return Rfc2544Frames.fixedBytes(frameSize)
                .orElseThrow(() -> new TrafficJobException("IMIX needs the DPDK generator: iperf3 sends one size")) - HEADERS;
    }

    @Override
    public TrialResult run(Request r) {
        if (r.burstFrames() > 0) {
            throw new TrafficJobException("back-to-back needs the DPDK generator: iperf3 cannot send a burst at line rate");
        }
        int payload = payload(r.frameSize());
        double seconds = Math.max(1, r.duration().toMillis() / 1000.0);
        IperfRunner.Load load = new IperfRunner.Load(true, r.fps() * payload * 8, seconds, payload, null);
        IperfRunner.Measurement m;
        try {
            m = iperf.run(pair, port, load);
        } catch (TrafficJobException e) {
            if (!e.getMessage().contains("timed out")) {
                throw e;
            }
            // iperf3's control connection crosses the same lossy, shaped link and was seen to stall for good once;
            // the trial measured nothing, so it runs once more rather than end the whole test
            m = iperf.run(pair, port, load);
        }
        long sent = m.result().getSent() == null ? 0 : m.result().getSent();
        long received = m.result().getReceived() == null ? 0 : m.result().getReceived();
        return new TrialResult(sent, received, m.sentBitsPerSecond() / (payload * 8.0), null);
    }
}
