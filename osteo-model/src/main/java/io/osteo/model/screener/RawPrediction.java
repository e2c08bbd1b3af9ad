package io.osteo.model.screener;

/**
 * What the network says about one vertebra, before it becomes a report finding.
 *
 * @param probability softmax probability of the osteoporosis class
 * @param bmd BMD head output, as the network emits it (device-scale g/cm^2 after the descriptor's
 *     de-normalisation)
 * @param positionClass argmax of the position head, 0..17 (T1..L6)
 * @param gates mixture-of-experts gate weights (empty without MoE)
 */
record RawPrediction(double probability, double bmd, int positionClass, float[] gates) {}
