package io.nfvlab.agent.kernel.shaping;

/** Names one running delay line: the link {@code linkId} of the owner {@code token}. */
public record RelayKey(String token, String linkId) {
}
