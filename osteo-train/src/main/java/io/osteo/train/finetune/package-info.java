/**
 * Multi-task fine-tuning of the screening network (osteoporosis class, BMD regression, vertebra
 * position; MoE or plain decoder), from scratch or from a TP-SwAV backbone, with model selection on
 * validation F1, early stopping, exact resume and a packaged model directory as output.
 */
package io.osteo.train.finetune;
