/**
 * Exact training checkpoints: network parameters, the AdamW moments and step counters
 * ({@link io.osteo.model.optim.DecoupledAdamW}, whose state DJL's own optimisers do not expose)
 * and the trainer's progress, written atomically once per epoch so that a crashed run resumes
 * from its last checkpoint and ends with the same numbers as an uninterrupted one.
 */
package io.osteo.train.checkpoint;
