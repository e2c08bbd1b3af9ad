/**
 * The paper's experiment grid on a cohort (by default the synthetic multi-site cohort): scratch,
 * SwAV and TP-SwAV pretraining, the loss ablation and the MoE decoder, each with several seeds,
 * evaluated on the internal test sites and the external site, written as the tables of the paper.
 */
package io.osteo.train.reproduce;
