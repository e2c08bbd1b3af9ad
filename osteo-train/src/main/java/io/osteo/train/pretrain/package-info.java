/**
 * TP-SwAV self-supervised pretraining: two views per vertebra drawn from its texture pool
 * (the paper's method) or random crops (plain SwAV), swapped prediction with Sinkhorn codes,
 * AdamW with warm-up and cosine decay, per-epoch checkpoints with exact resume, and a training
 * report that makes SwAV collapse visible (loss against ln K, entropy of the code assignments).
 */
package io.osteo.train.pretrain;
