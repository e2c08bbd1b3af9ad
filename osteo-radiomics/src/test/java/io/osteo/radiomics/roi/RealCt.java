package io.osteo.radiomics.roi;

import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.Study;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real TotalSegmentator CT in {@code ../shared/data/totalsegmentator/} (read once). */
public final class RealCt {
    private static Volume ct;
    private static LabelMap labels;

    private RealCt() {}

    public static Path file(String name) {
        String dir = System.getProperty("osteo.shared.dir");
        if (dir == null) {
            throw new IllegalStateException("system property osteo.shared.dir is not set (run the tests through Maven)");
        }
        Path p = Path.of(dir, "data", "totalsegmentator", name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("shared test file missing: " + p);
        }
        return p;
    }

    public static synchronized Volume ct() {
        if (ct == null) {
            ct = VolumeIo.readVolume(file("example_ct_sm.nii.gz"));
        }
        return ct;
    }

    public static synchronized LabelMap labels() {
        if (labels == null) {
            labels = VolumeIo.readLabels(file("example_seg.nii.gz"));
        }
        return labels;
    }

    public static Study study() {
        return Study.of("totalsegmentator-example", ct(), labels(), LabelScheme.totalSegmentatorV2());
    }
}
