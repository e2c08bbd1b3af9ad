package io.osteo.model.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.InvalidInputException;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TorchThreadsTest {

    @Test
    void explicitCountWinsOverPropertyAndEnvironment() {
        String before = System.getProperty(TorchThreads.INTRA_OP_PROPERTY);
        try {
            System.clearProperty(TorchThreads.INTRA_OP_PROPERTY);
            assertThat(TorchThreads.resolve(OptionalInt.empty(), Map.of()))
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(TorchThreads.resolve(OptionalInt.empty(), Map.of("OSTEO_THREADS", " 3 "))).isEqualTo(3);
            System.setProperty(TorchThreads.INTRA_OP_PROPERTY, "5");
            assertThat(TorchThreads.resolve(OptionalInt.empty(), Map.of("OSTEO_THREADS", "3"))).isEqualTo(5);
            assertThat(TorchThreads.resolve(OptionalInt.of(2), Map.of("OSTEO_THREADS", "3"))).isEqualTo(2);
        } finally {
            if (before == null) {
                System.clearProperty(TorchThreads.INTRA_OP_PROPERTY);
            } else {
                System.setProperty(TorchThreads.INTRA_OP_PROPERTY, before);
            }
        }
    }

    @Test
    void badCountsNameTheirSource() {
        assertThatThrownBy(() -> TorchThreads.resolve(OptionalInt.of(0), Map.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--threads");
        String before = System.getProperty(TorchThreads.INTRA_OP_PROPERTY);
        try {
            System.clearProperty(TorchThreads.INTRA_OP_PROPERTY);
            assertThatThrownBy(() -> TorchThreads.resolve(OptionalInt.empty(), Map.of("OSTEO_THREADS", "two")))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("OSTEO_THREADS").hasMessageContaining("'two'");
        } finally {
            if (before != null) {
                System.setProperty(TorchThreads.INTRA_OP_PROPERTY, before);
            }
        }
        assertThatThrownBy(() -> TorchThreads.configure(-1)).isInstanceOf(InvalidInputException.class);
    }
}
