package io.osteo.examples;

import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.Study;
import java.nio.file.Path;

/** The smallest integration: the README's snippet, compiled by the build. Args: MODEL_DIR CT SEG. */
public final class EmbedInYourApp {

    private EmbedInYourApp() {}

    public static void main(String[] args) {
        // --- README snippet start ---
        try (OsteoScreener screener = OsteoScreener.builder()
                .model(Path.of(args[0]))            // packaged model directory
                .reportDevice(DxaDevice.HOLOGIC)    // BMD / T-score scale
                .build()) {
            Study study = Study.of("patient-1", VolumeIo.readVolume(Path.of(args[1])),
                    VolumeIo.readLabels(Path.of(args[2])), LabelScheme.totalSegmentatorV2());
            ScreeningReport report = screener.screen(study);
            System.out.println(report.patient().decision() + "\n" + report.toJson());
        }
        // --- README snippet end ---
    }
}
