package io.nfvlab.agent.cni;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {
    @Test
    void jsonRoundTrips() throws Json.ParseException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\u0001");
        m.put("n", 12L);
        m.put("l", List.of(true, false));
        m.put("z", null);
        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
    }
}
