package io.nfvlab.api.node;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCandidatesTest {
    @Test
    void theFirstCandidateIsTheHashOwnersHadBeforeAndEveryOneFitsTheNames() {
        List<String> c = KernelNames.tokenCandidates("VirtualTopology", "default", "linear-4");
        assertThat(c).hasSize(KernelNames.TOKEN_CANDIDATES)
                .allMatch(t -> t.matches("[0-9a-f]{" + KernelNames.TOKEN_LENGTH + "}"));
        assertThat(c.get(0)).isEqualTo(KernelNames.token("VirtualTopology", "default", "linear-4"));
        assertThat(KernelNames.tokenCandidates("VirtualTopology", "default", "linear-4")).isEqualTo(c);
        assertThat(new HashSet<>(c)).hasSizeGreaterThan(KernelNames.TOKEN_CANDIDATES - 2);
        // the longest root-namespace name still fits IFNAMSIZ with any candidate
        assertThat(KernelNames.staging(c.get(5), 99999, 'b')).hasSizeLessThanOrEqualTo(15);
    }

    /**
     * A squatter who finds a name with the same first candidate as a victim (here by search) does not get the
     * victim's other candidates: the sequences part after the first.
     */
    @Test
    void twoOwnersWithTheSameFirstCandidateHaveDifferentOthers() {
        java.util.Map<String, String> seen = new java.util.HashMap<>();
        String[] twins = null;
        for (int i = 0; twins == null; i++) {
            String name = "t" + i;
            String other = seen.putIfAbsent(KernelNames.token("VirtualTopology", "lab", name), name);
            if (other != null) {
                twins = new String[]{other, name};
            }
        }
        List<String> a = KernelNames.tokenCandidates("VirtualTopology", "lab", twins[0]);
        List<String> b = KernelNames.tokenCandidates("VirtualTopology", "lab", twins[1]);
        assertThat(a.get(0)).isEqualTo(b.get(0));
        Set<String> restA = new HashSet<>(a.subList(1, a.size()));
        assertThat(b.subList(1, b.size())).filteredOn(restA::contains).hasSizeLessThanOrEqualTo(1);
    }
}
