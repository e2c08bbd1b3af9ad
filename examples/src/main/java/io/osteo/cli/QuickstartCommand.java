package io.osteo.cli;

import io.osteo.examples.Quickstart;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteo quickstart}: runs {@link Quickstart} (synthetic cohort -> TP-SwAV -> MoE multi-task
 * fine-tuning -> evaluation -> screening of a real CT). Stage lines and the summary go to stderr
 * with the progress; stdout gets a JSON object with the output paths.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        header = "The whole method on CPU in minutes, ending on a real CT.",
        description = {"The whole method on CPU in a few minutes: synthetic multi-site cohort, TP-SwAV pretraining, MoE "
                + "multi-task fine-tuning, evaluation tables and ROC curves, screening of a real CT."})
public final class QuickstartCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", defaultValue = "osteo-output", paramLabel = "DIR",
            description = "output folder (default: ${DEFAULT-VALUE}); a rerun reuses its cohort and texture pools")
    private Path out;

    @Option(names = "--ct", paramLabel = "FILE",
            description = "CT to screen at the end (default: ../shared/data/totalsegmentator/example_ct_sm.nii.gz)")
    private Path ct;

    @Option(names = "--seg", paramLabel = "FILE", description = "its TotalSegmentator v2 label map (default: example_seg.nii.gz beside it)")
    private Path seg;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu0, ...; default ${DEFAULT-VALUE}")
    private String device;

    @Option(names = "--pretrain-epochs", description = "TP-SwAV epochs (default: the quickstart's)")
    private Integer pretrainEpochs;

    @Option(names = "--finetune-epochs", description = "fine-tuning epochs (default: the quickstart's)")
    private Integer finetuneEpochs;

    @Override
    public Integer call() {
        Path shared = io.osteo.examples.SharedData.totalSegmentatorFolder();
        Path ctFile = ct != null ? ct : shared.resolve("example_ct_sm.nii.gz");
        Path segFile = seg != null ? seg : (ct != null ? null : shared.resolve("example_seg.nii.gz"));
        if (segFile == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ct needs --seg (its label map)");
        }
        Quickstart.Settings d = Quickstart.Settings.standard();
        Quickstart.Settings settings = d.withEpochs(pretrainEpochs != null ? pretrainEpochs : d.pretrainEpochs(),
                finetuneEpochs != null ? finetuneEpochs : d.finetuneEpochs());
        PrintWriter err = spec.commandLine().getErr();
        Quickstart.Summary s = Quickstart.run(out, ctFile, segFile, settings, device, ConsoleProgressBar.on(err), err);
        Quickstart.printSummary(s, err);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("output", s.output().toString());
        json.put("cohort", s.cohort().toString());
        json.put("backbone", s.backbone().toString());
        json.put("model", s.model().toString());
        json.put("tables", s.tables().toString());
        json.put("roc", s.rocPng().toString());
        json.put("screeningReport", s.screeningReport().toString());
        json.put("patientDecision", String.valueOf(s.screening().patient().decision()));
        json.put("seconds", s.seconds());
        CliSupport.printRoundedJson(spec.commandLine().getOut(), json);
        return 0;
    }
}
