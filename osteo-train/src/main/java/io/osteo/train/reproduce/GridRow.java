package io.osteo.train.reproduce;

import io.osteo.train.finetune.LossChoice;
import io.osteo.train.pretrain.ViewMode;
import java.util.List;

/**
 * One method of the experiment grid.
 *
 * @param name method name in the tables
 * @param pretraining view mode of the pretraining, or null for training from scratch
 * @param loss fine-tuning loss
 * @param moe whether the device-aware MoE decoder is used
 */
public record GridRow(String name, ViewMode pretraining, LossChoice loss, boolean moe) {

    /**
     * The paper's grid in table order: scratch/class, SwAV/class, TP-SwAV/class, the loss
     * ablation TP-SwAV/class+BMD and TP-SwAV/class+position, TP-SwAV/unified and
     * TP-SwAV/unified+MoE (the full method, the reference of the t-tests).
     */
    public static List<GridRow> paperGrid() {
        return List.of(
                new GridRow("Scratch / class", null, LossChoice.CLASS, false),
                new GridRow("SwAV / class", ViewMode.RANDOM_CROP, LossChoice.CLASS, false),
                new GridRow("TP-SwAV / class", ViewMode.TEXTURE_POOL, LossChoice.CLASS, false),
                new GridRow("TP-SwAV / class+BMD", ViewMode.TEXTURE_POOL, LossChoice.CLASS_BMD, false),
                new GridRow("TP-SwAV / class+position", ViewMode.TEXTURE_POOL, LossChoice.CLASS_POSITION, false),
                new GridRow("TP-SwAV / unified", ViewMode.TEXTURE_POOL, LossChoice.UNIFIED, false),
                new GridRow("TP-SwAV / unified + MoE", ViewMode.TEXTURE_POOL, LossChoice.UNIFIED, true));
    }
}
