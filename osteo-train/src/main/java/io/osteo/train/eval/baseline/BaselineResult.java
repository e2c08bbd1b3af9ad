package io.osteo.train.eval.baseline;

import io.osteo.train.eval.MethodRun;
import java.util.List;

/**
 * The baseline rows: one {@link MethodRun} each on the test vertebrae (seed {@link Baselines#SEED}),
 * and how each was fitted.
 *
 * @param runs the rows, in the order of {@link Baselines} row names
 * @param fits one per run, same order
 */
public record BaselineResult(List<MethodRun> runs, List<BaselineFit> fits) {
    public BaselineResult {
        runs = List.copyOf(runs);
        fits = List.copyOf(fits);
    }
}
