package io.osteo.model.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class DeviceSelectionTest {

    @Test
    void cpuAndAutoOnThisMachine() {
        assertThat(DeviceSelection.select("cpu")).isEqualTo(Device.cpu());
        assertThat(DeviceSelection.select(" CPU ")).isEqualTo(Device.cpu());
        Device auto = DeviceSelection.select("auto");
        if (Engine.getInstance().getGpuCount() > 0) {
            assertThat(auto).isEqualTo(Device.gpu(0));
        } else {
            assertThat(auto).isEqualTo(Device.cpu());
        }
        assertThat(DeviceSelection.selectAll("auto")).isNotEmpty();
        assertThat(DeviceSelection.selectAll("cpu")).containsExactly(Device.cpu());
    }

    @Test
    void absentGpuFailsListingPresentDevices() {
        int gpus = Engine.getInstance().getGpuCount();
        for (String spec : new String[] {"gpu" + gpus, "gpu(" + gpus + ")", "cuda:" + gpus}) {
            assertThatThrownBy(() -> DeviceSelection.select(spec))
                    .isInstanceOf(DeviceUnavailableException.class)
                    .hasMessageContaining("'" + spec + "' is not available")
                    .hasMessageContaining("cpu()");
        }
        assertThatThrownBy(() -> DeviceSelection.select("tpu0"))
                .isInstanceOf(DeviceUnavailableException.class).hasMessageContaining("cannot parse device 'tpu0'");
        assertThatThrownBy(() -> DeviceSelection.selectAll("cpu,cpu"))
                .isInstanceOf(DeviceUnavailableException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> DeviceSelection.select(""))
                .isInstanceOf(DeviceUnavailableException.class).hasMessageContaining("missing");
    }
}
