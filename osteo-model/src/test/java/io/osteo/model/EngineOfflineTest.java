package io.osteo.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Proves that DJL's PyTorch engine loads from the class path with no download (offline mode). */
class EngineOfflineTest {

    @Test
    void pytorchEngineRunsATensorOpOffline() {
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        Engine engine = Engine.getEngine("PyTorch");
        assertThat(engine.getVersion()).startsWith("2.7.1");
        try (NDManager manager = NDManager.newBaseManager(engine.defaultDevice(), "PyTorch")) {
            NDArray a = manager.create(new float[] {1f, 2f, 3f, 4f}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray product = a.matMul(a);
            assertThat(product.toFloatArray()).containsExactly(7f, 10f, 15f, 22f);
        }
    }
}
