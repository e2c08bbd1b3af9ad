/**
 * The unified multi-task fine-tuning loss (class CE, BMD MSE, position CE) with per-term weights
 * and masking of missing targets.
 */
package io.osteo.model.loss;
