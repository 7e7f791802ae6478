package io.nfvlab.cli;

import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.LinkState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LinkOverridesTest {
    @Test
    void downAddsAnOverrideForThePair() {
        List<LinkSpec> result = LinkOverrides.withState(List.of(), "s1", "s2", LinkState.DOWN);
        assertThat(result).singleElement().satisfies(o -> {
            assertThat(o.joins("s2", "s1")).isTrue();
            assertThat(o.getState()).isEqualTo(LinkState.DOWN);
        });
    }

    @Test
    void upRemovesAnOverrideThatOnlySaidDown() {
        List<LinkSpec> down = LinkOverrides.withState(List.of(), "s1", "s2", LinkState.DOWN);
        assertThat(LinkOverrides.withState(down, "s2", "s1", LinkState.UP)).isEmpty();
    }

    @Test
    void upKeepsTheShapingOfAnOverrideAndOtherLinksAreUntouched() {
        LinkSpec shaped = LinkSpec.builder().a("h1").b("s1").bandwidthMbps(10.0).state(LinkState.DOWN).build();
        LinkSpec other = LinkSpec.builder().a("h2").b("s2").delay("5ms").build();
        List<LinkSpec> result = LinkOverrides.withState(List.of(shaped, other), "s1", "h1", LinkState.UP);
        assertThat(result).hasSize(2);
        assertThat(result.get(0).getBandwidthMbps()).isEqualTo(10.0);
        assertThat(result.get(0).getState()).isEqualTo(LinkState.UP);
        assertThat(result.get(1)).isEqualTo(other);
    }

    @Test
    void upOnALinkWithoutOverrideChangesNothing() {
        assertThat(LinkOverrides.withState(null, "s1", "s2", LinkState.UP)).isEmpty();
    }
}
