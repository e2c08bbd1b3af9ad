package io.osteo.model.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.osteo.api.anatomy.VertebraLevel;

/** Widths of the three task outputs and the split of a fused [B, 21] head output. *
 * <p>Constants only; thread-safe.
 */
public final class TaskOutputs {

    /** Osteoporosis class logits: 0 = not osteoporotic, 1 = osteoporotic. */
    public static final int CLASSES = 2;

    /** One BMD value (g/cm^2 in the scale of the labelling DXA device, possibly standardised). */
    public static final int BMD = 1;

    /** Vertebra position logits, T1..T12, L1..L6 ({@link VertebraLevel#classIndex()}). */
    public static final int POSITIONS = VertebraLevel.values().length;

    /** Width of one fused head output. */
    public static final int TOTAL = CLASSES + BMD + POSITIONS;

    private TaskOutputs() {}

    /** Splits [B, 21] into class logits [B, 2], BMD [B, 1], position logits [B, 18]. */
    static NDList split(NDArray fused) {
        return new NDList(
                fused.get(":, 0:" + CLASSES),
                fused.get(":, " + CLASSES + ":" + (CLASSES + BMD)),
                fused.get(":, " + (CLASSES + BMD) + ":" + TOTAL));
    }

    static Shape[] shapes(long batch, int gateWidth) {
        return new Shape[] {
            new Shape(batch, CLASSES), new Shape(batch, BMD), new Shape(batch, POSITIONS), new Shape(batch, gateWidth)
        };
    }
}
