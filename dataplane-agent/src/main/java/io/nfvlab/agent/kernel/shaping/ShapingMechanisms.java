package io.nfvlab.agent.kernel.shaping;

/**
 * What this node's kernel offers for shaping, found once at agent start: whether {@code sch_netem} loads. With it,
 * netem carries delay, jitter, loss and the other impairments; without it, the agent's delay line and a BPF loss
 * filter do (see {@link LinkShaping}). Rate ({@code tbf}) and queue ({@code pfifo}) need nothing optional.
 */
public record ShapingMechanisms(boolean netem) {
    /** The kernel module whose absence moves impairments into the agent; named in every refusal. */
    public static final String NETEM_MODULE = "sch_netem";
    public static final ShapingMechanisms WITHOUT_NETEM = new ShapingMechanisms(false);
    public static final ShapingMechanisms WITH_NETEM = new ShapingMechanisms(true);

    /** One line for the agent's start-up log. */
    public String describe() {
        return netem
                ? "link shaping: " + NETEM_MODULE + " present: netem carries delay, jitter, loss, corruption, duplication and "
                        + "reordering; tbf carries rate"
                : "link shaping: " + NETEM_MODULE + " absent: the agent's delay line carries delay, jitter, correlated loss, "
                        + "corruption, duplication and reordering on veth links, a BPF filter carries loss, tbf carries rate; "
                        + "impairments other than rate and loss on VXLAN tunnel ends are refused";
    }
}
