package io.osteo.train.reproduce;

import io.osteo.train.eval.EvaluationReport;
import io.osteo.train.pretrain.PretrainedBackbone;
import java.nio.file.Path;
import java.util.List;

/**
 * What a reproduction run produced.
 *
 * @param report the evaluation of every grid row over all seeds
 * @param resultsDirectory where the tables, ROC curves, predictions and pretraining report are
 * @param pretraining every pretraining run (per seed and view mode), with its epoch history
 */
public record ReproductionResult(EvaluationReport report, Path resultsDirectory, List<PretrainedBackbone> pretraining) {
    public ReproductionResult {
        pretraining = List.copyOf(pretraining);
    }
}
