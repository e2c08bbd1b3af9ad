/**
 * Whole networks: OsteoNet (backbone + decoder, the fine-tuning and screening network) and
 * SwavNet (backbone + SwAV head, for pretraining).
 */
package io.osteo.model.net;
