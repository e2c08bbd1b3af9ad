package io.osteo.train.eval.baseline;

import java.util.List;
import java.util.OptionalDouble;

/**
 * How one baseline row was fitted: what it saw, the L2 strength chosen on validation AUC (empty
 * for the mean-HU rows, which fit nothing), its validation AUC, and the operating cut-off on its
 * score (Youden's J on validation; the row's probability is 0.5 at this cut-off).
 *
 * @param method row name
 * @param features feature column names
 * @param lambda chosen L2 strength (penalised mean log-loss, standardised features)
 * @param validationAucByLambda validation AUC of every lambda tried, in grid order (empty without a fit)
 * @param validationAuc validation AUC of the chosen model
 * @param cutoff operating cut-off on the row's score (-mean HU in HU, or the linear predictor)
 */
public record BaselineFit(String method, List<String> features, OptionalDouble lambda, List<double[]> validationAucByLambda,
        double validationAuc, double cutoff) {

    public BaselineFit {
        features = List.copyOf(features);
        validationAucByLambda = validationAucByLambda.stream().map(double[]::clone).toList();
    }
}
