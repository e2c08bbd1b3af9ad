/**
 * Baseline rows of the evaluation, computed on the same splits as the deep rows and returned as
 * {@link io.osteo.train.eval.MethodRun}s: mean trabecular HU (2D mid-slice and 3D ROI), an L2
 * logistic regression on PyRadiomics GLCM features + HU, and the synthetic generator's
 * latent-truth oracle ({@link io.osteo.train.eval.baseline.Baselines}).
 */
package io.osteo.train.eval.baseline;
