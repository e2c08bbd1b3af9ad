package io.osteo.model.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel device selection on a machine with two GPUs. The machines here have none, so DJL's
 * engine is replaced at the selection boundary only: an engine that reports two GPUs and can do
 * nothing else.
 */
class MultiGpuSelectionTest {

    /** DJL engine stand-in reporting {@code gpus} GPUs; every other operation is unsupported. */
    static final class GpuCountEngine extends Engine {
        private final int gpus;

        GpuCountEngine(int gpus) {
            this.gpus = gpus;
        }

        @Override
        public int getGpuCount() {
            return gpus;
        }

        @Override
        public Engine getAlternativeEngine() {
            return null;
        }

        @Override
        public String getEngineName() {
            return "PyTorch";
        }

        @Override
        public int getRank() {
            return 0;
        }

        @Override
        public String getVersion() {
            return "test";
        }

        @Override
        public boolean hasCapability(String capability) {
            return false;
        }

        @Override
        public Model newModel(String name, Device device) {
            throw new UnsupportedOperationException();
        }

        @Override
        public NDManager newBaseManager() {
            throw new UnsupportedOperationException();
        }

        @Override
        public NDManager newBaseManager(Device device) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void autoTakesEveryGpuAndListsNameThem() {
        Engine twoGpus = new GpuCountEngine(2);
        assertThat(DeviceSelection.selectAll("auto", twoGpus)).containsExactly(Device.gpu(0), Device.gpu(1));
        assertThat(DeviceSelection.selectAll("gpu1,gpu0", twoGpus)).containsExactly(Device.gpu(1), Device.gpu(0));
        assertThat(DeviceSelection.selectAll("cuda:0, gpu(1)", twoGpus)).containsExactly(Device.gpu(0), Device.gpu(1));
        assertThatThrownBy(() -> DeviceSelection.selectAll("gpu0,gpu2", twoGpus)).isInstanceOf(DeviceUnavailableException.class)
                .hasMessageContaining("gpu2").hasMessageContaining("[gpu(0), gpu(1), cpu()]");
        assertThat(DeviceSelection.selectAll("auto", new GpuCountEngine(0))).containsExactly(Device.cpu());
    }
}
