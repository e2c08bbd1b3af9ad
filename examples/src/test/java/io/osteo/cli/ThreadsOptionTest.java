package io.osteo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.osteo.model.device.TorchThreads;
import org.junit.jupiter.api.Test;

/** The global {@code --threads} option: validated, and set into DJL's property before the subcommand runs. */
class ThreadsOptionTest {

    @Test
    void threadsGoIntoDjlsPropertyBeforeTheSubcommand() {
        String before = System.getProperty(TorchThreads.INTRA_OP_PROPERTY);
        try {
            OsteoCliTest.Run bad = OsteoCliTest.run("--threads", "0", "features", "--help");
            assertThat(bad.code()).isEqualTo(2);
            assertThat(bad.err()).contains("--threads must be >= 1, got 0");

            OsteoCliTest.Run ok = OsteoCliTest.run("--threads", "3", "features",
                    "--image", OsteoCliTest.data("breast1_image.nrrd").toString(),
                    "--mask", OsteoCliTest.data("breast1_label.nrrd").toString());
            assertThat(ok.code()).as(ok.err()).isZero();
            assertThat(System.getProperty(TorchThreads.INTRA_OP_PROPERTY)).isEqualTo("3");
            assertThat(OsteoCliTest.run("--help").out()).contains("--threads");
        } finally {
            if (before == null) {
                System.clearProperty(TorchThreads.INTRA_OP_PROPERTY);
            } else {
                System.setProperty(TorchThreads.INTRA_OP_PROPERTY, before);
            }
        }
    }
}
