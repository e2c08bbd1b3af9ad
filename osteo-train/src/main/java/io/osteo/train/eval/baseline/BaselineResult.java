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

    /**
     * How each row was fitted, as Markdown: features, the chosen lambda with the validation AUC of
     * every lambda tried, the chosen model's validation AUC and the operating cut-off.
     */
    public String markdown() {
        StringBuilder sb = new StringBuilder("# Baseline fits\n\nFitted on the training split, lambda (L2 strength of the "
                + "penalised mean log-loss on standardised features) chosen on validation AUC, operating cut-off = Youden's J "
                + "on validation (probability 0.5 there).\n\n| Row | Features | Lambda | Validation AUC by lambda | "
                + "Validation AUC | Cut-off |\n|---|---|---|---|---|---|\n");
        for (BaselineFit f : fits) {
            String grid = f.validationAucByLambda().isEmpty() ? "none fitted"
                    : String.join(", ", f.validationAucByLambda().stream()
                            .map(a -> String.format(java.util.Locale.ROOT, "%.0e: %.3f", a[0], a[1])).toList());
            String features = f.features().size() <= 3 ? String.join(", ", f.features()) : f.features().size() + " ("
                    + f.features().get(0) + " ... " + f.features().get(f.features().size() - 1) + ")";
            sb.append("| ").append(f.method()).append(" | ").append(features).append(" | ")
                    .append(f.lambda().isPresent() ? String.format(java.util.Locale.ROOT, "%.0e", f.lambda().getAsDouble()) : "none")
                    .append(" | ").append(grid).append(" | ").append(String.format(java.util.Locale.ROOT, "%.3f", f.validationAuc()))
                    .append(" | ").append(String.format(java.util.Locale.ROOT, "%.4g", f.cutoff())).append(" |\n");
        }
        return sb.append('\n').toString();
    }
}
