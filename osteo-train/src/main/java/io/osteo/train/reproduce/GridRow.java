package io.osteo.train.reproduce;

import io.osteo.train.finetune.DecoderChoice;
import io.osteo.train.finetune.LossChoice;
import io.osteo.train.pretrain.ViewMode;
import java.util.List;

/**
 * One method of the experiment grid; each row differs from its neighbour in one thing.
 *
 * @param name method name in the tables
 * @param pretraining view mode of the pretraining, or null for training from scratch
 * @param loss fine-tuning loss
 * @param decoder plain (device-blind), plain + device embedding, or the device-gated MoE
 */
public record GridRow(String name, ViewMode pretraining, LossChoice loss, DecoderChoice decoder) {

    /** Name of the full method's row. */
    public static final String FULL_METHOD = "TP-SwAV / unified + MoE";

    /**
     * The grid of the reproduction study in table order: scratch/class, SwAV/class, TP-SwAV/class,
     * the loss ablation TP-SwAV/class+BMD and TP-SwAV/class+position, TP-SwAV/unified (plain,
     * device-blind), TP-SwAV/unified + device embedding (plain decoder), and the full method
     * TP-SwAV/unified + MoE (device-gated; the reference of the t-tests).
     */
    public static List<GridRow> studyGrid() {
        return List.of(
                new GridRow("Scratch / class", null, LossChoice.CLASS, DecoderChoice.PLAIN),
                new GridRow("SwAV / class", ViewMode.RANDOM_CROP, LossChoice.CLASS, DecoderChoice.PLAIN),
                new GridRow("TP-SwAV / class", ViewMode.TEXTURE_POOL, LossChoice.CLASS, DecoderChoice.PLAIN),
                new GridRow("TP-SwAV / class+BMD", ViewMode.TEXTURE_POOL, LossChoice.CLASS_BMD, DecoderChoice.PLAIN),
                new GridRow("TP-SwAV / class+position", ViewMode.TEXTURE_POOL, LossChoice.CLASS_POSITION, DecoderChoice.PLAIN),
                new GridRow("TP-SwAV / unified", ViewMode.TEXTURE_POOL, LossChoice.UNIFIED, DecoderChoice.PLAIN),
                new GridRow("TP-SwAV / unified + device embedding", ViewMode.TEXTURE_POOL, LossChoice.UNIFIED,
                        DecoderChoice.PLAIN_WITH_DEVICE),
                new GridRow(FULL_METHOD, ViewMode.TEXTURE_POOL, LossChoice.UNIFIED, DecoderChoice.MOE));
    }

    /** The paper's Tables 2-5 rows: the study grid without the device-embedding control. */
    public static List<GridRow> paperGrid() {
        return studyGrid().stream().filter(r -> r.decoder() != DecoderChoice.PLAIN_WITH_DEVICE).toList();
    }
}
