package io.nfvlab.agent.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nfvlab.api.traffic.PairResult;

import java.io.IOException;

/** Reads {@code iperf3 -J} output (iperf 3.x). */
public final class Iperf3Parser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Iperf3Parser() {
    }

    /**
     * TCP: bits/s as the receiver counted them, retransmits from the sender. UDP: bits/s, jitter and loss as the
     * receiver reported them back (iperf3 ≥ 3.10 puts those in {@code end.sum_received}; older ones in {@code end.sum}).
     * An {@code error} in the output (refused, server busy, …) throws with iperf3's own words.
     */
    public static PairResult parse(String json, boolean udp) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            String first = json.strip().lines().findFirst().orElse("no output");
            throw new TrafficJobException("iperf3 printed no JSON: " + first);
        }
        if (root == null || root.isMissingNode()) {
            throw new TrafficJobException("iperf3 printed no JSON");
        }
        if (root.hasNonNull("error")) {
            throw new TrafficJobException("iperf3: " + root.get("error").asText());
        }
        JsonNode end = root.path("end");
        PairResult.PairResultBuilder r = PairResult.builder();
        if (udp) {
            JsonNode received = end.has("sum_received") ? end.get("sum_received") : end.path("sum");
            JsonNode sent = end.has("sum_sent") ? end.get("sum_sent") : end.path("sum");
            long packets = sent.path("packets").asLong(received.path("packets").asLong());
            long lost = received.path("lost_packets").asLong();
            r.bitsPerSecond(received.path("bits_per_second").asDouble())
                    .jitterMs(received.path("jitter_ms").asDouble())
                    .lossPercent(received.path("lost_percent").asDouble())
                    .sent(packets)
                    .received(Math.max(0, packets - lost))
                    .durationSeconds(received.path("seconds").asDouble());
        } else {
            JsonNode received = end.path("sum_received");
            JsonNode sent = end.path("sum_sent");
            if (received.isMissingNode()) {
                throw new TrafficJobException("iperf3 output has no end.sum_received");
            }
            r.bitsPerSecond(received.path("bits_per_second").asDouble())
                    .retransmits(sent.path("retransmits").asLong())
                    .durationSeconds(received.path("seconds").asDouble());
        }
        return r.build();
    }

    /** The rate the client actually sent, bits/s (UDP: what the generator achieved, before any loss). */
    public static double sentBitsPerSecond(String json) {
        try {
            JsonNode end = JSON.readTree(json).path("end");
            JsonNode sent = end.has("sum_sent") ? end.get("sum_sent") : end.path("sum");
            return sent.path("bits_per_second").asDouble();
        } catch (IOException e) {
            return 0;
        }
    }
}
