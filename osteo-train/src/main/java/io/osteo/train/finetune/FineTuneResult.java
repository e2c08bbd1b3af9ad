package io.osteo.train.finetune;

import java.nio.file.Path;
import java.util.List;

/**
 * Outcome of {@link MultiTaskFineTuner#fit}.
 *
 * @param modelDirectory the packaged model of the selected epoch (best validation F1)
 * @param bestEpoch 1-based epoch of the selected model
 * @param bestValidationF1 its validation F1
 * @param history every epoch run (including those before a resume)
 * @param stoppedEarly whether early stopping ended training before the last epoch
 */
public record FineTuneResult(Path modelDirectory, int bestEpoch, double bestValidationF1, List<FineTuneEpoch> history,
        boolean stoppedEarly) {
    public FineTuneResult {
        history = List.copyOf(history);
    }
}
