/**
 * Evaluation of screening methods on held-out vertebrae: vertebra- and patient-level metrics per
 * site with patient-cluster bootstrap intervals, paired t-tests against a reference method, ROC
 * curves (PNG and CSV) and tables in the layout of the paper's Tables 2-5 (Markdown, CSV, JSON).
 * Input is a list of {@link io.osteo.train.eval.VertebraPrediction}s per method and seed, so any
 * model (ours, a baseline, an external tool) can be evaluated the same way. Sub-packages:
 * {@code baseline} (mean HU, GLCM logistic regression and oracle rows on the same splits) and
 * {@code claims} (the reproduction study's claims table).
 */
package io.osteo.train.eval;
