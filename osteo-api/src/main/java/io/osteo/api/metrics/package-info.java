/**
 * Screening metrics: confusion-matrix rates (ACC, SEN, SPE, F1, PPV, NPV), ROC curves and AUC,
 * patient-level any-positive aggregation, seeded cluster-bootstrap confidence intervals and paired
 * t-tests between methods.
 *
 * <p><b>Undefined values.</b> A rate whose denominator is zero (sensitivity without positives, an
 * AUC with one class) is returned as an empty {@link java.util.OptionalDouble}, never as NaN; reports
 * print such values as "n/a". Inputs with NaN or infinite scores are rejected with an
 * {@link io.osteo.api.InvalidInputException}.
 *
 * <p><b>Thresholds.</b> A unit is predicted positive when its score is {@code >=} the threshold,
 * everywhere in this package (confusion matrices, ROC points, patient aggregation).
 */
package io.osteo.api.metrics;
