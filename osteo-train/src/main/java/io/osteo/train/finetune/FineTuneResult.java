package io.osteo.train.finetune;

import java.nio.file.Path;
import java.util.List;

/**
 * Outcome of {@link MultiTaskFineTuner#fit}.
 *
 * @param modelDirectory the packaged model of the selected epoch
 * @param bestEpoch 1-based epoch of the selected model
 * @param selection the figure that selected it
 * @param bestValidationAuc its validation AUC
 * @param bestValidationLoss its validation loss
 * @param operatingThreshold the threshold chosen on its validation probabilities (stored in the package)
 * @param history every epoch run (including those before a resume)
 * @param stoppedEarly whether early stopping ended training before the last epoch
 */
public record FineTuneResult(Path modelDirectory, int bestEpoch, ModelSelection selection, double bestValidationAuc,
        double bestValidationLoss, double operatingThreshold, List<FineTuneEpoch> history, boolean stoppedEarly) {
    public FineTuneResult {
        history = List.copyOf(history);
    }
}
