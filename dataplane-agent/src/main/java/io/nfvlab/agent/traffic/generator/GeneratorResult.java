package io.nfvlab.agent.traffic.generator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What one nfvlab-gen run measured, as its one JSON line on stdout says.
 *
 * @param sent         frames the port accepted
 * @param received     frames of this run that came back (recognised by their magic)
 * @param lost         {@code sent - received} after the drain wait, never below zero
 * @param reordered    frames that came back with a lower sequence number than one before them
 * @param requestedPps the rate asked for (in burst mode: 0, as fast as the port takes them)
 * @param achievedPps  frames sent per second of transmit time
 * @param latency      null when nothing came back
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GeneratorResult(long sent, long received, long lost, long reordered, double requestedPps,
                              double achievedPps, LatencySummary latency) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    /** Lost frames as a fraction of those sent (0 when nothing was sent). */
    public double lossRatio() {
        return sent == 0 ? 0 : (double) lost / sent;
    }

    /**
     * Reads the result line nfvlab-gen printed.
     *
     * @throws IllegalArgumentException when the line is not a complete result (a field missing or of the wrong type)
     */
    public static GeneratorResult parse(String jsonLine) {
        try {
            GeneratorResult r = JSON.readValue(jsonLine, GeneratorResult.class);
            if (r.sent < 0 || r.received < 0 || r.lost < 0 || r.reordered < 0) {
                throw new IllegalArgumentException("nfvlab-gen result has a negative count: " + jsonLine);
            }
            return r;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("nfvlab-gen printed no valid result line: " + e.getOriginalMessage()
                    + " in " + abbreviate(jsonLine), e);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
