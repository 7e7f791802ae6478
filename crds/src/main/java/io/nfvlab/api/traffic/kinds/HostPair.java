package io.nfvlab.api.traffic.kinds;

/** One direction of traffic between two hosts, by name. */
public record HostPair(String source, String destination) {
}
