/**
 * The cohort store: a compact on-disk cache of a cohort's texture pools (int16 HU, half-float raw
 * maps, ROI bits) in a few large shard files, read one vertebra at a time as {@link
 * io.osteo.train.pretrain.PretrainingData} and {@link io.osteo.train.finetune.LabelledData}, so
 * that cohorts larger than memory train with a bounded heap. Entry point: {@link
 * io.osteo.train.store.CohortStore}.
 */
package io.osteo.train.store;
