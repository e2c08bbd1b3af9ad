/**
 * Multi-task decoders: the DXA-device-aware mixture of experts (paper Eq. 2-3) and a plain
 * single head for ablations; outputs class logits, BMD and vertebra position logits.
 */
package io.osteo.model.moe;
