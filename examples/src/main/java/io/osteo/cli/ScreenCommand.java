package io.osteo.cli;

import io.osteo.api.OsteoException;
import io.osteo.api.anatomy.Sex;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.Study;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteo screen}: screens one CT with a vertebra label map, with a trained model or the
 * HU-threshold baseline, and prints the {@link ScreeningReport} as JSON on stdout. Errors go to
 * stderr as one line naming the input and the problem, exit code 1 (2 for usage errors).
 */
@Command(name = "screen", mixinStandardHelpOptions = true,
        header = "Screens one CT with a model or the HU baseline.",
        description = {"Screens one CT for osteoporosis: vertebra ROIs from a label map, then the model (--model) or the "
                + "HU-threshold baseline (--hu-threshold). Prints the report as JSON."},
        footer = {"", "Examples:",
            "  osteo screen --ct ct.nii.gz --seg seg.nii.gz --hu-threshold 160",
            "  osteo screen --ct ct.nii.gz --seg seg.nii.gz --model model/ --report-device GE_LUNAR --device gpu0"})
public final class ScreenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--ct", required = true, paramLabel = "PATH",
            description = "CT in HU: .nii, .nii.gz, .nrrd, or a DICOM series (its folder, or one of its files)")
    private Path ct;

    @Option(names = "--series", paramLabel = "UID",
            description = "SeriesInstanceUID of the CT when the --ct folder holds several DICOM series")
    private String series;

    @Option(names = "--seg", required = true, paramLabel = "FILE",
            description = "vertebra label map on the CT's grid (.nii, .nii.gz, .nrrd)")
    private Path seg;

    @Option(names = "--label-scheme", defaultValue = "totalsegmentator", paramLabel = "SCHEME",
            description = "totalsegmentator (v2 'total' task), verse, or binary (with --level); default ${DEFAULT-VALUE}")
    private String labelScheme;

    @Option(names = "--level", paramLabel = "LEVEL", description = "the vertebra of a binary mask (T1..T12, L1..L6)")
    private String level;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Screener screener;

    static final class Screener {
        @Option(names = "--model", paramLabel = "DIR", description = "packaged model directory")
        Path model;

        @Option(names = "--hu-threshold", paramLabel = "HU",
                description = "HU baseline instead of a model: positive when L1 (or nearest) trabecular HU <= this"
                        + " (Pickhardt 2013: 160 sensitive, 110 specific)")
        Double huThreshold;
    }

    @Option(names = "--threshold", paramLabel = "P",
            description = "operating probability threshold of the model (default: the model's)")
    private Double threshold;

    @Option(names = "--report-device", defaultValue = "HOLOGIC", paramLabel = "DEVICE",
            description = "DXA scale of BMD / T-score estimates: HOLOGIC, GE_LUNAR, MEDIX; default ${DEFAULT-VALUE}")
    private String reportDevice;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEVICE",
            description = "compute device: auto, cpu, gpu0, gpu1, ...; default ${DEFAULT-VALUE}")
    private String device;

    @Option(names = "--sex", paramLabel = "F|M",
            description = "patient sex: selects the young-adult reference of T-scores (default: female reference, noted)")
    private String sex;

    @Option(names = "--id", paramLabel = "ID", description = "study id in the report (default: the CT's file name)")
    private String id;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            LabelScheme scheme = LabelScheme.parse(labelScheme, level == null ? null : VertebraLevel.parse(level));
            OsteoScreener.Builder builder = OsteoScreener.builder().reportDevice(DxaDevice.parse(reportDevice))
                    .device(device);
            if (screener.model != null) {
                builder.model(screener.model);
            } else {
                builder.huThreshold(screener.huThreshold);
            }
            if (threshold != null) {
                builder.operatingThreshold(threshold);
            }
            Volume volume = series == null ? VolumeIo.readVolume(ct)
                    : io.osteo.api.io.dicom.DicomSeriesReader.builder().seriesUid(series).build().read(ct);
            LabelMap labels = VolumeIo.readLabels(seg);
            String studyId = id != null ? id : ct.getFileName().toString().replaceFirst("\\.(nii\\.gz|nii|nrrd|dcm)$", "");
            Study study = Study.of(studyId, volume, labels, scheme);
            if (sex != null) {
                study = study.withSex(Sex.parse(sex));
            }
            try (OsteoScreener s = builder.build()) {
                err.println("screening " + studyId + " with " + s.identity().name() + " on " + s.identity().computeDevice());
                err.flush();
                out.println(s.screen(study).toJson());
                out.flush();
            }
            return 0;
        } catch (OsteoException e) {
            err.println("osteo screen: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
