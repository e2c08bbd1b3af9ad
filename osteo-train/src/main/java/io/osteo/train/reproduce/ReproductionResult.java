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
 * @param claims the claims table, or null when the grid lacks rows it compares
 * @param probes linear probes of the frozen encoders (random init, SwAV, TP-SwAV per seed)
 */
public record ReproductionResult(EvaluationReport report, Path resultsDirectory, List<PretrainedBackbone> pretraining,
        io.osteo.train.eval.claims.ClaimsReport claims, List<io.osteo.train.eval.LinearProbe.Result> probes) {
    public ReproductionResult {
        pretraining = List.copyOf(pretraining);
        probes = List.copyOf(probes);
    }
}
