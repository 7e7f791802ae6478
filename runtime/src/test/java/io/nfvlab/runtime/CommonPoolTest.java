package io.nfvlab.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommonPoolTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(CommonPool.PARALLELISM);
        System.clearProperty(CommonPool.PARALLELISM);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(CommonPool.PARALLELISM);
        } else {
            System.setProperty(CommonPool.PARALLELISM, saved);
        }
    }

    @Test
    void oneOrTwoCpusGetTwoWorkers() {
        CommonPool.atLeastTwoWorkers(2);
        assertThat(System.getProperty(CommonPool.PARALLELISM)).isEqualTo("2");
    }

    @Test
    void moreCpusKeepTheJdksSize() {
        CommonPool.atLeastTwoWorkers(8);
        assertThat(System.getProperty(CommonPool.PARALLELISM)).isNull();
    }

    @Test
    void anExplicitSizeIsKept() {
        System.setProperty(CommonPool.PARALLELISM, "1");
        CommonPool.atLeastTwoWorkers(1);
        assertThat(System.getProperty(CommonPool.PARALLELISM)).isEqualTo("1");
    }
}
